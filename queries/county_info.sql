-- The county this database serves (python -m data.county init, or the demo build): code, names, seat and extent
-- (WGS84 degrees). No row on a database made before the county table existed.
SELECT code, name_zh, name_en, seat_lon, seat_lat, min_lon, min_lat, max_lon, max_lat, is_demo
FROM county
LIMIT 1;
