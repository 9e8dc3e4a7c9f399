"""The one code path of every import (CLI, page upload, inbox, quarantine re-import).

read (readers.py) -> fields by the mapping -> typed and checked in set-based SQL (each row gets the first reason
that fails it, or none) -> coordinates to WGS84 -> township / grid cell / village by point-in-polygon ->
duplicates -> one transaction: store, link into events, quarantine, import_files, data_version.

Accounting: rows_in = stored + quarantined + already_present, checked before commit.
SQL here is built from the mapping's identifiers (column names from data/mappings, quoted); every value is a
bound parameter.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np

from data import coords, db
from data.clock import now_cst

from . import mapping as mapping_mod
from . import raster, readers
from .mapping import Mapping
from .readers import FileUnreadable

# One import at a time per process: ids are taken as max()+n inside the transaction.
_IMPORT_LOCK = threading.Lock()

REASONS = ("malformed_row", "missing_field", "text_too_long", "bad_time", "future_time", "unknown_value",
           "bad_number", "absurd_value", "swapped_coordinates", "bad_coordinates", "outside_county",
           "no_location", "time_order", "duplicate_id")

_TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f",
                 "%Y%m%d%H%M%S", "%Y-%m-%d"]
_GEOGRAPHIC = ("wgs84", "cgcs2000", "gcj02", "bd09")


@dataclass
class ImportResult:
    file: str
    source: str
    rows_in: int = 0
    stored: int = 0
    quarantined: int = 0
    already_present: int = 0
    linked: int = 0
    encoding: str | None = None
    seconds: float = 0.0
    import_id: int | None = None
    error: str | None = None          # set when the file could not be read at all
    reasons: dict = field(default_factory=dict)

    def summary(self) -> dict:
        """The CLI's --json object."""
        keys = ("file", "source", "rows_in", "stored", "quarantined", "already_present", "linked")
        out = {k: getattr(self, k) for k in keys}
        if self.error:
            out["error"] = self.error
        return out

    def as_dict(self) -> dict:
        return asdict(self)


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _json_path(key: str, dotted: bool) -> str:
    parts = key.split(".") if dotted else [key]
    return "$." + ".".join('"' + p.replace('"', '\\"') + '"' for p in parts)


def ensure_tables(con) -> None:
    """The ingest tables (schema.sql's marked section, IF NOT EXISTS) for databases built before them."""
    db.ensure_section(con, "ingest")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------------ steps
def _macros(con) -> None:
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


def _field_exprs(m: Mapping, info: readers.ReadInfo) -> tuple[str, dict]:
    """SELECT list turning ing_src into one column per field (trimmed, '' -> NULL, constants as fallback)."""
    col_of = m.column_of()
    params, exprs = {}, []
    for f in m.fields:
        src = col_of.get(f)
        if src is None:
            value = "NULL"
        elif info.access == "columns":
            value = f"nullif(trim({_q(src)}), '')" if src in info.columns else "NULL"
        else:
            value = f"nullif(trim(json_extract_string(record, '{_json_path(src, m.is_json)}')), '')"
        if f in m.constants:  # from the mapping file; a view cannot take parameters, so a quoted literal
            literal = "'" + m.constants[f].replace("'", "''") + "'"
            value = f"coalesce({value}, {literal})"
        exprs.append(f"CAST({value} AS VARCHAR) AS {f}")
    return ", ".join(exprs), params


def _record_expr(info: readers.ReadInfo) -> str:
    """The source row as JSON text (what the quarantine keeps and the page lets one correct)."""
    if info.access == "json":
        return "s.record"
    return "json_object(" + ", ".join(f"'{c.replace(chr(39), chr(39) * 2)}', s.{_q(c)}" for c in info.columns) + ")::VARCHAR"


def _load_enums(con, m: Mapping) -> None:
    rows = [(f, str(k), str(v)) for f, table in m.enums.items() for k, v in table.items()]
    rows += [("crs", k, v) for k, v in coords.ALIASES.items()]
    con.execute("DROP TABLE IF EXISTS ing_enum")
    # The mapping's own spellings first; the generic aliases only fill in (one code per value).
    con.execute("CREATE TEMP TABLE ing_enum (field VARCHAR, value VARCHAR, code VARCHAR, PRIMARY KEY (field, value))")
    if rows:
        con.executemany("INSERT OR IGNORE INTO ing_enum VALUES (?, lower(?), ?)", rows)
    _load_families(con)


def _load_families(con) -> None:
    """ing_family: hazard -> hazard family, the linking rule's 'same happening' (data/mappings/linking.toml)."""
    con.execute("CREATE OR REPLACE TEMP TABLE ing_family (hazard VARCHAR, family VARCHAR)")
    con.executemany("INSERT INTO ing_family VALUES (?, ?)", list(mapping_mod.linking()["families"].items()))


def _required_cases(m: Mapping) -> str:
    return "\n".join(f"WHEN {f} IS NULL THEN ['missing_field', '{f}', NULL]" for f in m.required)


def _limit_cases(m: Mapping, typed: dict[str, str]) -> str:
    out = []
    for f, lim in m.limits.items():
        col = typed.get(f, f)
        out.append(f"WHEN {col} IS NOT NULL AND ({col} < {float(lim['min'])!r} OR {col} > {float(lim['max'])!r}) "
                   f"THEN ['absurd_value', '{f}', {f}]")
    return "\n".join(out)


def _check_incidents(con, m: Mapping, cfg: dict, now) -> None:
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_typed AS
        SELECT s.*, ing_ts(s.received_at) AS t_received, ing_ts(s.dispatched_at) AS t_dispatched,
               ing_ts(s.closed_at) AS t_closed,
               try_cast(s.x AS DOUBLE) AS nx, try_cast(s.y AS DOUBLE) AS ny, try_cast(s.value AS DOUBLE) AS nvalue,
               eh.code AS hazard_code, TRY_CAST(es.code AS TINYINT) AS severity_code, est.code AS status_code,
               ec.code AS crs_code
        FROM ing_stage s
        LEFT JOIN ing_enum eh ON eh.field = 'hazard' AND eh.value = lower(s.hazard)
        LEFT JOIN ing_enum es ON es.field = 'severity' AND es.value = lower(s.severity)
        LEFT JOIN ing_enum est ON est.field = 'status' AND est.value = lower(s.status)
        LEFT JOIN ing_enum ec ON ec.field = 'crs' AND ec.value = lower(s.crs)""")
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
          WHEN greatest(t_dispatched, t_closed) > $future THEN ['future_time', 'closed_at', coalesce(closed_at, dispatched_at)]
          WHEN hazard_code IS NULL THEN ['unknown_value', 'hazard', hazard]
          WHEN severity IS NOT NULL AND severity_code IS NULL THEN ['unknown_value', 'severity', severity]
          WHEN {"status IS NOT NULL AND status_code IS NULL" if has_status_enum else "false"}
               THEN ['unknown_value', 'status', status]
          WHEN {"status_code = 'closed' AND t_closed IS NULL" if has_status_enum else "false"}
               THEN ['missing_field', 'closed_at', NULL]
          WHEN crs IS NOT NULL AND crs_code IS NULL AND (x IS NOT NULL OR y IS NOT NULL) THEN ['unknown_value', 'crs', crs]
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


def _check_readings(con, m: Mapping, now, cfg: dict) -> None:
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


def _convert_coordinates(con) -> None:
    """WGS84 lon/lat for every row still valid that has coordinates; only non-WGS84 rows leave DuckDB."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_pos AS
        SELECT t.row_no, t.nx AS lon, t.ny AS lat FROM ing_typed t JOIN ing_checked c USING (row_no)
        WHERE c.reason IS NULL AND t.nx IS NOT NULL AND t.crs_code IN ('wgs84', 'cgcs2000')""")
    todo = con.execute("""
        SELECT t.row_no, t.nx, t.ny, t.crs_code FROM ing_typed t JOIN ing_checked c USING (row_no)
        WHERE c.reason IS NULL AND t.nx IS NOT NULL AND t.crs_code IN ('epsg4549', 'gcj02', 'bd09')""").fetchnumpy()
    if len(todo["row_no"]):
        import pandas as pd
        lon = np.full(len(todo["row_no"]), np.nan)
        lat = np.full(len(todo["row_no"]), np.nan)
        systems = np.asarray(todo["crs_code"]).astype(str)
        for system in np.unique(systems):
            sel = systems == system
            lon[sel], lat[sel] = coords.to_wgs84(np.asarray(todo["nx"])[sel], np.asarray(todo["ny"])[sel], system)
        frame = pd.DataFrame({"row_no": np.asarray(todo["row_no"]), "lon": lon, "lat": lat})
        con.register("ing_converted", frame)
        con.execute("INSERT INTO ing_pos SELECT row_no, lon, lat FROM ing_converted")
        con.unregister("ing_converted")


def _place(con, cfg: dict) -> None:
    """Township, grid cell and village of each valid row; approximate placement for rows without coordinates."""
    tol_deg = float(cfg["county_tolerance_m"]) / 111_000.0
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_hint AS
        WITH norow AS (
            SELECT t.row_no, coalesce(t.township, '') AS township, coalesce(t.address, '') AS address
            FROM ing_typed t JOIN ing_checked c USING (row_no) WHERE c.reason IS NULL AND t.nx IS NULL),
        -- Text matching runs once per distinct (township, address), not once per row.
        addr AS (SELECT DISTINCT township, address FROM norow),
        twp AS (
            SELECT a.township, a.address, arg_max(w.township_id, length(w.name)) AS township_id FROM addr a
            JOIN townships w ON w.name = a.township OR contains(a.address, w.name)
                 -- short form without the 街道/镇/乡 suffix ("G235国道黄田段" is in 黄田镇)
                 OR contains(a.address, regexp_replace(w.name, '(街道|镇|乡)$', ''))
            GROUP BY a.township, a.address),
        vil AS (  -- within the township when one is known, else among all villages
            SELECT a.township, a.address, arg_max(v.village_id, length(v.name)) AS village_id FROM addr a
            LEFT JOIN twp USING (township, address)
            JOIN villages v ON (twp.township_id IS NULL OR v.township_id = twp.township_id)
                           AND contains(a.address, v.name)
            GROUP BY a.township, a.address),
        place AS (
            SELECT a.township, a.address, coalesce(twp.township_id, v.township_id) AS township_id, vil.village_id,
                   CASE WHEN vil.village_id IS NOT NULL THEN v.lon ELSE w.seat_lon END AS lon,
                   CASE WHEN vil.village_id IS NOT NULL THEN v.lat ELSE w.seat_lat END AS lat,
                   CASE WHEN vil.village_id IS NOT NULL THEN 'village' ELSE 'township' END AS precision
            FROM addr a LEFT JOIN twp USING (township, address) LEFT JOIN vil USING (township, address)
            LEFT JOIN villages v ON v.village_id = vil.village_id
            LEFT JOIN townships w ON w.township_id = coalesce(twp.township_id, v.township_id))
        SELECT n.row_no, p.township_id, p.village_id, p.lon, p.lat, p.precision
        FROM norow n JOIN place p USING (township, address)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_loc AS
            SELECT row_no, lon, lat, 'exact' AS precision, NULL::SMALLINT AS hint_township,
                   NULL::SMALLINT AS village_id
            FROM ing_pos
            UNION ALL
            SELECT row_no, lon, lat, precision, township_id, village_id FROM ing_hint WHERE lon IS NOT NULL""")
    # Grid cell: most points by their raster pixel (raster.py); the rest by point in polygon against the grid
    # cells (they tile the county; each knows its township). A point on a shared edge matches two cells: the
    # lower id wins.
    x0, y0, step = raster.ensure(con)
    frame = {"x0": x0, "y0": y0, "step": step}
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_cell AS
        SELECT l.row_no, p.grid_cell_id FROM ing_loc l
        JOIN grid_pixels p ON p.pixel = {raster.pixel_sql("l.lon", "l.lat")}""", frame)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_rest AS
        SELECT l.row_no, ST_Point(l.lon, l.lat) AS geom FROM ing_loc l ANTI JOIN ing_cell c USING (row_no)""")
    con.execute("""
        INSERT INTO ing_cell
        SELECT l.row_no, min(g.grid_cell_id) AS grid_cell_id
        FROM ing_rest l JOIN grid_cells g ON ST_Contains(g.geom, l.geom) GROUP BY l.row_no""")
    # Outside every cell: the nearest cell within the tolerance (few rows, so a plain distance join).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_miss AS
        SELECT l.row_no, l.geom FROM ing_rest l ANTI JOIN ing_cell c USING (row_no)""")
    con.execute("""
        INSERT INTO ing_cell
        SELECT l.row_no, arg_min(g.grid_cell_id, ST_Distance(g.geom, l.geom))
        FROM ing_miss l JOIN grid_cells g ON ST_DWithin(g.geom, l.geom, $tol) GROUP BY l.row_no""", {"tol": tol_deg})
    # Village of an exact point: the nearest village of its township, among the pixel's few candidates when the
    # point lies in a raster pixel, else among all the township's villages (about 19).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_village AS
        WITH exact AS (
            SELECT l.row_no, l.lon, l.lat, g.township_id, {raster.pixel_sql("l.lon", "l.lat")} AS pixel
            FROM ing_loc l JOIN ing_cell c USING (row_no) JOIN grid_cells g USING (grid_cell_id)
            WHERE l.precision = 'exact'),
        by_pixel AS (
            SELECT e.row_no, arg_min(v.village_id, (v.lon - e.lon) ^ 2 + (v.lat - e.lat) ^ 2) AS village_id
            FROM exact e JOIN grid_pixel_villages pv ON pv.pixel = e.pixel JOIN villages v USING (village_id)
            GROUP BY e.row_no)
        SELECT * FROM by_pixel
        UNION ALL
        SELECT e.row_no, arg_min(v.village_id, (v.lon - e.lon) ^ 2 + (v.lat - e.lat) ^ 2)
        FROM exact e ANTI JOIN by_pixel b USING (row_no)
        JOIN villages v ON v.township_id = e.township_id GROUP BY e.row_no""", frame)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_placed AS
        SELECT l.row_no, l.lon, l.lat, l.precision, c.grid_cell_id,
               coalesce(l.hint_township, g.township_id) AS township_id, coalesce(l.village_id, v.village_id) AS village_id
        FROM ing_loc l LEFT JOIN ing_cell c USING (row_no) LEFT JOIN grid_cells g USING (grid_cell_id)
        LEFT JOIN ing_village v USING (row_no)""")
    con.execute("""
        UPDATE ing_checked c SET reason = 'outside_county', field = 'x', bad_value = t.x || ', ' || t.y
        FROM ing_typed t, ing_placed p
        WHERE c.row_no = t.row_no AND c.row_no = p.row_no AND c.reason IS NULL AND p.grid_cell_id IS NULL""")
    con.execute("""
        UPDATE ing_checked c SET reason = 'no_location', field = 'address', bad_value = t.address
        FROM ing_typed t
        WHERE c.row_no = t.row_no AND c.reason IS NULL AND c.row_no NOT IN (SELECT row_no FROM ing_placed)""")


def _keys_incidents(con, m: Mapping) -> None:
    """Channel and source id per row; then duplicates within the file and rows already stored."""
    channel_cases = " ".join(f"WHEN hazard = '{k}' THEN '{v}'" for k, v in m.channel_by_hazard_raw.items())
    if m.source_ref_parts:  # sensors: the alarm is device + time
        ref = "device_id || '@' || strftime(t_received, '%Y-%m-%dT%H:%M:%S')"
    else:
        ref = "source_ref"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_key AS
        SELECT row_no, CASE WHEN false THEN NULL {channel_cases} ELSE $channel END AS channel, {ref} AS ref
        FROM ing_typed""",
                {"channel": m.channel})
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_present AS
        SELECT k.row_no FROM ing_key k WHERE k.ref IS NOT NULL
          AND EXISTS (SELECT 1 FROM incidents i WHERE i.channel = k.channel AND i.source_ref = k.ref)""")


def _keys_readings(con) -> None:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_key AS
        SELECT row_no, 'reservoir' AS channel, reservoir_id::VARCHAR || '@' || t_observed::VARCHAR AS ref
        FROM ing_typed""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_present AS
        SELECT t.row_no FROM ing_typed t WHERE t.reservoir_id IS NOT NULL AND t.t_observed IS NOT NULL
          AND EXISTS (SELECT 1 FROM reservoir_readings r
                      WHERE r.reservoir_id = t.reservoir_id AND r.observed_at = t.t_observed)""")


def _mark_duplicates(con) -> None:
    """The first valid row with an id wins; later valid rows with the same id are duplicates."""
    con.execute("""
        UPDATE ing_checked c SET reason = 'duplicate_id', field = 'source_ref', bad_value = d.ref FROM (
            SELECT k.row_no, k.ref, row_number() OVER (PARTITION BY k.channel, k.ref ORDER BY k.row_no) AS n
            FROM ing_key k JOIN ing_checked c USING (row_no)
            WHERE c.reason IS NULL AND k.ref IS NOT NULL
              AND k.row_no NOT IN (SELECT row_no FROM ing_present)) d
        WHERE c.row_no = d.row_no AND d.n > 1""")


def _outcomes(con, info: readers.ReadInfo, source: str) -> None:
    """ing_out: every row (and every reject) with its outcome: stored / quarantined / present."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_bad AS
        SELECT c.row_no, c.reason, c.field, left(c.bad_value, 200) AS bad_value, {_record_expr(info)} AS record
        FROM ing_checked c JOIN ing_src s USING (row_no)
        WHERE c.reason IS NOT NULL AND c.row_no NOT IN (SELECT row_no FROM ing_present)
        UNION ALL
        SELECT row_no, 'malformed_row', NULL, left(message, 200), json_object('line', line)::VARCHAR FROM ing_rejects""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_bad_new AS
        SELECT b.*, md5(b.record) AS record_hash FROM ing_bad b
        WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.source = $source AND q.status = 'open'
                          AND q.record_hash = md5(b.record))""", {"source": source})


# ------------------------------------------------------------------ writes (inside the transaction)
# Above this many new rows the incidents R-tree is rebuilt once instead of maintained per row (env: tests).
BULK_ROWS = int(os.environ.get("ONEMAP_INGEST_BULK_ROWS", "50000"))
# ... and at least this share of the rows already stored (see _run; env: tests force the bulk path with 0).
BULK_SHARE = float(os.environ.get("ONEMAP_INGEST_BULK_SHARE", "0.33"))


def _rtree_indexes(con, table: str) -> list[tuple[str, str]]:
    return con.execute("SELECT index_name, sql FROM duckdb_indexes() WHERE table_name = $t AND sql ILIKE '%RTREE%'",
                       {"t": table}).fetchall()


def ensure_indexes(con) -> None:
    """Re-create an R-tree of data/indexes.sql that a bulk import dropped and could not rebuild (killed)."""
    have = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    for stmt in db.INDEXES_SQL.read_text(encoding="utf-8").split(";"):
        words = stmt.split()
        if "RTREE" in stmt.upper() and "ON incidents " in stmt and len(words) > 2 and words[2] not in have:
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'incidents'").fetchone()[0]:
                con.execute(stmt)


def _stage_incidents(con) -> None:
    """ing_new: the rows to store, in time order, numbered from 1 (the ids are base + seq at insert time).

    Built before the transaction: temp tables written inside it live in transaction-local storage, which made
    this step and the insert reading it twice as slow. Sequence numbers come from a narrow sort (two columns);
    the wide rows are sorted once, by that number."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_seq AS
        SELECT t.row_no, row_number() OVER (ORDER BY t.t_received, t.row_no) AS seq
        FROM ing_typed t JOIN ing_checked c USING (row_no)
        WHERE c.reason IS NULL AND t.row_no NOT IN (SELECT row_no FROM ing_present)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_new AS
        SELECT n.seq, k.channel, k.ref,
               CASE WHEN h.class_code = 'service' THEN 'service' ELSE 'emergency' END AS category, t.hazard_code,
               coalesce(t.severity_code, 4) AS severity, false AS is_flagged,
               CASE WHEN t.t_closed IS NOT NULL THEN 'closed'
                    WHEN t.t_dispatched IS NOT NULL THEN 'dispatched' ELSE 'received' END AS status,
               t.t_received, t.t_dispatched, t.t_closed, p.lon, p.lat, ST_Point(p.lon, p.lat) AS geom, p.precision,
               p.township_id, p.village_id, p.grid_cell_id, t.address, t.caller_name, t.caller_phone,
               t.description, t.device_id
        FROM ing_seq n JOIN ing_typed t USING (row_no) JOIN ing_key k USING (row_no)
        JOIN ing_placed p USING (row_no) JOIN hazard_types h ON h.code = t.hazard_code
        ORDER BY n.seq""")


def _store_incidents(con) -> int:
    before = con.execute("SELECT coalesce(max(incident_id), 0) FROM incidents").fetchone()[0]
    # ing_new is stored in seq order and a plain scan keeps it: the rows land in time order (zone maps).
    con.execute("""
        INSERT INTO incidents (incident_id, channel, source_ref, category, hazard, severity, is_flagged, status,
                               received_at, dispatched_at, closed_at, lon, lat, geom, location_precision,
                               township_id, village_id, grid_cell_id, address, caller_name, caller_phone,
                               description, device_id, event_id)
        SELECT $base + seq, * EXCLUDE (seq), NULL FROM ing_new""", {"base": before})
    con.execute("CREATE OR REPLACE TEMP TABLE ing_new_range AS SELECT $base::BIGINT AS base", {"base": before})
    return con.execute("SELECT count(*) FROM incidents WHERE incident_id > $base", {"base": before}).fetchone()[0]


def _store_readings(con) -> int:
    con.execute("""
        INSERT INTO reservoir_readings (reservoir_id, observed_at, level_m, inflow_m3s, outflow_m3s)
        SELECT t.reservoir_id, t.t_observed, t.n_level, t.n_inflow, t.n_outflow
        FROM ing_typed t JOIN ing_checked c USING (row_no)
        WHERE c.reason IS NULL AND t.row_no NOT IN (SELECT row_no FROM ing_present)""")
    return con.execute("""SELECT count(*) FROM ing_checked c WHERE c.reason IS NULL
                          AND c.row_no NOT IN (SELECT row_no FROM ing_present)""").fetchone()[0]


def _link_events(con, cfg: dict) -> int:
    """Link the new incidents to reports of the same hazard family from other channels nearby in space and time.

    Candidate pairs come from an equality join on (family, time bucket) with the neighbouring buckets, then exact
    time and distance filters; a new report joins its partners' event or starts one with them (one hop)."""
    minutes, metres = int(cfg["minutes"]), float(cfg["distance_m"])
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_pairs AS
        WITH span AS (SELECT min(received_at) AS lo, max(received_at) AS hi FROM incidents
                      WHERE incident_id > (SELECT base FROM ing_new_range)),
        new AS (SELECT i.incident_id, i.channel, i.received_at, i.lon, i.lat, f.family,
                       unnest([b - 1, b, b + 1]) AS bucket
                FROM (SELECT *, CAST(floor(epoch(received_at) / ($minutes * 60)) AS BIGINT) AS b FROM incidents
                      WHERE incident_id > (SELECT base FROM ing_new_range)) i
                JOIN ing_family f ON f.hazard = i.hazard),
        -- A file is mostly one channel: its reports never link among themselves, so when all the new rows share
        -- one channel the other side leaves that channel out before the join (a 1 M-row 110 file would
        -- otherwise pair every call with every call of its hour: 0.9 s of CPU for pairs all dropped after).
        one_channel AS (SELECT CASE WHEN count(DISTINCT channel) = 1 THEN any_value(channel) END AS channel
                        FROM incidents WHERE incident_id > (SELECT base FROM ing_new_range)),
        old AS (SELECT i.incident_id, i.channel, i.received_at, i.lon, i.lat, i.event_id, f.family,
                       CAST(floor(epoch(i.received_at) / ($minutes * 60)) AS BIGINT) AS bucket
                FROM incidents i JOIN ing_family f ON f.hazard = i.hazard, span, one_channel
                WHERE i.received_at BETWEEN span.lo - to_minutes($minutes) AND span.hi + to_minutes($minutes)
                  AND i.channel IS DISTINCT FROM one_channel.channel)
        SELECT n.incident_id AS a, o.incident_id AS b, o.event_id AS b_event
        FROM new n JOIN old o ON o.family = n.family AND o.bucket = n.bucket
        WHERE o.channel <> n.channel AND o.incident_id <> n.incident_id
          AND abs(epoch(o.received_at) - epoch(n.received_at)) <= $minutes * 60
          AND sqrt(((o.lon - n.lon) * 111320 * cos(radians(n.lat))) ^ 2 + ((o.lat - n.lat) * 110540) ^ 2) <= $metres
        """, {"minutes": minutes, "metres": metres})
    if con.execute("SELECT count(*) FROM ing_pairs").fetchone()[0] == 0:
        return 0
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_groups AS
        SELECT a, min(b_event) AS existing_event, least(a, min(b)) AS anchor FROM ing_pairs GROUP BY a""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_anchor_event AS
        SELECT anchor, (SELECT coalesce(max(event_id), 0) FROM events) + dense_rank() OVER (ORDER BY anchor) AS ev
        FROM (SELECT DISTINCT anchor FROM ing_groups WHERE existing_event IS NULL)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_link AS
        WITH g AS (SELECT g.a, coalesce(g.existing_event, ae.ev) AS ev FROM ing_groups g
                   LEFT JOIN ing_anchor_event ae USING (anchor))
        SELECT incident_id, min(ev) AS ev FROM (
            SELECT a AS incident_id, ev FROM g
            UNION ALL
            SELECT p.b, g.ev FROM ing_pairs p JOIN g ON g.a = p.a WHERE p.b_event IS NULL) GROUP BY incident_id""")
    con.execute("UPDATE incidents i SET event_id = l.ev FROM ing_link l WHERE i.incident_id = l.incident_id")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_touched AS SELECT DISTINCT ev AS event_id FROM ing_link""")
    con.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM ing_touched)")
    con.execute("""
        INSERT INTO events
        SELECT i.event_id, any_value(f.family), min(i.received_at), max(i.received_at), avg(i.lon), avg(i.lat),
               count(*), list(DISTINCT i.channel ORDER BY i.channel)
        FROM incidents i JOIN ing_family f ON f.hazard = i.hazard
        WHERE i.event_id IN (SELECT event_id FROM ing_touched) GROUP BY i.event_id""")
    return con.execute("""SELECT count(*) FROM ing_link WHERE incident_id > (SELECT base FROM ing_new_range)""").fetchone()[0]


def link_recent(con, since) -> int:
    """Cross-channel linking, by the import's rule, of the incidents received since `since` (the demo county's
    live weeks: its generator writes reports channel by channel, so the map has events to show once). Returns
    how many of those incidents were linked."""
    _load_families(con)
    con.execute("""CREATE OR REPLACE TEMP TABLE ing_new_range AS
                   SELECT coalesce(min(incident_id), (SELECT coalesce(max(incident_id), 0) + 1 FROM incidents)) - 1
                          AS base
                   FROM incidents WHERE received_at >= $since""", {"since": since})
    return _link_events(con, mapping_mod.linking())


def _quarantine(con, import_id: int, source: str, requarantine: bool) -> int:
    if requarantine:  # re-import of corrected rows: update the existing entries instead of adding new ones
        con.execute("""
            UPDATE quarantine q SET reason = b.reason, field = b.field, bad_value = b.bad_value, record = b.record,
                   record_hash = md5(b.record), import_id = $import_id
            FROM ing_bad b WHERE q.quarantine_id = b.row_no""", {"import_id": import_id})
        return con.execute("SELECT count(*) FROM ing_bad").fetchone()[0]
    con.execute("""
        INSERT INTO quarantine (quarantine_id, import_id, source, row_no, reason, field, bad_value, record,
                                record_hash, status)
        SELECT (SELECT coalesce(max(quarantine_id), 0) FROM quarantine) + row_number() OVER (ORDER BY row_no),
               $import_id, $source, row_no, reason, field, bad_value, record, record_hash, 'open'
        FROM ing_bad_new""", {"import_id": import_id, "source": source})
    return con.execute("SELECT count(*) FROM ing_bad_new").fetchone()[0]


def _pause_for_tests(stage: str) -> None:
    """The atomicity test kills the process while it is inside the transaction; it asks for a pause here."""
    if os.environ.get("ONEMAP_INGEST_PAUSE") == stage:
        print(f"INGEST-PAUSED {stage}", flush=True)
        time.sleep(float(os.environ.get("ONEMAP_INGEST_PAUSE_SECONDS", "30")))


class _ProfiledCursor:
    """A cursor that times each statement (wall and CPU) and prints the slowest when closed: where an import's
    time goes. On with ONEMAP_INGEST_PROFILE=1 (stderr); statements are unchanged."""

    def __init__(self, cur, top: int = 15):
        self._cur, self._top, self._times = cur, top, []

    def execute(self, sql, params=None):
        t, c = time.perf_counter(), time.process_time()
        self._cur.execute(sql, params) if params is not None else self._cur.execute(sql)
        self._times.append((time.perf_counter() - t, time.process_time() - c, " ".join(str(sql).split())[:100]))
        return self

    def close(self):
        import sys
        wall = sum(t[0] for t in self._times)
        print(f"ingest profile: {len(self._times)} statements, {wall:.2f} s", file=sys.stderr)
        for w, c, sql in sorted(self._times, reverse=True)[:self._top]:
            print(f"{w * 1000:8.0f} ms {c * 1000:8.0f} ms CPU  {sql}", file=sys.stderr)
        self._cur.close()

    def __getattr__(self, name):
        return getattr(self._cur, name)


def _cursor(con):
    cur = con.cursor()
    return _ProfiledCursor(cur) if os.environ.get("ONEMAP_INGEST_PROFILE") else cur


# ------------------------------------------------------------------ entry points
def import_file(con, path, source: str, via: str = "cli", progress=None, file_name: str | None = None,
                exclusive: bool = False) -> ImportResult:
    """Import one file. Raises nothing for bad rows; a file that cannot be read at all returns error set.

    exclusive: the caller is the only user of the database (the CLI holding the file lock), so a bulk file may
    drop and rebuild the incidents R-tree. Never inside the app: DuckDB 1.5.5 crashes (segfault, seen in
    tests/data/test_ingest_atomic.py) when an R-tree is dropped while another cursor scans it."""
    path = Path(path)
    progress = progress or (lambda f, step: None)
    result = ImportResult(file=file_name or path.name, source=source)
    t0 = time.perf_counter()
    m = mapping_mod.load(source)
    with _IMPORT_LOCK:
        cur = _cursor(con)
        workdir = readers.temp_workdir()
        decoding = readers.decode_ahead(path, workdir)
        try:
            ensure_tables(cur)
            ensure_indexes(cur)
            sha = file_sha256(path) if path.exists() else None
            prior = cur.execute("SELECT import_id, rows_in FROM import_files WHERE source = $s AND sha256 = $h "
                                "AND via <> 'quarantine' ORDER BY import_id LIMIT 1",
                                {"s": source, "h": sha}).fetchone() if sha else None
            if prior:  # the very same file again: everything in it is already present
                result.import_id, result.rows_in, result.already_present = prior[0], prior[1], prior[1]
                result.seconds = round(time.perf_counter() - t0, 3)
                return result
            progress(0.05, "read")
            try:
                info = readers.read(cur, path, m, workdir, decoded=decoding)
            except FileUnreadable as exc:
                result.error = str(exc)
                return result
            result.encoding = info.encoding
            _run(cur, m, info, result, via, sha or "", progress, requarantine=False, exclusive=exclusive)
        finally:
            cur.close()
            if decoding is not None:
                decoding.exception()  # wait for it (its error, if any, was raised by read) before removing workdir
            shutil.rmtree(workdir, ignore_errors=True)
    result.seconds = round(time.perf_counter() - t0, 3)
    return result


def reimport_quarantined(con, source: str, records: list[tuple[int, str]]) -> ImportResult:
    """Corrected quarantine records (quarantine_id, JSON) through the same checks; passing ones are stored and
    their entries resolved, failing ones keep their entry with the new reason."""
    m = mapping_mod.load(source)
    result = ImportResult(file="quarantine", source=source)
    t0 = time.perf_counter()
    with _IMPORT_LOCK:
        cur = con.cursor()
        try:
            ensure_tables(cur)
            info = readers.load_records(cur, records)
            info.access = "json"
            digest = hashlib.sha256(repr(sorted(records)).encode()).hexdigest()
            # Corrected CSV rows are JSON objects keyed by column name: read them as such.
            m_json = m if m.is_json else _as_flat_json(m)
            _run(cur, m_json, info, result, "quarantine", digest, lambda f, s: None, requarantine=True)
        finally:
            cur.close()
    result.seconds = round(time.perf_counter() - t0, 3)
    return result


def _as_flat_json(m: Mapping) -> Mapping:
    from dataclasses import replace
    return replace(m, format="json_flat")


def _run(cur, m: Mapping, info: readers.ReadInfo, result: ImportResult, via: str, sha: str, progress,
         requarantine: bool, exclusive: bool = False) -> None:
    cfg = mapping_mod.linking()
    now = now_cst()
    _macros(cur)
    _load_enums(cur, m)
    select, params = _field_exprs(m, info)
    cur.execute("DROP VIEW IF EXISTS ing_stage")
    cur.execute(f"CREATE TEMP VIEW ing_stage AS SELECT row_no, {select} FROM ing_src", params or None)
    progress(0.25, "check")
    if m.target == "incidents":
        _check_incidents(cur, m, cfg, now)
        _convert_coordinates(cur)
        progress(0.4, "place")
        _place(cur, cfg)
        _keys_incidents(cur, m)
    else:
        _check_readings(cur, m, now, cfg)
        _keys_readings(cur)
    _mark_duplicates(cur)
    _outcomes(cur, info, m.source)
    if m.target == "incidents":
        _stage_incidents(cur)
    progress(0.6, "store")
    rows_in = info.rows + info.rejects
    present = cur.execute("SELECT count(*) FROM ing_present").fetchone()[0]
    n_ok = cur.execute("""SELECT count(*) FROM ing_checked WHERE reason IS NULL
                          AND row_no NOT IN (SELECT row_no FROM ing_present)""").fetchone()[0]
    # A bulk file with the database to itself (CLI): the incidents R-tree is dropped before and rebuilt after the
    # data transaction when that is cheaper than maintaining it. Measured: maintaining costs ~1.7 us per new row
    # (1 M rows into 0.3 M: +1.7 s at commit), a rebuild ~0.3-0.5 us per stored row (0.4 s at 1.3 M, 5.4 s at
    # 10 M); so rebuild only when the file brings at least a third as many rows as the table holds. The data
    # stays atomic; a killed import's index comes back on the next import (ensure_indexes).
    existing = cur.execute("SELECT count(*) FROM incidents").fetchone()[0] if m.target == "incidents" else 0
    bulk = exclusive and m.target == "incidents" and n_ok > BULK_ROWS and n_ok >= BULK_SHARE * existing
    rebuild = _rtree_indexes(cur, "incidents") if bulk else []
    for name, _ in rebuild:
        cur.execute(f"DROP INDEX {_q(name)}")
    try:
        _transaction(cur, m, cfg, result, via, sha, progress, requarantine, now, rows_in, present)
    finally:
        for _, sql in rebuild:
            cur.execute(sql)
    progress(1.0, "done")


def _transaction(cur, m: Mapping, cfg: dict, result: ImportResult, via: str, sha: str, progress, requarantine: bool,
                 now, rows_in: int, present: int) -> None:
    cur.execute("BEGIN TRANSACTION")
    try:
        stored = _store_incidents(cur) if m.target == "incidents" else _store_readings(cur)
        _pause_for_tests("store")
        progress(0.8, "link")
        linked = _link_events(cur, cfg) if (
            m.target == "incidents" and stored) else 0
        import_id = cur.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_files").fetchone()[0]
        quarantined = _quarantine(cur, import_id, m.source, requarantine)
        bad_total = cur.execute("SELECT count(*) FROM ing_bad").fetchone()[0]
        if requarantine:
            already = present
            # entries that now passed (stored or already present) are resolved
            cur.execute("""UPDATE quarantine SET status = 'resolved', resolved_at = $now
                           WHERE quarantine_id IN (SELECT row_no FROM ing_src)
                             AND quarantine_id NOT IN (SELECT row_no FROM ing_bad)""", {"now": now})
        else:
            already = present + (bad_total - quarantined)  # bad rows already held in quarantine
        if stored + quarantined + already != rows_in:
            raise RuntimeError(f"accounting mismatch: {rows_in} in, {stored} stored, {quarantined} quarantined, "
                               f"{already} already present")
        cur.execute("""INSERT INTO import_files VALUES ($id, $source, $sha, $name, $enc, $via, $now, NULL,
                       $rows_in, $stored, $quarantined, $already, $linked)""",
                    {"id": import_id, "source": m.source, "sha": sha, "name": result.file, "enc": result.encoding,
                     "via": via, "now": now, "rows_in": rows_in, "stored": stored, "quarantined": quarantined,
                     "already": already, "linked": linked})
        db.bump_data_version(cur)
        _pause_for_tests("commit")
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    result.rows_in, result.stored, result.quarantined = rows_in, stored, quarantined
    result.already_present, result.linked, result.import_id = already, linked, import_id
    result.reasons = dict(cur.execute("SELECT reason, count(*) FROM ing_bad GROUP BY reason ORDER BY 2 DESC")
                          .fetchall())
