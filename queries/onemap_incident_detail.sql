-- One incident for the side panel. Caller name and phone only through the masks (personal data).
-- Parameters: $incident_id (BIGINT).
SELECT i.incident_id, i.channel, i.source_ref, i.category, i.hazard, i.severity, i.is_flagged, i.status,
       i.received_at, i.dispatched_at, i.on_scene_at, i.feedback_at, i.callback_at, i.closed_at,
       i.lon, i.lat, i.location_precision, t.name AS township, v.name AS village, g.name AS grid_cell,
       i.address, mask_name(i.caller_name) AS caller_name, mask_phone(i.caller_phone) AS caller_phone,
       i.description, i.device_id, i.event_id
FROM incidents i
JOIN townships t ON t.township_id = i.township_id
LEFT JOIN villages v ON v.village_id = i.village_id
LEFT JOIN grid_cells g ON g.grid_cell_id = i.grid_cell_id
WHERE i.incident_id = $incident_id;
