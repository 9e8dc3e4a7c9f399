-- Daily report: dispatches whose time limit ran out in [$start, $end) and were missed as of $asof
-- (arrived after the deadline, or not arrived by $asof). Most overdue first.
SELECT d.dispatch_id, d.incident_id, u.name AS unit_name, u.linkage_level, t.name AS township,
       h.name_zh AS hazard_zh, h.name_en AS hazard_en, i.description,
       d.assigned_at, d.deadline_at, d.arrived_at,
       CAST(ceil(epoch(coalesce(CASE WHEN d.arrived_at <= $asof THEN d.arrived_at END, $asof) - d.deadline_at) / 60)
            AS BIGINT) AS overdue_minutes,
       d.arrived_at IS NULL OR d.arrived_at > $asof AS not_arrived
FROM dispatches d
JOIN incidents i USING (incident_id)
JOIN linkage_units u USING (unit_id)
JOIN hazard_types h ON h.code = i.hazard
LEFT JOIN townships t ON t.township_id = i.township_id
WHERE d.deadline_at >= $start AND d.deadline_at < $end AND d.deadline_at < $asof
  AND (d.arrived_at > d.deadline_at OR d.arrived_at IS NULL OR d.arrived_at > $asof)
ORDER BY overdue_minutes DESC
LIMIT $max_rows;
