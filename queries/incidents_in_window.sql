-- Incidents received in [$start, $end) as map points, newest first, with their hazard and severity codes.
SELECT incident_id, channel, hazard, severity, status, received_at, lon, lat, location_precision, township_id
FROM incidents
WHERE received_at >= $start AND received_at < $end
ORDER BY received_at DESC
LIMIT $max_rows;
