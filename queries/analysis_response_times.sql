-- Analysis: response time (incident received -> unit on scene, minutes) per linkage unit over the filtered
-- incidents: quartiles, whisker ends (p5/p95) and p90 for a box chart. Slowest (by p90) first, $max_units of them,
-- units with fewer than $min_dispatches arrivals left out (percentiles of 2 values say nothing).
-- include: analysis_filter
SELECT u.unit_id, u.name AS unit, u.linkage_level,
       count(*) AS arrivals,
       quantile_cont(m, 0.05) AS p05,
       quantile_cont(m, 0.25) AS p25,
       quantile_cont(m, 0.50) AS p50,
       quantile_cont(m, 0.75) AS p75,
       quantile_cont(m, 0.90) AS p90,
       quantile_cont(m, 0.95) AS p95,
       avg(m) AS mean
FROM (
    SELECT d.unit_id, date_diff('second', f.received_at, d.arrived_at) / 60.0 AS m
    FROM filtered f JOIN dispatches d ON d.incident_id = f.incident_id
    WHERE d.arrived_at IS NOT NULL
      AND d.assigned_at >= $start  -- always true for a match (dispatch follows receipt); lets zone maps skip history
) r JOIN linkage_units u USING (unit_id)
GROUP BY ALL
HAVING count(*) >= $min_dispatches
ORDER BY p90 DESC, unit
LIMIT $max_units;
