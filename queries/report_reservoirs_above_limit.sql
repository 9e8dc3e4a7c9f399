-- Daily report: reservoirs above their limit on the day [$start, $end) as of $asof, the definition One Map's KPI
-- counts (data/macros.sql reservoirs_above_limit: a reading above the level that applied at its time, reservoir_limit_m:
-- 汛限水位 in the flood season, 正常蓄水位 outside it), with the peak, its time, the limit then and the excess.
SELECT a.reservoir_id, r.name, r.scale,
       reservoir_limit_m(r.flood_limit_level_m, r.normal_level_m, a.peak_at) AS limit_m, t.name AS township,
       a.peak_level_m, a.peak_at, round(a.above_m, 2) AS above_m, r.is_generated
FROM reservoirs_above_limit($start, $end, $asof::TIMESTAMP) a
JOIN reservoirs r USING (reservoir_id)
LEFT JOIN townships t ON t.township_id = r.township_id
ORDER BY above_m DESC;
