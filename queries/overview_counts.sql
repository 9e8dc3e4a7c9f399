-- Headline counts for a window [$start, $end): new incidents, those still open, major ones, cameras online.
SELECT
    count(*) AS new_incidents,
    count(*) FILTER (WHERE status <> 'closed') AS open_incidents,
    count(*) FILTER (WHERE severity <= 2) AS major_incidents,
    (SELECT count(*) FILTER (WHERE online) FROM cameras) AS cameras_online,
    (SELECT count(*) FROM cameras) AS cameras_total
FROM incidents
WHERE received_at >= $start AND received_at < $end;
