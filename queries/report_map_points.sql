-- Daily report map: incidents received in [$start, $end) as points with their hazard colour; major ones
-- (I-II or flagged) drawn last, on top. Capped at $max_rows (the static map only needs the pattern).
SELECT i.lon, i.lat, h.colour, i.severity, (i.severity <= 2 OR i.is_flagged) AS is_major
FROM incidents i
JOIN hazard_types h ON h.code = i.hazard
WHERE i.received_at >= $start AND i.received_at < $end
ORDER BY is_major, i.received_at
LIMIT $max_rows;
