-- The $limit rescue teams nearest to ($lon, $lat), optionally only those with $specialty (NULL = any).
-- distance_km: great-circle (ST_Distance_Sphere takes points in lat/lon axis order, hence ST_Point(lat, lon)).
-- travel_min: rough road time: mountain roads run about 1.4x the straight line, at about 40 km/h average.
-- Leader name/phone are personal data: masked here (full view belongs to the audited roles path).
-- Parameters: $lon, $lat (DOUBLE), $limit (INTEGER), $specialty (VARCHAR or NULL).
WITH ranked AS (
    SELECT t.team_id, t.name, t.kind, t.specialty, t.specialties, t.headcount,
           mask_name(t.leader_name) AS leader_name, mask_phone(t.leader_phone) AS leader_phone,
           t.township_id, t.lon, t.lat,
           ST_Distance_Sphere(ST_Point(t.lat, t.lon), ST_Point($lat, $lon)) / 1000.0 AS distance_km
    FROM rescue_teams t
    WHERE $specialty::VARCHAR IS NULL OR list_contains(t.specialties, $specialty::VARCHAR)
)
SELECT r.team_id, r.name, r.kind, r.specialty, s.name_zh AS specialty_zh, s.name_en AS specialty_en,
       r.specialties, r.headcount, r.leader_name, r.leader_phone, tw.name AS township, r.lon, r.lat,
       round(r.distance_km, 2) AS distance_km,
       CAST(ceil(r.distance_km * 1.4 / 40.0 * 60.0) AS INTEGER) AS travel_min
FROM ranked r
JOIN team_specialties s ON s.code = r.specialty
JOIN townships tw ON tw.township_id = r.township_id
ORDER BY r.distance_km, r.team_id
LIMIT $limit;
