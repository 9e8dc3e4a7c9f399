-- The newest audit rows, optionally one action and/or one user ('' = all), for the administrator to read.
SELECT audit_id, logged_at, username, role, action, incident_id, detail, client
FROM audit_log
WHERE ($action = '' OR action = $action) AND ($username = '' OR username = $username)
ORDER BY audit_id DESC
LIMIT $max_rows;
