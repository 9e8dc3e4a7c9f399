-- Analysis: the filtered incidents in squares of $step degrees (above the point threshold), in the columns
-- layers/incidents.cell_polygons() takes (as queries/onemap_incident_cells.sql). sum(n) = the filtered total.
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
SELECT gx, gy, count(*) AS n,
       count(*) FILTER (WHERE status <> 'closed') AS open_n,
       count(*) FILTER (WHERE severity <= 2) AS major_n,
       count(*) FILTER (WHERE location_precision <> 'exact') AS approx_n,
       mode(hazard) AS top_hazard
FROM (SELECT CAST(floor(lon / $step) AS INTEGER) AS gx, CAST(floor(lat / $step) AS INTEGER) AS gy,
             hazard, status, severity, location_precision
      FROM filtered)
GROUP BY gx, gy
ORDER BY gy, gx;
