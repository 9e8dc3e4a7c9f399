-- Accounts for the administration page: never the password hash. Last sign-in from the audit log.
SELECT u.username, u.display_name, u.role, u.active, u.is_demo, u.failed_attempts, u.locked_until,
       u.created_at, u.password_changed_at,
       (SELECT max(a.logged_at) FROM audit_log a WHERE a.username = u.username AND a.action = 'sign_in') AS last_sign_in
FROM users u
ORDER BY u.role, u.username;
