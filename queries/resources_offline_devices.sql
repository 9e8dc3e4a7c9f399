-- Offline cameras and sensors of township $township_id (NULL = all): the maintenance list.
-- Parameters: $township_id (SMALLINT or NULL).
SELECT 'camera' AS device_class, c.kind AS device_type, c.code, c.name, tw.name AS township, c.last_seen_at, c.lon, c.lat
FROM cameras c JOIN townships tw ON tw.township_id = c.township_id
WHERE NOT c.online AND ($township_id::SMALLINT IS NULL OR c.township_id = $township_id::SMALLINT)
UNION ALL
SELECT 'sensor', s.sensor_type, s.code, s.name, tw.name, NULL::TIMESTAMP, s.lon, s.lat
FROM sensors s JOIN townships tw ON tw.township_id = s.township_id
WHERE NOT s.online AND ($township_id::SMALLINT IS NULL OR s.township_id = $township_id::SMALLINT)
ORDER BY device_class, township, code;
