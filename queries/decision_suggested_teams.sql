-- Suggested teams for an incident: the nearest teams having any of $specialties (the hazard's fitting
-- specialties from config/risk_weights.toml; an empty list = any team), nearest first, with the people they
-- bring. cumulative_headcount adds the teams up in that order; send = the team is needed to reach $need
-- (people needed, estimated from severity), so the first rows with send = true make the plan.
-- travel_min: rough road time = straight line x $detour / $speed_kmh. Leader identity masked (personal data).
-- Parameters: $incident_id (BIGINT), $specialties (VARCHAR[]), $need, $max_teams (INTEGER), $detour,
-- $speed_kmh (DOUBLE).
WITH incident AS (
    SELECT lon, lat FROM incidents WHERE incident_id = $incident_id
),
candidates AS (
    SELECT t.team_id, t.name, t.kind, t.specialty, t.specialties, t.headcount,
           mask_name(t.leader_name) AS leader_name, mask_phone(t.leader_phone) AS leader_phone,
           t.township_id, t.lon, t.lat,
           list_intersect(t.specialties, $specialties::VARCHAR[]) AS fitting,
           ST_Distance_Sphere(ST_Point(t.lat, t.lon), ST_Point(i.lat, i.lon)) / 1000.0 AS distance_km
    FROM rescue_teams t, incident i
    WHERE len($specialties::VARCHAR[]) = 0 OR list_has_any(t.specialties, $specialties::VARCHAR[])
),
nearest AS (
    SELECT *, sum(headcount) OVER (ORDER BY distance_km, team_id ROWS UNBOUNDED PRECEDING) AS cumulative_headcount
    FROM candidates
    ORDER BY distance_km, team_id
    LIMIT $max_teams
)
SELECT n.team_id, n.name, n.kind, n.specialty, s.name_zh AS specialty_zh, s.name_en AS specialty_en,
       n.specialties, n.fitting, n.headcount, CAST(n.cumulative_headcount AS INTEGER) AS cumulative_headcount,
       $need::INTEGER AS need, n.cumulative_headcount - n.headcount < $need::INTEGER AS send,
       n.leader_name, n.leader_phone, tw.name AS township, n.lon, n.lat,
       round(n.distance_km, 2) AS distance_km,
       CAST(ceil(n.distance_km * $detour::DOUBLE / $speed_kmh::DOUBLE * 60.0) AS INTEGER) AS travel_min
FROM nearest n
JOIN team_specialties s ON s.code = n.specialty
JOIN townships tw ON tw.township_id = n.township_id
ORDER BY n.distance_km, n.team_id;
