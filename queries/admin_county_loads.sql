-- The newest loads of county layer files (python -m data.county load, the Administration page, the demo build).
SELECT load_id, loaded_at, layer, file_name, via, loaded_by, rows_in, stored, updated, unchanged, quarantined
FROM county_loads
ORDER BY load_id DESC
LIMIT $max_rows;
