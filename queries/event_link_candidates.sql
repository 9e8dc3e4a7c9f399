-- Reports a person might link with an incident (ui/event_links.py): received within $minutes of it and within
-- $metres of it, not already in its event, nearest first; with their version (the one the person reads) and event.
-- Parameters: $incident_id (BIGINT), $minutes (INTEGER), $metres (DOUBLE), $limit (INTEGER).
WITH me AS (SELECT incident_id, event_id, received_at, lon, lat FROM incidents WHERE incident_id = $incident_id),
near AS (
    SELECT c.incident_id, c.channel, c.source_ref, c.hazard, c.received_at, c.event_id,
           coalesce(c.version, 1) AS version,
           round(sqrt(((c.lon - me.lon) * 111320 * cos(radians(me.lat))) ^ 2 + ((c.lat - me.lat) * 110540) ^ 2))
               AS distance_m
    FROM incidents c, me
    WHERE c.received_at BETWEEN me.received_at - to_minutes($minutes) AND me.received_at + to_minutes($minutes)
      AND c.incident_id <> me.incident_id
      AND (me.event_id IS NULL OR c.event_id IS DISTINCT FROM me.event_id)
)
SELECT * FROM near WHERE distance_m <= $metres ORDER BY distance_m, received_at, incident_id LIMIT $limit;
