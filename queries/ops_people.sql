-- Who acted on incidents, as the incident panel names them: username -> display name (never a password hash).
-- Parameters: none.
SELECT username, coalesce(nullif(trim(display_name), ''), username) AS display_name FROM users ORDER BY username;
