-- Incidents of [$start, $end) aggregated into grid squares of $step degrees (above the point threshold).
-- Every filtered incident falls in exactly one square, so sum(n) equals onemap_incident_count.total.
-- Parameters: $start, $end (TIMESTAMP), $hazards (VARCHAR[]), $open_only (BOOLEAN), $step (DOUBLE, degrees).
SELECT CAST(floor(lon / $step) AS INTEGER) AS gx,
       CAST(floor(lat / $step) AS INTEGER) AS gy,
       count(*) AS n,
       count(*) FILTER (WHERE status <> 'closed') AS open_n,
       count(*) FILTER (WHERE severity <= 2) AS major_n,
       count(*) FILTER (WHERE location_precision <> 'exact') AS approx_n,
       mode(hazard) AS top_hazard
FROM incidents
WHERE received_at >= $start AND received_at < $end
  AND list_contains($hazards, hazard)
  AND (NOT $open_only OR status <> 'closed')
GROUP BY ALL
ORDER BY gy, gx;
