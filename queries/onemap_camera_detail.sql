-- One camera as One Map's side panel shows it after a click: online or not, last seen, where to view it.
-- Parameters: $camera_id (INTEGER).
SELECT c.camera_id, c.code, c.name, c.kind, c.online, c.last_seen_at, c.stream_ref, t.name AS township,
       c.lon, c.lat
FROM cameras c
LEFT JOIN townships t USING (township_id)
WHERE c.camera_id = $camera_id;
