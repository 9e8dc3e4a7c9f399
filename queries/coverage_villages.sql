-- Coverage: for every village (of $township_id, NULL = all), the nearest team of each key specialty in
-- $specialties and the nearest shelter with free places (specialty = 'shelter'), with the straight-line distance
-- and a rough travel time (x $detour at $speed_kmh). beyond_reach: travel over $reach_min minutes, or no such
-- team at all. gaps = how many of the village's rows are beyond reach (same on each of its rows).
-- 353 villages x ~110 teams: a cross product DuckDB computes in milliseconds, no index needed.
-- Parameters: $specialties (VARCHAR[]), $reach_min, $detour, $speed_kmh (DOUBLE), $township_id (SMALLINT or NULL).
WITH v AS (
    SELECT village_id, name, township_id, population, lon, lat
    FROM villages
    WHERE $township_id::SMALLINT IS NULL OR township_id = $township_id::SMALLINT
),
wanted AS (
    SELECT unnest($specialties::VARCHAR[]) AS specialty
),
team_specialty AS (
    SELECT team_id, name, unnest(specialties) AS specialty, lon, lat FROM rescue_teams
),
team_pairs AS (
    SELECT v.village_id, w.specialty, ts.name AS target,
           ST_Distance_Sphere(ST_Point(v.lat, v.lon), ST_Point(ts.lat, ts.lon)) AS distance_m
    FROM v CROSS JOIN wanted w
    LEFT JOIN team_specialty ts ON ts.specialty = w.specialty
),
shelter_pairs AS (
    SELECT v.village_id, 'shelter' AS specialty, s.name AS target,
           ST_Distance_Sphere(ST_Point(v.lat, v.lon), ST_Point(s.lat, s.lon)) AS distance_m
    FROM v CROSS JOIN shelters s
    WHERE s.capacity > s.occupancy
),
nearest AS (
    SELECT village_id, specialty, arg_min(target, distance_m) AS nearest, min(distance_m) AS distance_m
    FROM (SELECT * FROM team_pairs UNION ALL SELECT * FROM shelter_pairs)
    GROUP BY village_id, specialty
),
timed AS (
    SELECT n.*, CAST(ceil(n.distance_m / 1000.0 * $detour::DOUBLE / $speed_kmh::DOUBLE * 60.0) AS INTEGER) AS travel_min
    FROM nearest n
)
SELECT v.village_id, v.name AS village, tw.name AS township, v.township_id, v.population, v.lon, v.lat,
       t.specialty, t.nearest, round(t.distance_m / 1000.0, 2) AS distance_km, t.travel_min,
       coalesce(t.travel_min > $reach_min::DOUBLE, true) AS beyond_reach,
       CAST(count(*) FILTER (WHERE coalesce(t.travel_min > $reach_min::DOUBLE, true))
            OVER (PARTITION BY v.village_id) AS INTEGER) AS gaps
FROM v
JOIN timed t ON t.village_id = v.village_id
JOIN townships tw ON tw.township_id = v.township_id
ORDER BY v.township_id, v.village_id, t.specialty;
