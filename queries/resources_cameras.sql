-- Cameras of township $township_id (NULL = all) for the resources map (1,300+ points at most: sent as points).
-- Parameters: $township_id (SMALLINT or NULL).
SELECT c.camera_id, c.code, c.name, c.kind, c.online, c.last_seen_at, tw.name AS township, c.township_id, c.lon, c.lat
FROM cameras c
JOIN townships tw ON tw.township_id = c.township_id
WHERE $township_id::SMALLINT IS NULL OR c.township_id = $township_id::SMALLINT
ORDER BY c.online, c.camera_id;
