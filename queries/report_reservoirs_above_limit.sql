-- Daily report: reservoirs whose highest reading in [$start, $end) was above the flood-limit level (汛限水位),
-- with the excess in metres and the time of the peak.
SELECT r.reservoir_id, r.name, r.scale, r.flood_limit_level_m, t.name AS township,
       max(rr.level_m) AS peak_level_m, arg_max(rr.observed_at, rr.level_m) AS peak_at,
       round(max(rr.level_m) - r.flood_limit_level_m, 2) AS above_m, r.is_generated
FROM reservoir_readings rr
JOIN reservoirs r USING (reservoir_id)
LEFT JOIN townships t ON t.township_id = r.township_id
WHERE rr.observed_at >= $start AND rr.observed_at < $end
GROUP BY r.reservoir_id, r.name, r.scale, r.flood_limit_level_m, t.name, r.is_generated
HAVING max(rr.level_m) > r.flood_limit_level_m
ORDER BY above_m DESC;
