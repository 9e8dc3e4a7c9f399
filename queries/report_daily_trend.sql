-- Daily report trend: events per day for the $days days ending on $day (inclusive), emergency vs service,
-- every day present (0 when none). An event counts once (data/macros.sql event_key), on its lead (earliest)
-- report's day and under its category.
WITH days AS (
    SELECT CAST(unnest(generate_series(CAST($day AS DATE) - ($days - 1), CAST($day AS DATE), INTERVAL 1 DAY)) AS DATE) AS d
),
ev AS (
    SELECT event_key(event_id, incident_id) AS ek, CAST(min(received_at) AS DATE) AS d,
           event_lead(category, received_at, incident_id) AS category
    FROM incidents
    WHERE received_at >= CAST($day AS DATE) - ($days - 1) AND received_at < CAST($day AS DATE) + 1
    GROUP BY ek
),
counts AS (
    SELECT d, count(*) FILTER (WHERE category = 'emergency') AS emergency,
           count(*) FILTER (WHERE category = 'service') AS service
    FROM ev
    GROUP BY 1
)
SELECT days.d AS day, CAST(coalesce(emergency, 0) AS BIGINT) AS emergency, CAST(coalesce(service, 0) AS BIGINT) AS service
FROM days LEFT JOIN counts USING (d)
ORDER BY day;
