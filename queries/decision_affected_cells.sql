-- Grid cells reached by an incident's affected-area buffer (within $radius_m of its location), with their grid
-- members: who to call in the affected area. Distances in metres on a local equirectangular plane centred on
-- the incident (x = lon * 111.2 km * cos(lat), y = lat * 111.2 km; < 0.5 % off across a county, and no PROJ
-- set-up, which costs ~65 ms a call), so a polygon's nearest edge counts, not just its centre; 0 = inside.
-- Grid members are duty contacts shown in full: calling them is the point of the list.
-- Parameters: $incident_id (BIGINT), $radius_m (DOUBLE).
WITH incident AS (
    SELECT lon, lat, 111200.0 * cos(radians(lat)) AS m_per_lon,
           -- a lon/lat box around the buffer: only cells touching it are measured (R-tree on grid_cells)
           ST_MakeEnvelope(lon - $radius_m / (111200.0 * cos(radians(lat))), lat - $radius_m / 111200.0,
                           lon + $radius_m / (111200.0 * cos(radians(lat))), lat + $radius_m / 111200.0) AS box
    FROM incidents WHERE incident_id = $incident_id
),
cells AS (
    SELECT g.grid_cell_id, g.code, g.name, g.township_id, g.population,
           ST_Distance(ST_Affine(g.geom, i.m_per_lon, 0, 0, 111200.0, 0, 0),
                       ST_Point(i.lon * i.m_per_lon, i.lat * 111200.0)) AS distance_m
    FROM grid_cells g, incident i
    WHERE ST_Intersects(g.geom, i.box)
),
members AS (
    SELECT grid_cell_id, string_agg(name || ' ' || phone, '; ' ORDER BY role, member_id) AS members
    FROM grid_members
    GROUP BY grid_cell_id
)
SELECT c.grid_cell_id, c.code, c.name, tw.name AS township, c.population, round(c.distance_m) AS distance_m,
       c.distance_m = 0 AS contains_incident, m.members
FROM cells c
JOIN townships tw ON tw.township_id = c.township_id
LEFT JOIN members m ON m.grid_cell_id = c.grid_cell_id
WHERE c.distance_m <= $radius_m
ORDER BY c.distance_m, c.grid_cell_id;
