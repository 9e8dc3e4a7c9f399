"""Keys and outcome stages: which rows are already stored or repeat an id, and what becomes of every row.

keys: ing_typed + incidents / reservoir_readings -> ing_key (row_no, channel, ref: the row's source id) and
ing_present (rows whose id is already stored: counted as already present, neither stored nor quarantined).
duplicates: ing_key + ing_present -> ing_checked gets duplicate_id for later valid rows repeating an id.
outcomes: ing_checked + ing_src + ing_rejects -> ing_bad (every row to quarantine, with its source record) and
ing_bad_new (those not already held open in the quarantine).
"""
from __future__ import annotations

from . import readers
from .checks import record_expr
from .mapping import Mapping


def keys_incidents(con, m: Mapping) -> None:
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


def keys_readings(con) -> None:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_key AS
        SELECT row_no, 'reservoir' AS channel, reservoir_id::VARCHAR || '@' || t_observed::VARCHAR AS ref
        FROM ing_typed""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_present AS
        SELECT t.row_no FROM ing_typed t WHERE t.reservoir_id IS NOT NULL AND t.t_observed IS NOT NULL
          AND EXISTS (SELECT 1 FROM reservoir_readings r
                      WHERE r.reservoir_id = t.reservoir_id AND r.observed_at = t.t_observed)""")


def mark_duplicates(con) -> None:
    """The first valid row with an id wins; later valid rows with the same id are duplicates."""
    con.execute("""
        UPDATE ing_checked c SET reason = 'duplicate_id', field = 'source_ref', bad_value = d.ref FROM (
            SELECT k.row_no, k.ref, row_number() OVER (PARTITION BY k.channel, k.ref ORDER BY k.row_no) AS n
            FROM ing_key k JOIN ing_checked c USING (row_no)
            WHERE c.reason IS NULL AND k.ref IS NOT NULL
              AND k.row_no NOT IN (SELECT row_no FROM ing_present)) d
        WHERE c.row_no = d.row_no AND d.n > 1""")


def outcomes(con, info: readers.ReadInfo, source: str) -> None:
    """ing_bad: every row to quarantine (failed a check, or a reader reject) with its source record."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_bad AS
        SELECT c.row_no, c.reason, c.field, left(c.bad_value, 200) AS bad_value, {record_expr(info)} AS record
        FROM ing_checked c JOIN ing_src s USING (row_no)
        WHERE c.reason IS NOT NULL AND c.row_no NOT IN (SELECT row_no FROM ing_present)
        UNION ALL
        SELECT row_no, 'malformed_row', NULL, left(message, 200), json_object('line', line)::VARCHAR
        FROM ing_rejects""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_bad_new AS
        SELECT b.*, md5(b.record) AS record_hash FROM ing_bad b
        WHERE NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.source = $source AND q.status = 'open'
                          AND q.record_hash = md5(b.record))""", {"source": source})

