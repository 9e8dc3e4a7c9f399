-- Each reservoir with its latest reading at or before $now and the limit that applies on $now:
-- the flood-limit level (汛限水位) in the flood season 15 Apr - 15 Oct, the normal level (正常蓄水位) outside it.
-- status: above the limit / near (within 0.5 m below it) / normal / no_reading.
-- Parameters: $now (TIMESTAMP).
WITH latest AS (
    SELECT reservoir_id, arg_max(level_m, observed_at) AS level_m, max(observed_at) AS observed_at
    FROM reservoir_readings
    WHERE observed_at <= $now::TIMESTAMP
    GROUP BY reservoir_id
), season AS (
    SELECT strftime($now::TIMESTAMP, '%m-%d') BETWEEN '04-15' AND '10-15' AS in_flood_season
)
SELECT r.reservoir_id, r.name, r.scale, r.capacity_mcm, r.flood_limit_level_m, r.normal_level_m,
       r.township_id, r.lon, r.lat, r.is_generated, l.level_m, l.observed_at, s.in_flood_season,
       CASE WHEN s.in_flood_season THEN r.flood_limit_level_m ELSE r.normal_level_m END AS limit_m,
       CASE WHEN l.level_m IS NULL THEN 'no_reading'
            WHEN l.level_m > (CASE WHEN s.in_flood_season THEN r.flood_limit_level_m ELSE r.normal_level_m END)
                THEN 'above'
            WHEN l.level_m >= (CASE WHEN s.in_flood_season THEN r.flood_limit_level_m ELSE r.normal_level_m END) - 0.5
                THEN 'near'
            ELSE 'normal' END AS status
FROM reservoirs r
CROSS JOIN season s
LEFT JOIN latest l USING (reservoir_id)
ORDER BY r.reservoir_id;
