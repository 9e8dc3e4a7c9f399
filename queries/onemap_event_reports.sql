-- The reports linked with one incident into a cross-channel event (same hazard family, near in space and time;
-- see data/ingest/pipeline._link_events), the incident itself included, oldest first; none when it is not linked.
-- Parameters: $incident_id (BIGINT).
SELECT r.incident_id, r.channel, r.source_ref, r.received_at, r.status, e.report_count, e.channels
FROM incidents i
JOIN events e ON e.event_id = i.event_id
JOIN incidents r ON r.event_id = i.event_id
WHERE i.incident_id = $incident_id
ORDER BY r.received_at, r.incident_id;
