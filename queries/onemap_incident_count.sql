-- How many incidents the map must show for [$start, $end) and the chosen hazards: the level-of-detail switch
-- (points or aggregates) reads total; approximate = placed at their village or township seat.
-- Parameters: $start, $end (TIMESTAMP), $hazards (VARCHAR[]), $open_only (BOOLEAN).
SELECT count(*) AS total,
       count(*) FILTER (WHERE location_precision <> 'exact') AS approximate,
       count(*) FILTER (WHERE status <> 'closed') AS open
FROM incidents
WHERE received_at >= $start AND received_at < $end
  AND list_contains($hazards, hazard)
  AND (NOT $open_only OR status <> 'closed');
