-- Each reservoir with its latest reading at or before $now and the limit that applies on $now
-- (data/macros.sql reservoir_limit_m: 汛限水位 in the flood season, 正常蓄水位 outside it).
-- status: above the limit / near (within 0.5 m below it) / normal / no_reading.
-- Parameters: $now (TIMESTAMP).
WITH latest AS (
    SELECT reservoir_id, arg_max(level_m, observed_at) AS level_m, max(observed_at) AS observed_at
    FROM reservoir_readings
    WHERE observed_at <= $now::TIMESTAMP
    GROUP BY reservoir_id
), judged AS (
    SELECT r.*, in_flood_season($now::TIMESTAMP) AS in_flood_season,
           reservoir_limit_m(r.flood_limit_level_m, r.normal_level_m, $now::TIMESTAMP) AS limit_m
    FROM reservoirs r
)
SELECT r.reservoir_id, r.name, r.scale, r.capacity_mcm, r.flood_limit_level_m, r.normal_level_m,
       r.township_id, r.lon, r.lat, r.is_generated, l.level_m, l.observed_at, r.in_flood_season, r.limit_m,
       CASE WHEN l.level_m IS NULL THEN 'no_reading'
            WHEN l.level_m > r.limit_m THEN 'above'
            WHEN l.level_m >= r.limit_m - 0.5 THEN 'near'
            ELSE 'normal' END AS status
FROM judged r
LEFT JOIN latest l USING (reservoir_id)
ORDER BY r.reservoir_id;
