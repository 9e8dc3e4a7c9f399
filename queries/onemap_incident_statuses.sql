-- Incident status labels in both UI languages, in lifecycle order.
SELECT code, step, name_zh, name_en FROM incident_statuses ORDER BY step;
