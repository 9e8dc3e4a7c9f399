-- The latest incidents of [$start, $end) for the pick list beside the map (open ones first, then newest).
-- Parameters: $start, $end (TIMESTAMP), $hazards (VARCHAR[]), $limit (INTEGER).
SELECT i.incident_id, i.received_at, i.hazard, i.severity, i.status, i.channel, t.name AS township,
       i.location_precision
FROM incidents i
JOIN townships t USING (township_id)
WHERE i.received_at >= $start AND i.received_at < $end AND list_contains($hazards, i.hazard)
ORDER BY (i.status = 'closed'), i.severity, i.received_at DESC
LIMIT $limit;
