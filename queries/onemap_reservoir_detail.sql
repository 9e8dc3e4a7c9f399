-- One reservoir as One Map's side panel shows it after a click: its characteristic levels, the latest reading at
-- or before $now and the one about 24 hours before it, and the limit that applies on $now (data/macros.sql
-- reservoir_limit_m: 汛限水位 in the flood season, 正常蓄水位 outside it) with the status the map colours by
-- (as queries/onemap_reservoirs.sql: above / near, within 0.5 m below / normal / no_reading).
-- Parameters: $reservoir_id (INTEGER), $now (TIMESTAMP).
WITH readings AS (
    SELECT observed_at, level_m, inflow_m3s, outflow_m3s
    FROM reservoir_readings
    WHERE reservoir_id = $reservoir_id AND observed_at <= $now::TIMESTAMP
), latest AS (
    SELECT * FROM readings ORDER BY observed_at DESC LIMIT 1
), day_before AS (
    SELECT r.level_m, r.observed_at
    FROM readings r, latest l
    WHERE r.observed_at <= l.observed_at - INTERVAL 24 HOUR
    ORDER BY r.observed_at DESC LIMIT 1
)
SELECT r.reservoir_id, r.code, r.name, r.scale, r.capacity_mcm, r.dead_level_m, r.flood_limit_level_m,
       r.normal_level_m, r.design_flood_level_m, r.check_flood_level_m, t.name AS township, r.lon, r.lat,
       in_flood_season($now::TIMESTAMP) AS in_flood_season,
       reservoir_limit_m(r.flood_limit_level_m, r.normal_level_m, $now::TIMESTAMP) AS limit_m,
       l.level_m, l.observed_at, l.inflow_m3s, l.outflow_m3s,
       d.level_m AS level_24h_before_m, d.observed_at AS observed_24h_before,
       CASE WHEN l.level_m IS NULL THEN 'no_reading'
            WHEN l.level_m > reservoir_limit_m(r.flood_limit_level_m, r.normal_level_m, $now::TIMESTAMP) THEN 'above'
            WHEN l.level_m >= reservoir_limit_m(r.flood_limit_level_m, r.normal_level_m, $now::TIMESTAMP) - 0.5
                THEN 'near'
            ELSE 'normal' END AS status
FROM reservoirs r
LEFT JOIN townships t USING (township_id)
LEFT JOIN latest l ON true
LEFT JOIN day_before d ON true
WHERE r.reservoir_id = $reservoir_id;
