-- Rescue team specialty labels in both UI languages.
SELECT code, name_zh, name_en FROM team_specialties ORDER BY code;
