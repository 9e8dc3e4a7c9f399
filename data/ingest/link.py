"""Link stage: new incidents joined to reports of the same hazard family from other channels nearby in space and time.

Reads incidents (the new ones: incident_id > ing_new_range.base), ing_family (data/mappings/linking.toml),
events and event_splits (reports a person split off: never linked again by the rule, data/event_ops.py);
writes ing_pairs (new report, partner), ing_groups, ing_anchor_event, ing_link (incident -> event) and ing_touched,
then incidents.event_id and the touched events' rows.
"""
from __future__ import annotations

from . import mapping as mapping_mod


def load_families(con) -> None:
    """ing_family: hazard -> hazard family, the linking rule's 'same happening' (data/mappings/linking.toml)."""
    con.execute("CREATE OR REPLACE TEMP TABLE ing_family (hazard VARCHAR, family VARCHAR)")
    con.executemany("INSERT INTO ing_family VALUES (?, ?)", list(mapping_mod.linking()["families"].items()))



def link_events(con, cfg: dict) -> int:
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
                      WHERE incident_id > (SELECT base FROM ing_new_range)
                        AND incident_id NOT IN (SELECT incident_id FROM event_splits)) i
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
                  AND i.channel IS DISTINCT FROM one_channel.channel
                  -- a person split it off: the rule leaves it alone (new reports may still join its old event)
                  AND i.incident_id NOT IN (SELECT incident_id FROM event_splits))
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
        INSERT INTO events (event_id, hazard_family, first_at, last_at, lon, lat, report_count, channels)
        SELECT i.event_id, any_value(f.family), min(i.received_at), max(i.received_at), avg(i.lon), avg(i.lat),
               count(*), list(DISTINCT i.channel ORDER BY i.channel)
        FROM incidents i JOIN ing_family f ON f.hazard = i.hazard
        WHERE i.event_id IN (SELECT event_id FROM ing_touched) GROUP BY i.event_id""")
    return con.execute("""SELECT count(*) FROM ing_link
                          WHERE incident_id > (SELECT base FROM ing_new_range)""").fetchone()[0]


def link_recent(con, since) -> int:
    """Cross-channel linking, by the import's rule, of the incidents received since `since` (the demo county's
    live weeks: its generator writes reports channel by channel, so the map has events to show once). Returns
    how many of those incidents were linked."""
    load_families(con)
    con.execute("""CREATE OR REPLACE TEMP TABLE ing_new_range AS
                   SELECT coalesce(min(incident_id), (SELECT coalesce(max(incident_id), 0) + 1 FROM incidents)) - 1
                          AS base
                   FROM incidents WHERE received_at >= $since""", {"since": since})
    return link_events(con, mapping_mod.linking())

