-- The dispatch timeline of one incident: each assignment to a linkage unit with its time limit and steps,
-- and its information reports (首报/续报/终报), as one list ordered by time.
-- overdue is never NULL: a step still open before its time limit is not overdue (NULL crashed the panel).
-- Parameters: $incident_id (BIGINT), $now (TIMESTAMP).
WITH steps AS (
    SELECT 'dispatch' AS entry, u.name AS unit, d.assigned_at AS happened_at, d.accepted_at,
           d.deadline_at, d.arrived_at, d.feedback_at, d.callback_at,
           coalesce((d.arrived_at IS NULL AND d.deadline_at < $now::TIMESTAMP) OR d.arrived_at > d.deadline_at, false)
               AS overdue,
           NULL::VARCHAR AS report_kind, NULL::TIMESTAMP AS sent_at
    FROM dispatches d
    JOIN linkage_units u ON u.unit_id = d.unit_id
    WHERE d.incident_id = $incident_id
    UNION ALL
    SELECT 'report' AS entry, r.author AS unit, coalesce(r.sent_at, r.due_at) AS happened_at,
           NULL::TIMESTAMP, r.due_at, NULL::TIMESTAMP, NULL::TIMESTAMP, NULL::TIMESTAMP,
           coalesce((r.sent_at IS NULL AND r.due_at < $now::TIMESTAMP) OR r.sent_at > r.due_at, false),
           r.kind, r.sent_at
    FROM info_reports r
    WHERE r.incident_id = $incident_id
)
SELECT * FROM steps ORDER BY happened_at, entry;
