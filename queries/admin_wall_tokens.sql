-- Wall-screen tokens (the hash is never shown: the token itself was shown once at creation).
SELECT token_id, label, created_by, created_at, expires_at, revoked_at, revoked_by,
       revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $now) AS usable
FROM wall_tokens
ORDER BY usable DESC, token_id DESC;
