-- Places to search around by name (cameras near a point): each township's seat and each village's point.
-- Parameters: none.
SELECT t.name AS label, t.seat_lon AS lon, t.seat_lat AS lat, t.code AS sort_key FROM townships t
UNION ALL
SELECT t.name || ' · ' || v.name, v.lon, v.lat, t.code || '.' || v.code FROM villages v JOIN townships t USING (township_id)
ORDER BY sort_key;
