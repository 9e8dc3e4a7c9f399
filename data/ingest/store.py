"""Sequence and store stages, and the quarantine and import_files rows of the transaction.

sequence (before the transaction): ing_typed, ing_checked, ing_present, ing_key, ing_placed -> ing_seq, ing_new
(the incidents to store, in time order).
store: ing_new -> incidents (ids base + seq) and ing_new_range (the base); readings: ing_typed -> reservoir_readings.
quarantine: ing_bad / ing_bad_new -> quarantine (new entries, or the re-imported entries updated and resolved).
record: the accounting check, then import_files and data_version.
"""
from __future__ import annotations

import os
from contextlib import contextmanager

from data import db

from .checks import quote

# What a source row states, over ing_typed t (the re-import compares and applies the same, updates.py): the status
# its times reach, its newest time (incidents.source_as_of), and the callback time (回访 done: the case had its
# feedback and callback by the time it closed; the export gives no times of its own for them).
STATED_STATUS = ("CASE WHEN t.t_closed IS NOT NULL THEN 'closed' WHEN t.t_dispatched IS NOT NULL THEN 'dispatched' "
                 "ELSE 'received' END")
STATED_AS_OF = "greatest(t.t_received, t.t_dispatched, t.t_closed)"
CALLBACK_AT = "CASE WHEN t.callback_code = 'done' THEN t.t_closed END"

# Above this many new rows the incidents R-tree is rebuilt once instead of maintained per row (env: tests).
BULK_ROWS = int(os.environ.get("ONEMAP_INGEST_BULK_ROWS", "50000"))
# ... and at least this share of the rows already stored (env: tests force the bulk path with 0).
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



@contextmanager
def rtree_dropped_for_bulk(con, exclusive: bool, target: str, n_ok: int):
    """A bulk file with the database to itself (CLI): the incidents R-tree is dropped before and rebuilt after the
    data transaction when that is cheaper than maintaining it. Measured: maintaining costs ~1.7 us per new row
    (1 M rows into 0.3 M: +1.7 s at commit), a rebuild ~0.3-0.5 us per stored row (0.4 s at 1.3 M, 5.4 s at
    10 M); so rebuild only when the file brings at least a third as many rows as the table holds. The data
    stays atomic; a killed import's index comes back on the next import (ensure_indexes)."""
    existing = con.execute("SELECT count(*) FROM incidents").fetchone()[0] if target == "incidents" else 0
    bulk = exclusive and target == "incidents" and n_ok > BULK_ROWS and n_ok >= BULK_SHARE * existing
    rebuild = _rtree_indexes(con, "incidents") if bulk else []
    for name, _ in rebuild:
        con.execute(f"DROP INDEX {quote(name)}")
    try:
        yield
    finally:
        for _, sql in rebuild:
            con.execute(sql)


def sequence_incidents(con) -> None:
    """ing_new: the rows to store, in time order, numbered from 1 (the ids are base + seq at insert time).

    Built before the transaction: temp tables written inside it live in transaction-local storage, which made
    this step and the insert reading it twice as slow. Sequence numbers come from a narrow sort (two columns);
    the wide rows are sorted once, by that number."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_seq AS
        SELECT t.row_no, row_number() OVER (ORDER BY t.t_received, t.row_no) AS seq
        FROM ing_typed t JOIN ing_checked c USING (row_no)
        WHERE c.reason IS NULL AND t.row_no NOT IN (SELECT row_no FROM ing_present)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_new AS
        SELECT n.seq, k.channel, k.ref,
               CASE WHEN h.class_code = 'service' THEN 'service' ELSE 'emergency' END AS category, t.hazard_code,
               coalesce(t.severity_code, 4) AS severity, false AS is_flagged, {STATED_STATUS} AS status,
               t.t_received, t.t_dispatched, t.t_closed, {CALLBACK_AT} AS feedback_at, {CALLBACK_AT} AS callback_at,
               p.lon, p.lat, ST_Point(p.lon, p.lat) AS geom, p.precision,
               p.township_id, p.village_id, p.grid_cell_id, t.address, t.caller_name, t.caller_phone,
               t.description, t.device_id, {STATED_AS_OF} AS source_as_of
        FROM ing_seq n JOIN ing_typed t USING (row_no) JOIN ing_key k USING (row_no)
        JOIN ing_placed p USING (row_no) JOIN hazard_types h ON h.code = t.hazard_code
        ORDER BY n.seq""")


def store_incidents(con) -> int:
    before = con.execute("SELECT coalesce(max(incident_id), 0) FROM incidents").fetchone()[0]
    # ing_new is stored in seq order and a plain scan keeps it: the rows land in time order (zone maps).
    con.execute("""
        INSERT INTO incidents (incident_id, channel, source_ref, category, hazard, severity, is_flagged, status,
                               received_at, dispatched_at, closed_at, feedback_at, callback_at, lon, lat, geom,
                               location_precision, township_id, village_id, grid_cell_id, address, caller_name,
                               caller_phone, description, device_id, source_as_of, event_id)
        SELECT $base + seq, * EXCLUDE (seq), NULL FROM ing_new""", {"base": before})
    con.execute("CREATE OR REPLACE TEMP TABLE ing_new_range AS SELECT $base::BIGINT AS base", {"base": before})
    return con.execute("SELECT count(*) FROM incidents WHERE incident_id > $base", {"base": before}).fetchone()[0]


def store_readings(con) -> int:
    con.execute("""
        INSERT INTO reservoir_readings (reservoir_id, observed_at, level_m, inflow_m3s, outflow_m3s)
        SELECT t.reservoir_id, t.t_observed, t.n_level, t.n_inflow, t.n_outflow
        FROM ing_typed t JOIN ing_checked c USING (row_no)
        WHERE c.reason IS NULL AND t.row_no NOT IN (SELECT row_no FROM ing_present)""")
    return con.execute("""SELECT count(*) FROM ing_checked c WHERE c.reason IS NULL
                          AND c.row_no NOT IN (SELECT row_no FROM ing_present)""").fetchone()[0]



def next_import_id(con) -> int:
    return con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_files").fetchone()[0]


def quarantine(con, source: str, requarantine: bool, now, present: int,
               import_id: int | None = None) -> tuple[int, int, int]:
    """(import_id, quarantined, already present): the bad rows into the quarantine under the next import_id.
    present: the rows of stored ids not applied as updates."""
    import_id = import_id or next_import_id(con)
    quarantined = _quarantine(con, import_id, source, requarantine)
    bad_total = con.execute("SELECT count(*) FROM ing_bad").fetchone()[0]
    if requarantine:
        already = present
        # entries that now passed (stored or already present) are resolved
        con.execute("""UPDATE quarantine SET status = 'resolved', resolved_at = $now
                       WHERE quarantine_id IN (SELECT row_no FROM ing_src)
                         AND quarantine_id NOT IN (SELECT row_no FROM ing_bad)""", {"now": now})
    else:
        already = present + (bad_total - quarantined)  # bad rows already held in quarantine
    return import_id, quarantined, already


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



def record(con, import_id: int, source: str, sha: str, name: str, encoding: str | None, via: str, now,
           counts: dict, notes: str | None = None) -> None:
    """The file's import_files row and the data_version bump, once its rows add up (rows_in = stored + updated +
    quarantined + already). notes: JSON of what was stored but not whole (updates.notes)."""
    counts = {"updated": 0, **counts}
    if counts["stored"] + counts["updated"] + counts["quarantined"] + counts["already"] != counts["rows_in"]:
        raise RuntimeError(f"accounting mismatch: {counts['rows_in']} in, {counts['stored']} stored, "
                           f"{counts['updated']} updated, {counts['quarantined']} quarantined, "
                           f"{counts['already']} already present")
    con.execute("""INSERT INTO import_files (import_id, source, sha256, file_name, encoding, via, imported_at,
                                           seconds, rows_in, stored, quarantined, already_present, linked, updated,
                                           notes)
                   VALUES ($id, $source, $sha, $name, $enc, $via, $now, NULL,
                           $rows_in, $stored, $quarantined, $already, $linked, $updated, $notes)""",
                {"id": import_id, "source": source, "sha": sha, "name": name, "enc": encoding, "via": via,
                 "now": now, "notes": notes, **counts})
    db.bump_data_version(con)
