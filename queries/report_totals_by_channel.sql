-- Daily report: incidents received on $day by channel, against the previous day and the average of the 7 days
-- before $day (the day itself excluded). Every channel is listed, with 0 when silent.
WITH daily AS (
    SELECT CAST(received_at AS DATE) AS d, channel, count(*) AS n
    FROM incidents
    WHERE received_at >= CAST($day AS DATE) - INTERVAL 7 DAY AND received_at < CAST($day AS DATE) + INTERVAL 1 DAY
    GROUP BY ALL
)
SELECT c.code, c.name_zh, c.name_en,
       CAST(coalesce(sum(n) FILTER (WHERE d = CAST($day AS DATE)), 0) AS BIGINT) AS day_count,
       CAST(coalesce(sum(n) FILTER (WHERE d = CAST($day AS DATE) - 1), 0) AS BIGINT) AS previous_day,
       coalesce(sum(n) FILTER (WHERE d < CAST($day AS DATE)), 0) / 7.0 AS avg_7d
FROM channels c
LEFT JOIN daily ON daily.channel = c.code
GROUP BY c.code, c.name_zh, c.name_en, c.sort_order
ORDER BY c.sort_order;
