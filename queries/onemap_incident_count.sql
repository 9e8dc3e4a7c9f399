-- How many incidents the map must show for [$start, $end) and the chosen hazards: the level-of-detail switch
-- (points or aggregates) reads total; approximate = placed at their village or township seat. total, approximate
-- and open count reports (the squares add up to them); events and open_events count events (data/macros.sql
-- event_key: reports linked into one event count once), for the map's count line.
-- Parameters: $start, $end (TIMESTAMP), $hazards (VARCHAR[]), $open_only (BOOLEAN).
SELECT count(*) AS total,
       count(*) FILTER (WHERE location_precision <> 'exact') AS approximate,
       count(*) FILTER (WHERE status <> 'closed') AS open,
       count(DISTINCT event_key(event_id, incident_id)) AS events,
       count(DISTINCT event_key(event_id, incident_id)) FILTER (WHERE status <> 'closed') AS open_events
FROM incidents
WHERE received_at >= $start AND received_at < $end
  AND list_contains($hazards, hazard)
  AND (NOT $open_only OR status <> 'closed');
