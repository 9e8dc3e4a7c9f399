-- The rural safety grid cells (网格) as GeoJSON, with open incidents received in [$start, $end) per cell:
-- the shading of the grid layer. Coordinates trimmed to 5 decimals (about 1 m) to keep the map payload small.
-- Parameters: $start, $end (TIMESTAMP).
WITH open_counts AS (
    SELECT grid_cell_id, count(*) AS open_n, count(*) FILTER (WHERE severity <= 2) AS major_open_n
    FROM incidents
    WHERE received_at >= $start AND received_at < $end AND status <> 'closed' AND grid_cell_id IS NOT NULL
    GROUP BY grid_cell_id
)
SELECT g.grid_cell_id, g.code, g.name, t.name AS township, g.population,
       coalesce(o.open_n, 0) AS open_n, coalesce(o.major_open_n, 0) AS major_open_n,
       ST_AsGeoJSON(ST_ReducePrecision(g.geom, 0.00001)) AS geojson
FROM grid_cells g
JOIN townships t USING (township_id)
LEFT JOIN open_counts o USING (grid_cell_id)
ORDER BY g.grid_cell_id;
