-- Daily report: alarms raised by IoT sensors and AI video in [$start, $end), by channel, sensor type and township,
-- with the highest severity among them.
SELECT i.channel, c.name_zh AS channel_zh, c.name_en AS channel_en,
       coalesce(st.name_zh, '-') AS sensor_type_zh, coalesce(st.name_en, '-') AS sensor_type_en,
       t.name AS township, count(*) AS alarms, min(i.severity) AS top_severity
FROM incidents i
JOIN channels c ON c.code = i.channel
LEFT JOIN sensors s ON s.code = i.device_id
LEFT JOIN sensor_types st ON st.code = s.sensor_type
LEFT JOIN townships t ON t.township_id = i.township_id
WHERE i.received_at >= $start AND i.received_at < $end AND i.channel IN ('iot_sensor', 'ai_video')
GROUP BY ALL
ORDER BY alarms DESC, top_severity;
