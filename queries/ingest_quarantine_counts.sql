-- ingest_quarantine_counts: open quarantine rows per source and reason (data-import page summary).
SELECT source, reason, count(*) AS rows
FROM quarantine
WHERE status = 'open'
GROUP BY source, reason
ORDER BY source, rows DESC;
