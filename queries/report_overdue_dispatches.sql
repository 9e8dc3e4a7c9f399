-- Daily report: 超时派单 of the day [$start, $end) as of $asof, the definition One Map's KPI and the duty desk count
-- (data/macros.sql overdue_dispatches: assigned in the window, missed the time limit). Most overdue first;
-- total_overdue counts them all (the list stops at $max_rows).
SELECT d.dispatch_id, d.incident_id, u.name AS unit_name, u.linkage_level, t.name AS township,
       h.name_zh AS hazard_zh, h.name_en AS hazard_en, i.description,
       d.assigned_at, d.deadline_at, d.arrived_at,
       CAST(ceil(epoch(coalesce(d.arrived_at, $asof::TIMESTAMP) - d.deadline_at) / 60) AS BIGINT) AS overdue_minutes,
       d.arrived_at IS NULL AS not_arrived,
       count(*) OVER () AS total_overdue
FROM overdue_dispatches($start, $end, $asof::TIMESTAMP) d
JOIN incidents i USING (incident_id)
JOIN linkage_units u USING (unit_id)
JOIN hazard_types h ON h.code = i.hazard
LEFT JOIN townships t ON t.township_id = i.township_id
ORDER BY overdue_minutes DESC
LIMIT $max_rows;
