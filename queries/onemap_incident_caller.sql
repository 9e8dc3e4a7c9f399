-- One incident's caller name and phone IN FULL, for an audited callback reveal (views/caller.py
-- reveal_caller checks the role and writes the audit row first; nothing else may run this query).
-- Parameters: $incident_id (BIGINT).
SELECT i.caller_name, i.caller_phone
FROM incidents i
WHERE i.incident_id = $incident_id;
