-- Cameras (by kind) and sensors (by type) online and offline, township $township_id or all.
-- Parameters: $township_id (SMALLINT or NULL).
SELECT 'camera' AS device_class, kind AS device_type, count(*) AS total,
       count(*) FILTER (WHERE online) AS online, count(*) FILTER (WHERE NOT online) AS offline
FROM cameras
WHERE $township_id::SMALLINT IS NULL OR township_id = $township_id::SMALLINT
GROUP BY kind
UNION ALL
SELECT 'sensor', sensor_type, count(*), count(*) FILTER (WHERE online), count(*) FILTER (WHERE NOT online)
FROM sensors
WHERE $township_id::SMALLINT IS NULL OR township_id = $township_id::SMALLINT
GROUP BY sensor_type
ORDER BY device_class, device_type;
