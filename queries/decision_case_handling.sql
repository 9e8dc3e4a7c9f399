-- How past incidents were handled: the linkage units dispatched to each of $incident_ids, how many arrived
-- within their time limit, and minutes from receipt to closing. For the similar-cases table of the decision aids.
-- Each table is joined from the short id list (DuckDB then probes the primary-key / incident_id indexes
-- instead of scanning 10 M rows: 4 s -> milliseconds at 10 M incidents).
-- Parameters: $incident_ids (BIGINT[]).
WITH wanted AS (
    SELECT DISTINCT unnest($incident_ids::BIGINT[]) AS incident_id
),
cases AS (
    SELECT i.incident_id, i.received_at, i.closed_at
    FROM wanted w JOIN incidents i ON i.incident_id = w.incident_id
),
handled AS (
    SELECT d.incident_id, d.dispatch_id, d.unit_id, d.arrived_at, d.deadline_at
    FROM wanted w JOIN dispatches d ON d.incident_id = w.incident_id
)
SELECT c.incident_id,
       string_agg(DISTINCT u.name, '、') AS units,
       count(h.dispatch_id) AS dispatches,
       count(h.dispatch_id) FILTER (WHERE h.arrived_at IS NOT NULL AND h.arrived_at <= h.deadline_at) AS arrived_on_time,
       CAST(round(date_diff('second', c.received_at, c.closed_at) / 60.0) AS INTEGER) AS minutes_to_close
FROM cases c
LEFT JOIN handled h ON h.incident_id = c.incident_id
LEFT JOIN linkage_units u ON u.unit_id = h.unit_id
GROUP BY c.incident_id, c.received_at, c.closed_at
ORDER BY c.incident_id;
