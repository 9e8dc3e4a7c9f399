-- The rows one county load could not store ($load_id), in file order: the reason code, the field, the value
-- and the source row as JSON, so the user can fix the file and load it again.
SELECT row_no, reason, field, bad_value, record
FROM county_quarantine
WHERE load_id = $load_id
ORDER BY row_no;
