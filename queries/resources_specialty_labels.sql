-- Rescue team specialty codes with their labels in both languages.
SELECT code, name_zh, name_en FROM team_specialties ORDER BY code;
