-- How past incidents were handled: the linkage units dispatched to each of $incident_ids, whether they arrived
-- within their time limit, and minutes from receipt to closing. For the similar-cases table of the decision aids.
-- Parameters: $incident_ids (BIGINT[]).
SELECT i.incident_id,
       string_agg(DISTINCT u.name, '、') AS units,
       count(d.dispatch_id) AS dispatches,
       count(d.dispatch_id) FILTER (WHERE d.arrived_at IS NOT NULL AND d.arrived_at <= d.deadline_at) AS arrived_on_time,
       CAST(round(date_diff('second', i.received_at, i.closed_at) / 60.0) AS INTEGER) AS minutes_to_close
FROM incidents i
LEFT JOIN dispatches d ON d.incident_id = i.incident_id
LEFT JOIN linkage_units u ON u.unit_id = d.unit_id
WHERE i.incident_id IN (SELECT unnest($incident_ids::BIGINT[]))
GROUP BY i.incident_id, i.received_at, i.closed_at
ORDER BY i.incident_id;
