-- Headline of an incident's affected-area buffer (radius $radius_m): villages and their population, shelters
-- and free places, cameras and how many are online. Same box-then-sphere test as decision_affected_area.sql.
-- Parameters: $incident_id (BIGINT), $radius_m (DOUBLE).
WITH incident AS (
    SELECT lon, lat FROM incidents WHERE incident_id = $incident_id
),
box AS (
    SELECT lon, lat, lat - $radius_m / 111200.0 AS lat0, lat + $radius_m / 111200.0 AS lat1,
           lon - $radius_m / (111200.0 * cos(radians(lat))) AS lon0,
           lon + $radius_m / (111200.0 * cos(radians(lat))) AS lon1
    FROM incident
),
v AS (
    SELECT count(*) AS villages, coalesce(sum(population), 0) AS population
    FROM villages x, box b
    WHERE x.lat BETWEEN b.lat0 AND b.lat1 AND x.lon BETWEEN b.lon0 AND b.lon1
      AND ST_Distance_Sphere(ST_Point(x.lat, x.lon), ST_Point(b.lat, b.lon)) <= $radius_m
),
s AS (
    SELECT count(*) AS shelters, coalesce(sum(capacity - occupancy), 0) AS free_places
    FROM shelters x, box b
    WHERE x.lat BETWEEN b.lat0 AND b.lat1 AND x.lon BETWEEN b.lon0 AND b.lon1
      AND ST_Distance_Sphere(ST_Point(x.lat, x.lon), ST_Point(b.lat, b.lon)) <= $radius_m
),
c AS (
    SELECT count(*) AS cameras, count(*) FILTER (WHERE online) AS cameras_online
    FROM cameras x, box b
    WHERE x.lat BETWEEN b.lat0 AND b.lat1 AND x.lon BETWEEN b.lon0 AND b.lon1
      AND ST_Distance_Sphere(ST_Point(x.lat, x.lon), ST_Point(b.lat, b.lon)) <= $radius_m
)
SELECT $radius_m::DOUBLE AS radius_m, (SELECT count(*) FROM incident) AS found,
       CAST(v.villages AS INTEGER) AS villages, CAST(v.population AS BIGINT) AS population,
       CAST(s.shelters AS INTEGER) AS shelters, CAST(s.free_places AS BIGINT) AS free_places,
       CAST(c.cameras AS INTEGER) AS cameras, CAST(c.cameras_online AS INTEGER) AS cameras_online
FROM v, s, c;
