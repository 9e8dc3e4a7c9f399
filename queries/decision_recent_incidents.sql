-- Candidate incidents for the decision aids picker: the newest $limit emergency incidents of natural or accident
-- hazards received before $before (open ones first), so the desk starts from what is happening now.
-- Parameters: $before (TIMESTAMP), $limit (INTEGER).
SELECT i.incident_id, i.hazard, h.name_zh AS hazard_zh, h.name_en AS hazard_en, i.severity, i.status,
       i.received_at, tw.name AS township, i.address
FROM incidents i
JOIN hazard_types h ON h.code = i.hazard
JOIN townships tw ON tw.township_id = i.township_id
WHERE i.received_at < $before::TIMESTAMP
  AND i.received_at >= $before::TIMESTAMP - INTERVAL 30 DAY
  AND i.category = 'emergency'
  AND h.class_code IN ('natural', 'accident')
ORDER BY i.status = 'closed', i.severity, i.received_at DESC
LIMIT $limit;
