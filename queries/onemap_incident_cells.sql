-- Incidents of [$start, $end) aggregated into grid squares of $step degrees (above the point threshold), already
-- serialised as the JSON rows the browser draws (layers/incidents.cell_layer_from_json splices them into the
-- deck as they are). One result row: cells (squares), drawn (sum of n: every filtered incident falls in exactly
-- one square, so it equals onemap_incident_count.total), max_n (the busiest square: the colour ramp's top) and
-- rows, a JSON array ordered by gy, gx of {"n": incidents, "p": the square's polygon (corners rounded to
-- 5 decimals), "tip": tooltip}. The browser colours each square from n (layers/incidents.cell_fill_expression).
-- Tooltip: incidents n / open · major (I-II) · approximate / main hazard (the most frequent; a tie goes to the
-- hazard first in $hazard_order), in the UI language.
-- Parameters: $start, $end (TIMESTAMP), $hazards (VARCHAR[]), $open_only (BOOLEAN), $step (DOUBLE, degrees),
--   $hazard_order, $hazard_names (VARCHAR[], same order), $tip_total, $tip_open, $tip_major, $tip_approx,
--   $tip_top (VARCHAR labels).
WITH by_hazard AS (
    SELECT CAST(floor(lon / $step) AS INTEGER) AS gx,
           CAST(floor(lat / $step) AS INTEGER) AS gy,
           hazard,
           count(*) AS n,
           count(*) FILTER (WHERE status <> 'closed') AS open_n,
           count(*) FILTER (WHERE severity <= 2) AS major_n,
           count(*) FILTER (WHERE location_precision <> 'exact') AS approx_n
    FROM incidents
    WHERE received_at >= $start AND received_at < $end
      AND list_contains($hazards, hazard)
      AND (NOT $open_only OR status <> 'closed')
    GROUP BY ALL
), cells AS (
    SELECT gx, gy, CAST(sum(n) AS BIGINT) AS n, CAST(sum(open_n) AS BIGINT) AS open_n,
           CAST(sum(major_n) AS BIGINT) AS major_n, CAST(sum(approx_n) AS BIGINT) AS approx_n,
           arg_max(hazard, {'n': n, 'first': -coalesce(list_position($hazard_order, hazard), 1000)}) AS top_hazard
    FROM by_hazard
    GROUP BY gx, gy
)
SELECT count(*) AS cells,
       coalesce(sum(n), 0) AS drawn,
       coalesce(max(n), 0) AS max_n,
       '[' || coalesce(string_agg(CAST(to_json({
           'n': n,
           'p': [[round(gx * $step, 5), round(gy * $step, 5)], [round((gx + 1) * $step, 5), round(gy * $step, 5)],
                 [round((gx + 1) * $step, 5), round((gy + 1) * $step, 5)],
                 [round(gx * $step, 5), round((gy + 1) * $step, 5)]],
           'tip': $tip_total || ' ' || CAST(n AS VARCHAR) || chr(10)
                  || $tip_open || ' ' || CAST(open_n AS VARCHAR) || ' · '
                  || $tip_major || ' ' || CAST(major_n AS VARCHAR) || ' · '
                  || $tip_approx || ' ' || CAST(approx_n AS VARCHAR) || chr(10)
                  || $tip_top || ' ' || coalesce($hazard_names[list_position($hazard_order, top_hazard)], '')
       }) AS VARCHAR), ',' ORDER BY gy, gx), '') || ']' AS rows
FROM cells;
