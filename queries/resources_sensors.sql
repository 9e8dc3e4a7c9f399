-- Sensors of township $township_id (NULL = all) for the resources map: type, online, reservoir served.
-- Parameters: $township_id (SMALLINT or NULL).
SELECT s.sensor_id, s.code AS device_code, s.name, s.sensor_type, s.online, tw.name AS township, r.name AS reservoir,
       s.lon, s.lat
FROM sensors s
JOIN townships tw ON tw.township_id = s.township_id
LEFT JOIN reservoirs r ON r.reservoir_id = s.reservoir_id
WHERE $township_id::SMALLINT IS NULL OR s.township_id = $township_id::SMALLINT
ORDER BY s.online, s.sensor_id;
