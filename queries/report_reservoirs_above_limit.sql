-- Daily report: reservoirs whose highest reading in [$start, $end) (one day) was above the level they are judged
-- against that day, as One Map's KPI judges them (data/macros.sql reservoir_limit_m: the flood-limit level 汛限水位
-- in the flood season, the normal storage level 正常蓄水位 outside it), with the excess and the time of the peak.
WITH judged AS (
    SELECT reservoir_id, name, scale, township_id, is_generated,
           reservoir_limit_m(flood_limit_level_m, normal_level_m, $start::TIMESTAMP) AS limit_m
    FROM reservoirs
)
SELECT j.reservoir_id, j.name, j.scale, j.limit_m, t.name AS township,
       max(rr.level_m) AS peak_level_m, arg_max(rr.observed_at, rr.level_m) AS peak_at,
       round(max(rr.level_m) - j.limit_m, 2) AS above_m, j.is_generated
FROM reservoir_readings rr
JOIN judged j USING (reservoir_id)
LEFT JOIN townships t ON t.township_id = j.township_id
WHERE rr.observed_at >= $start AND rr.observed_at < $end
GROUP BY j.reservoir_id, j.name, j.scale, j.limit_m, t.name, j.is_generated
HAVING max(rr.level_m) > j.limit_m
ORDER BY above_m DESC;
