-- Townships and their villages by name, for the call form's place pickers (a call placed by name, not by map).
-- village is NULL on the one row per township that stands for the township itself.
-- Parameters: none.
SELECT t.name AS township, NULL::VARCHAR AS village FROM townships t
UNION ALL
SELECT t.name, v.name FROM villages v JOIN townships t USING (township_id)
ORDER BY township, village NULLS FIRST;
