-- Villages and shelters inside the affected-area buffer of an incident: within $radius_m (by hazard and
-- severity, config/risk_weights.toml) of its location, nearest first. A lon/lat box prefilters before the
-- exact great-circle distance (ST_Distance_Sphere takes lat/lon axis order). Cameras: nearby_cameras.sql;
-- grid cells and who to call: decision_affected_cells.sql.
-- Parameters: $incident_id (BIGINT), $radius_m (DOUBLE).
WITH incident AS (
    SELECT lon, lat FROM incidents WHERE incident_id = $incident_id
),
places AS (
    SELECT 'village' AS kind, v.village_id AS place_id, v.name, v.township_id, v.lon, v.lat,
           v.population, NULL::VARCHAR AS level, NULL::INTEGER AS capacity, NULL::INTEGER AS occupancy,
           NULL::INTEGER AS free_places, NULL::BOOLEAN AS is_open
    FROM villages v
    UNION ALL
    SELECT 'shelter', s.shelter_id, s.name, s.township_id, s.lon, s.lat,
           NULL, s.level, s.capacity, s.occupancy, s.capacity - s.occupancy, s.is_open
    FROM shelters s
),
inside AS (
    SELECT p.*, ST_Distance_Sphere(ST_Point(p.lat, p.lon), ST_Point(i.lat, i.lon)) AS distance_m
    FROM places p, incident i
    WHERE p.lat BETWEEN i.lat - $radius_m / 111200.0 AND i.lat + $radius_m / 111200.0
      AND p.lon BETWEEN i.lon - $radius_m / (111200.0 * cos(radians(i.lat)))
                    AND i.lon + $radius_m / (111200.0 * cos(radians(i.lat)))
)
SELECT x.kind, x.place_id, x.name, tw.name AS township, x.population, x.level, x.capacity, x.occupancy,
       x.free_places, x.is_open,
       x.lon, x.lat, round(x.distance_m) AS distance_m
FROM inside x
JOIN townships tw ON tw.township_id = x.township_id
WHERE x.distance_m <= $radius_m
ORDER BY x.kind DESC, x.distance_m, x.place_id;
