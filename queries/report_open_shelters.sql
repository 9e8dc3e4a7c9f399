-- Daily report: emergency shelters open now (the table keeps the current state, not a history), fullest first.
SELECT s.name, t.name AS township, s.level, s.setting, s.capacity, s.occupancy,
       round(100.0 * s.occupancy / s.capacity, 1) AS occupancy_pct
FROM shelters s
LEFT JOIN townships t ON t.township_id = s.township_id
WHERE s.is_open
ORDER BY occupancy_pct DESC, s.name;
