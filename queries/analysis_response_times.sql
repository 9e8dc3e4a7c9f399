-- Analysis: response time (incident received -> unit on scene, minutes) per linkage unit over the filtered
-- incidents: quartiles, whisker ends (p5/p95) and p90 for a box chart. Slowest (by p90) first, $max_units of them,
-- units with fewer than $min_dispatches arrivals left out (percentiles of 2 values say nothing).
WITH filtered AS (
    -- analysis filter block: identical in every queries/analysis_*.sql (tests/queries pins that).
    -- Lists bound as typed arrays, an empty list meaning "all"; $text is matched literally (contains, no pattern).
    SELECT i.*
    FROM incidents i
    WHERE i.received_at >= $start AND i.received_at < $end
      AND (len($hazards::VARCHAR[]) = 0 OR list_contains($hazards::VARCHAR[], i.hazard))
      AND (len($townships::INTEGER[]) = 0 OR list_contains($townships::INTEGER[], i.township_id))
      AND (len($grid_cells::INTEGER[]) = 0 OR list_contains($grid_cells::INTEGER[], i.grid_cell_id))
      AND (len($channels::VARCHAR[]) = 0 OR list_contains($channels::VARCHAR[], i.channel))
      AND (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], i.status))
      AND (len($severities::INTEGER[]) = 0 OR list_contains($severities::INTEGER[], i.severity))
      AND (len($hours::INTEGER[]) = 0 OR list_contains($hours::INTEGER[], hour(i.received_at)))
      AND (len($weekdays::INTEGER[]) = 0 OR list_contains($weekdays::INTEGER[], isodow(i.received_at)))
      -- each column on its own: lower() of a concatenation costs ~20x more (484 ms vs 27 ms at 331 k rows)
      AND ($text = '' OR contains(lower(i.description), lower($text)) OR contains(lower(i.address), lower($text)))
      AND (NOT $overdue_only OR i.incident_id IN (
              -- a dispatch that missed its arrival time limit (arrived late, or not arrived and past due at $now)
              SELECT d.incident_id FROM dispatches d
              WHERE d.assigned_at >= $start  -- dispatches never precede their incident
                AND coalesce(d.arrived_at, $now) > d.deadline_at))
)
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
