-- Analysis filter options: incident statuses in lifecycle order with labels.
SELECT code, name_zh, name_en FROM incident_statuses ORDER BY step;
