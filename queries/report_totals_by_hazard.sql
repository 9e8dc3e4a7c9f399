-- Daily report: events received on $day by hazard type, against the previous day and the average of the 7 days
-- before $day. An event counts once (data/macros.sql event_key), under its lead (earliest) report's hazard and day.
-- Hazards with no event in the 8 days are left out (the table stays short on a tablet).
WITH ev AS (
    SELECT event_key(event_id, incident_id) AS ek, CAST(min(received_at) AS DATE) AS d,
           event_lead(hazard, received_at, incident_id) AS hazard
    FROM incidents
    WHERE received_at >= CAST($day AS DATE) - INTERVAL 7 DAY AND received_at < CAST($day AS DATE) + INTERVAL 1 DAY
    GROUP BY ek
), daily AS (
    SELECT d, hazard, count(*) AS n FROM ev GROUP BY ALL
)
SELECT h.code, h.name_zh, h.name_en, h.colour,
       CAST(coalesce(sum(n) FILTER (WHERE d = CAST($day AS DATE)), 0) AS BIGINT) AS day_count,
       CAST(coalesce(sum(n) FILTER (WHERE d = CAST($day AS DATE) - 1), 0) AS BIGINT) AS previous_day,
       coalesce(sum(n) FILTER (WHERE d < CAST($day AS DATE)), 0) / 7.0 AS avg_7d
FROM hazard_types h
JOIN daily ON daily.hazard = h.code
GROUP BY h.code, h.name_zh, h.name_en, h.colour, h.sort_order
ORDER BY h.sort_order;
