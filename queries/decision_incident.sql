-- One incident as the decision aids need it: where, what hazard, how severe, since when, in which township.
-- Caller identity only through the masks (personal data).
-- Parameters: $incident_id (BIGINT).
SELECT i.incident_id, i.channel, i.hazard, h.name_zh AS hazard_zh, h.name_en AS hazard_en, i.severity,
       sv.roman AS severity_roman, i.status, i.received_at, i.closed_at, i.lon, i.lat, i.location_precision,
       tw.name AS township, i.address, i.description,
       mask_name(i.caller_name) AS caller_name, mask_phone(i.caller_phone) AS caller_phone
FROM incidents i
JOIN hazard_types h ON h.code = i.hazard
JOIN severity_levels sv ON sv.level = i.severity
JOIN townships tw ON tw.township_id = i.township_id
WHERE i.incident_id = $incident_id;
