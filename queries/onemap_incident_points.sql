-- Incidents of [$start, $end) as map points (used only below the point threshold), newest first.
-- Coordinates rounded to 4 decimals (about 10 m): the dot is for the eye; details come from the database.
-- Parameters: $start, $end (TIMESTAMP), $hazards (VARCHAR[]), $open_only (BOOLEAN), $max_rows (INTEGER).
SELECT incident_id, channel, hazard, severity, status, status <> 'closed' AS is_open, received_at,
       round(lon, 4) AS lon, round(lat, 4) AS lat, location_precision, township_id
FROM incidents
WHERE received_at >= $start AND received_at < $end
  AND list_contains($hazards, hazard)
  AND (NOT $open_only OR status <> 'closed')
ORDER BY received_at DESC, incident_id DESC
LIMIT $max_rows;
