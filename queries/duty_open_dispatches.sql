-- The dispatch board: dispatches still open at $now (assigned, no feedback yet, incident not closed),
-- with the unit, its linkage level and the time limit (deadline_at - assigned_at, remote allowance included).
-- overdue: data/macros.sql dispatch_missed (not arrived and $now past the deadline, or arrived after it). Overdue first, most overdue on top.
-- Parameters: $now, $max_rows.
SELECT d.dispatch_id, d.incident_id, u.name AS unit_name, u.linkage_level,
       ll.name_zh AS level_zh, ll.name_en AS level_en,
       i.severity, sl.roman AS severity_roman, i.hazard, h.name_zh AS hazard_zh, h.name_en AS hazard_en,
       t.name AS township, i.description,
       d.assigned_at, d.accepted_at, d.deadline_at, d.arrived_at,
       CAST(round(epoch(d.deadline_at - d.assigned_at) / 60) AS INTEGER) AS limit_minutes,
       coalesce(dispatch_missed(d.arrived_at, d.deadline_at, $now::TIMESTAMP), false) AS overdue,
       CAST(CASE WHEN d.arrived_at > d.deadline_at THEN ceil(epoch(d.arrived_at - d.deadline_at) / 60)
                 WHEN d.arrived_at IS NULL AND $now > d.deadline_at THEN ceil(epoch($now - d.deadline_at) / 60)
                 ELSE 0 END AS BIGINT) AS overdue_minutes
FROM dispatches d
JOIN incidents i USING (incident_id)
JOIN linkage_units u USING (unit_id)
JOIN linkage_levels ll ON ll.level = u.linkage_level
JOIN severity_levels sl ON sl.level = i.severity
JOIN hazard_types h ON h.code = i.hazard
LEFT JOIN townships t ON t.township_id = i.township_id
WHERE d.assigned_at <= $now
  AND (d.feedback_at IS NULL OR d.feedback_at > $now)
  AND (d.ended_at IS NULL OR d.ended_at > $now)  -- reassigned or stood down
  AND (i.closed_at IS NULL OR i.closed_at > $now)
ORDER BY overdue DESC, overdue_minutes DESC, d.deadline_at
LIMIT $max_rows;
