-- Daily report: events received on $day, the previous day and the average of the 7 days before $day (the day
-- itself excluded), counting an event once (data/macros.sql event_key) on the day of its lead (earliest) report
-- among the 8 days. The headline and the totals read this; the channel table counts each channel's reports.
-- Parameters: $day (DATE).
WITH ev AS (
    SELECT event_key(event_id, incident_id) AS ek, CAST(min(received_at) AS DATE) AS d
    FROM incidents
    WHERE received_at >= CAST($day AS DATE) - INTERVAL 7 DAY AND received_at < CAST($day AS DATE) + INTERVAL 1 DAY
    GROUP BY ek
)
SELECT CAST(count(*) FILTER (WHERE d = CAST($day AS DATE)) AS BIGINT) AS day_count,
       CAST(count(*) FILTER (WHERE d = CAST($day AS DATE) - 1) AS BIGINT) AS previous_day,
       count(*) FILTER (WHERE d < CAST($day AS DATE)) / 7.0 AS avg_7d
FROM ev;
