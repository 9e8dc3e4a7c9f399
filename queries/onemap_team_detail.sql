-- One rescue team as One Map's side panel shows it after a click; the leader masked (data/macros.sql).
-- Parameters: $team_id (INTEGER).
SELECT tm.team_id, tm.code, tm.name, tm.kind, tm.specialty, tm.specialties, tm.headcount,
       mask_name(tm.leader_name) AS leader_name, mask_phone(tm.leader_phone) AS leader_phone,
       t.name AS township, tm.lon, tm.lat
FROM rescue_teams tm
LEFT JOIN townships t USING (township_id)
WHERE tm.team_id = $team_id;
