-- Every rescue team for the map layer (about a hundred rows). Leader contact is masked (personal data).
SELECT t.team_id, t.name, t.kind, t.specialty, t.headcount, mask_name(t.leader_name) AS leader_name,
       mask_phone(t.leader_phone) AS leader_phone, t.township_id, t.lon, t.lat
FROM rescue_teams t
ORDER BY t.team_id;
