-- Every camera for the map layer (1,300+ rows: small enough to send as points).
SELECT camera_id, code, name, kind, online, last_seen_at, township_id, lon, lat
FROM cameras
ORDER BY camera_id;
