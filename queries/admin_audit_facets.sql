-- Distinct actions and users in the audit log, for the filters, and the row count.
SELECT 'action' AS facet, action AS value, count(*) AS n FROM audit_log GROUP BY action
UNION ALL
SELECT 'user', username, count(*) FROM audit_log GROUP BY username
ORDER BY facet, value;
