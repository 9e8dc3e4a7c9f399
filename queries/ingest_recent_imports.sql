-- ingest_recent_imports: the latest imports with their accounting (data-import page).
-- Params: $limit.
SELECT import_id, imported_at, source, file_name, via, encoding, rows_in, stored, updated, quarantined,
       already_present, linked
FROM import_files
ORDER BY import_id DESC
LIMIT $limit;
