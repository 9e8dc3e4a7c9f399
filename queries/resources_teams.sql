-- Rescue teams of township $township_id (NULL = all) for the resources map and table, largest first.
-- Leader identity masked (personal data; the full view belongs to the audited roles path).
-- Parameters: $township_id (SMALLINT or NULL).
SELECT t.team_id, t.name, t.kind, t.specialty, s.name_zh AS specialty_zh, s.name_en AS specialty_en,
       array_to_string(t.specialties, ',') AS specialties, t.headcount, mask_name(t.leader_name) AS leader_name,
       mask_phone(t.leader_phone) AS leader_phone, tw.name AS township, t.township_id, t.lon, t.lat
FROM rescue_teams t
JOIN team_specialties s ON s.code = t.specialty
JOIN townships tw ON tw.township_id = t.township_id
WHERE $township_id::SMALLINT IS NULL OR t.township_id = $township_id::SMALLINT
ORDER BY t.specialty, t.headcount DESC, t.team_id;
