-- Open IoT-sensor and AI-video alarms received in [$start, $end): they are drawn as halos over the map.
-- Parameters: $start, $end (TIMESTAMP).
SELECT incident_id, channel, hazard, severity, status, received_at, device_id, lon, lat, location_precision
FROM incidents
WHERE received_at >= $start AND received_at < $end
  AND channel IN ('iot_sensor', 'ai_video')
  AND status <> 'closed'
ORDER BY received_at DESC;
