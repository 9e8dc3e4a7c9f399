"""Check stage: every row typed and checked in set-based SQL; each row gets the first reason that fails it, or none.

Reads ing_src (readers.py); writes the ing_ts macro, ing_enum (the mapping's codes), the view ing_stage (one
VARCHAR column per field), ing_typed (the fields typed: t_* times, n* numbers, *_code codes) and ing_checked
(row_no, reason, field, bad_value; reason NULL for a valid row). Later stages (place.py, keys.py) only add
reasons to rows still valid.

SQL here is built from the mapping's identifiers (column names from data/mappings, quoted); every value is a
bound parameter or, in the view, a quoted literal.
"""
from __future__ import annotations

from datetime import timedelta

from data import coords

from . import readers
from .mapping import Mapping

REASONS = ("malformed_row", "missing_field", "text_too_long", "bad_time", "future_time", "unknown_value",
           "bad_number", "absurd_value", "swapped_coordinates", "bad_coordinates", "outside_county",
           "no_location", "time_order", "duplicate_id")

_TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f",
                 "%Y%m%d%H%M%S", "%Y-%m-%d"]
_GEOGRAPHIC = ("wgs84", "cgcs2000", "gcj02", "bd09")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _json_path(key: str, dotted: bool) -> str:
    parts = key.split(".") if dotted else [key]
    return "$." + ".".join('"' + p.replace('"', '\\"') + '"' for p in parts)


def macros(con) -> None:
    # Times: several layouts; an explicit UTC offset (ISO 8601, grid and sensor exports) is turned into CST.
    con.execute("""
        CREATE OR REPLACE TEMP MACRO ing_ts(v) AS coalesce(try_strptime(v, $formats), CASE
          WHEN v IS NULL THEN NULL
          WHEN regexp_matches(v, '\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([+-]\\d{2}:?\\d{2}|Z)$') THEN
            try_strptime(regexp_replace(v, '([+-]\\d{2}:?\\d{2}|Z)$', ''), $formats)
            + to_minutes(CAST(480 - CASE WHEN v LIKE '%Z' THEN 0 ELSE
                (CASE WHEN regexp_extract(v, '([+-])\\d{2}:?\\d{2}$', 1) = '-' THEN -1 ELSE 1 END)
                * (CAST(regexp_extract(v, '[+-](\\d{2}):?(\\d{2})$', 1) AS INTEGER) * 60
                   + CAST(regexp_extract(v, '[+-](\\d{2}):?(\\d{2})$', 2) AS INTEGER)) END AS BIGINT))
          END)""".replace("$formats", "[" + ", ".join(
        "'" + f + "'" for f in _TIME_FORMATS) + "]"))


def stage_fields(con, m: Mapping, info: readers.ReadInfo) -> None:
    """The view ing_stage: ing_src as one column per field (trimmed, '' -> NULL, constants as fallback)."""
    col_of = m.column_of()
    exprs = []
    for f in m.fields:
        src = col_of.get(f)
        if src is None:
            value = "NULL"
        elif info.access == "columns":
            value = f"nullif(trim({quote(src)}), '')" if src in info.columns else "NULL"
        else:
            value = f"nullif(trim(json_extract_string(record, '{_json_path(src, m.is_json)}')), '')"
        if f in m.constants:  # from the mapping file; a view cannot take parameters, so a quoted literal
            literal = "'" + m.constants[f].replace("'", "''") + "'"
            value = f"coalesce({value}, {literal})"
        exprs.append(f"CAST({value} AS VARCHAR) AS {f}")
    con.execute("DROP VIEW IF EXISTS ing_stage")
    con.execute(f"CREATE TEMP VIEW ing_stage AS SELECT row_no, {', '.join(exprs)} FROM ing_src", None)


def record_expr(info: readers.ReadInfo) -> str:
    """The source row as JSON text (what the quarantine keeps and the page lets one correct)."""
    if info.access == "json":
        return "s.record"
    pairs = ", ".join(f"'{c.replace(chr(39), chr(39) * 2)}', s.{quote(c)}" for c in info.columns)
    return "json_object(" + pairs + ")::VARCHAR"


def load_enums(con, m: Mapping) -> None:
    """ing_enum: (field, source spelling) -> code, from the mapping and the coordinate-system aliases."""
    rows = [(f, str(k), str(v)) for f, table in m.enums.items() for k, v in table.items()]
    rows += [("crs", k, v) for k, v in coords.ALIASES.items()]
    con.execute("DROP TABLE IF EXISTS ing_enum")
    # The mapping's own spellings first; the generic aliases only fill in (one code per value).
    con.execute("CREATE TEMP TABLE ing_enum (field VARCHAR, value VARCHAR, code VARCHAR, PRIMARY KEY (field, value))")
    if rows:
        con.executemany("INSERT OR IGNORE INTO ing_enum VALUES (?, lower(?), ?)", rows)


def _required_cases(m: Mapping) -> str:
    return "\n".join(f"WHEN {f} IS NULL THEN ['missing_field', '{f}', NULL]" for f in m.required)


def _limit_cases(m: Mapping, typed: dict[str, str]) -> str:
    out = []
    for f, lim in m.limits.items():
        col = typed.get(f, f)
        out.append(f"WHEN {col} IS NOT NULL AND ({col} < {float(lim['min'])!r} OR {col} > {float(lim['max'])!r}) "
                   f"THEN ['absurd_value', '{f}', {f}]")
    return "\n".join(out)


def check_incidents(con, m: Mapping, cfg: dict, now) -> None:
    # The dispatch fields (unit, deadline, time limit, callback) never refuse a row: an unreadable deadline or
    # limit falls back to dispatch_time_limits, an unknown unit is noted (updates.py).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_typed AS
        SELECT s.*, ing_ts(s.received_at) AS t_received,
               coalesce(ing_ts(s.dispatched_at),
                        CASE WHEN $assigned_at_receipt AND s.unit IS NOT NULL AND s.dispatched_at IS NULL
                             THEN ing_ts(s.received_at) END) AS t_dispatched,
               ing_ts(s.closed_at) AS t_closed, ing_ts(s.deadline_at) AS t_deadline,
               try_cast(s.time_limit_hours AS DOUBLE) AS n_limit_hours,
               try_cast(s.x AS DOUBLE) AS nx, try_cast(s.y AS DOUBLE) AS ny, try_cast(s.value AS DOUBLE) AS nvalue,
               eh.code AS hazard_code, TRY_CAST(es.code AS TINYINT) AS severity_code, est.code AS status_code,
               ec.code AS crs_code, ecb.code AS callback_code
        FROM ing_stage s
        LEFT JOIN ing_enum eh ON eh.field = 'hazard' AND eh.value = lower(s.hazard)
        LEFT JOIN ing_enum es ON es.field = 'severity' AND es.value = lower(s.severity)
        LEFT JOIN ing_enum est ON est.field = 'status' AND est.value = lower(s.status)
        LEFT JOIN ing_enum ec ON ec.field = 'crs' AND ec.value = lower(s.crs)
        LEFT JOIN ing_enum ecb ON ecb.field = 'callback' AND ecb.value = lower(s.callback)""",
                {"assigned_at_receipt": m.unit_assigned_at_receipt})
    has_status_enum = "status" in m.enums
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_checked AS
        SELECT row_no, r[1] AS reason, r[2] AS field, r[3] AS bad_value FROM (
        SELECT row_no, CASE
          {_required_cases(m)}
          WHEN length(description) > $max_text THEN ['text_too_long', 'description', NULL]
          WHEN length(address) > $max_text THEN ['text_too_long', 'address', NULL]
          WHEN length(caller_name) > 200 OR length(caller_phone) > 200 THEN ['text_too_long', 'caller', NULL]
          WHEN t_received IS NULL THEN ['bad_time', 'received_at', received_at]
          WHEN dispatched_at IS NOT NULL AND t_dispatched IS NULL THEN ['bad_time', 'dispatched_at', dispatched_at]
          WHEN closed_at IS NOT NULL AND t_closed IS NULL THEN ['bad_time', 'closed_at', closed_at]
          WHEN t_received > $future THEN ['future_time', 'received_at', received_at]
          WHEN t_received < TIMESTAMP '2000-01-01' THEN ['bad_time', 'received_at', received_at]
          WHEN greatest(t_dispatched, t_closed) > $future
               THEN ['future_time', 'closed_at', coalesce(closed_at, dispatched_at)]
          WHEN hazard_code IS NULL THEN ['unknown_value', 'hazard', hazard]
          WHEN severity IS NOT NULL AND severity_code IS NULL THEN ['unknown_value', 'severity', severity]
          WHEN {"status IS NOT NULL AND status_code IS NULL" if has_status_enum else "false"}
               THEN ['unknown_value', 'status', status]
          WHEN {"status_code = 'closed' AND t_closed IS NULL" if has_status_enum else "false"}
               THEN ['missing_field', 'closed_at', NULL]
          WHEN crs IS NOT NULL AND crs_code IS NULL AND (x IS NOT NULL OR y IS NOT NULL)
               THEN ['unknown_value', 'crs', crs]
          WHEN x IS NOT NULL AND (nx IS NULL OR NOT isfinite(nx)) THEN ['bad_number', 'x', x]
          WHEN y IS NOT NULL AND (ny IS NULL OR NOT isfinite(ny)) THEN ['bad_number', 'y', y]
          WHEN (x IS NULL) <> (y IS NULL) THEN ['missing_field', CASE WHEN x IS NULL THEN 'x' ELSE 'y' END, NULL]
          WHEN value IS NOT NULL AND nvalue IS NULL THEN ['bad_number', 'value', value]
          {_limit_cases(m, {"value": "nvalue"})}
          WHEN crs_code IN {_GEOGRAPHIC} AND nx BETWEEN 3 AND 54 AND ny BETWEEN 73 AND 136
               THEN ['swapped_coordinates', 'x', x || ', ' || y]
          WHEN crs_code IN {_GEOGRAPHIC} AND NOT (nx BETWEEN -180 AND 180 AND ny BETWEEN -90 AND 90)
               THEN ['bad_coordinates', 'x', x || ', ' || y]
          WHEN t_dispatched < t_received THEN ['time_order', 'dispatched_at', dispatched_at]
          WHEN t_closed < t_received THEN ['time_order', 'closed_at', closed_at]
          END AS r
        FROM ing_typed)""", {"max_text": int(cfg["max_text_chars"]),
                             "future": now + timedelta(minutes=int(cfg["future_tolerance_minutes"]))})


def check_readings(con, m: Mapping, now, cfg: dict) -> None:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_typed AS
        SELECT s.*, ing_ts(s.observed_at) AS t_observed, try_cast(s.level_m AS DOUBLE) AS n_level,
               try_cast(s.inflow_m3s AS DOUBLE) AS n_inflow, try_cast(s.outflow_m3s AS DOUBLE) AS n_outflow,
               r.reservoir_id
        FROM ing_stage s LEFT JOIN reservoirs r ON r.name = s.reservoir""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_checked AS
        SELECT row_no, r[1] AS reason, r[2] AS field, r[3] AS bad_value FROM (
        SELECT row_no, CASE
          {_required_cases(m)}
          WHEN t_observed IS NULL OR t_observed < TIMESTAMP '2000-01-01' THEN ['bad_time', 'observed_at', observed_at]
          WHEN t_observed > $future THEN ['future_time', 'observed_at', observed_at]
          WHEN reservoir_id IS NULL THEN ['unknown_value', 'reservoir', reservoir]
          WHEN n_level IS NULL OR NOT isfinite(n_level) THEN ['bad_number', 'level_m', level_m]
          WHEN inflow_m3s IS NOT NULL AND n_inflow IS NULL THEN ['bad_number', 'inflow_m3s', inflow_m3s]
          WHEN outflow_m3s IS NOT NULL AND n_outflow IS NULL THEN ['bad_number', 'outflow_m3s', outflow_m3s]
          {_limit_cases(m, {"level_m": "n_level", "inflow_m3s": "n_inflow", "outflow_m3s": "n_outflow"})}
          END AS r
        FROM ing_typed)""", {"future": now + timedelta(minutes=int(cfg["future_tolerance_minutes"]))})

