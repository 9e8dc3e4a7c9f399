-- The $limit shelters nearest to ($lon, $lat) that still have free places (capacity - occupancy > 0).
-- distance_km: great-circle (ST_Distance_Sphere takes lat/lon axis order); travel_min as in nearby_teams.sql.
-- Parameters: $lon, $lat (DOUBLE), $limit (INTEGER).
SELECT s.shelter_id, s.name, s.level, s.setting, s.purpose, s.stay, s.capacity, s.occupancy,
       s.capacity - s.occupancy AS free_places, s.is_open, tw.name AS township, s.lon, s.lat,
       round(ST_Distance_Sphere(ST_Point(s.lat, s.lon), ST_Point($lat, $lon)) / 1000.0, 2) AS distance_km,
       CAST(ceil(ST_Distance_Sphere(ST_Point(s.lat, s.lon), ST_Point($lat, $lon)) / 1000.0 * 1.4 / 40.0 * 60.0)
            AS INTEGER) AS travel_min
FROM shelters s
JOIN townships tw ON tw.township_id = s.township_id
WHERE s.capacity > s.occupancy
ORDER BY distance_km, s.shelter_id
LIMIT $limit;
