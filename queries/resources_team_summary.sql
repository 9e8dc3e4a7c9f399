-- Teams and people per specialty (a team counts under every specialty it lists), township $township_id or all.
-- Parameters: $township_id (SMALLINT or NULL).
WITH by_specialty AS (
    SELECT unnest(t.specialties) AS specialty, t.headcount, t.kind
    FROM rescue_teams t
    WHERE $township_id::SMALLINT IS NULL OR t.township_id = $township_id::SMALLINT
)
SELECT s.code AS specialty, s.name_zh, s.name_en, count(b.specialty) AS teams,
       CAST(coalesce(sum(b.headcount), 0) AS INTEGER) AS headcount,
       count(b.specialty) FILTER (WHERE b.kind = 'professional') AS professional_teams
FROM team_specialties s
LEFT JOIN by_specialty b ON b.specialty = s.code
GROUP BY s.code, s.name_zh, s.name_en
ORDER BY headcount DESC, s.code;
