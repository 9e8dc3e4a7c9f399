-- Incidents of $hazards received in the $window_days before $as_of, with their status as it stood at $as_of
-- (closed only if closed before then), for the replayed risk map. Newest first, at most $max_rows.
-- Parameters: $as_of (TIMESTAMP), $hazards (VARCHAR[]), $window_days, $max_rows (INTEGER).
SELECT i.incident_id, i.hazard, i.severity, i.channel, i.received_at, i.lon, i.lat, i.grid_cell_id,
       CASE WHEN i.closed_at IS NOT NULL AND i.closed_at < $as_of::TIMESTAMP THEN 'closed' ELSE 'open' END AS status_then
FROM incidents i
WHERE i.received_at < $as_of::TIMESTAMP
  AND i.received_at >= $as_of::TIMESTAMP - to_days($window_days::INTEGER)
  AND i.hazard IN (SELECT unnest($hazards::VARCHAR[]))
ORDER BY i.received_at DESC
LIMIT $max_rows;
