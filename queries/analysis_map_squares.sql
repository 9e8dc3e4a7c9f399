-- Analysis: the filtered incidents in squares of $step degrees (above the point threshold), in the columns
-- layers/incidents.cell_polygons() takes (as queries/onemap_incident_cells.sql). sum(n) = the filtered total.
-- include: analysis_filter
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
