-- ingest_quarantine_open: rows held in quarantine and not yet resolved, newest first (data-import page).
-- The record is the source row as JSON; personal fields are masked by the page before display.
-- Params: $source ('' = all sources), $limit.
SELECT q.quarantine_id, q.source, f.file_name, q.row_no, q.reason, q.field, q.bad_value, q.record
FROM quarantine q LEFT JOIN import_files f USING (import_id)
WHERE q.status = 'open' AND ($source = '' OR q.source = $source)
ORDER BY q.quarantine_id DESC
LIMIT $limit;
