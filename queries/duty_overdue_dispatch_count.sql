-- 超时派单 of [$start, $end) as of $now: data/macros.sql overdue_dispatches, the definition One Map's KPI and the
-- daily report count (the duty desk asks for today). Parameters: $start, $end, $now (TIMESTAMP).
SELECT count(*) AS n FROM overdue_dispatches($start, $end, $now::TIMESTAMP);
