-- The "five 100%" by township (where the incident happened) over dispatches assigned in [$start, $end).
-- Same definitions as duty_unit_rates.sql:
--   acceptance = accepted / dispatched; turnout = arrived / dispatched; on-time = arrived_at <= deadline_at / arrived;
--   feedback = feedback given / dispatched; callback = called back / feedback given.
-- missed: arrived late, or not arrived and $now past the deadline. Times after $now do not count yet.
WITH d AS (
    SELECT i.township_id, d.deadline_at,
           CASE WHEN d.accepted_at <= $now THEN d.accepted_at END AS accepted_at,
           CASE WHEN d.arrived_at <= $now THEN d.arrived_at END AS arrived_at,
           CASE WHEN d.feedback_at <= $now THEN d.feedback_at END AS feedback_at,
           CASE WHEN d.callback_at <= $now THEN d.callback_at END AS callback_at
    FROM dispatches d
    JOIN incidents i USING (incident_id)
    WHERE d.assigned_at >= $start AND d.assigned_at < $end AND d.assigned_at <= $now
),
counts AS (
    SELECT township_id, count(*) AS dispatched, count(accepted_at) AS accepted, count(arrived_at) AS arrived,
           count(*) FILTER (WHERE arrived_at <= deadline_at) AS on_time,
           count(feedback_at) AS feedback, count(callback_at) AS callback,
           count(*) FILTER (WHERE arrived_at > deadline_at OR (arrived_at IS NULL AND $now > deadline_at)) AS missed
    FROM d GROUP BY township_id
)
SELECT c.township_id, t.name AS township, c.dispatched, c.accepted, c.arrived, c.on_time, c.feedback, c.callback,
       c.missed,
       c.accepted / c.dispatched AS acceptance_rate, c.arrived / c.dispatched AS turnout_rate,
       c.on_time / nullif(c.arrived, 0) AS on_time_rate, c.feedback / c.dispatched AS feedback_rate,
       c.callback / nullif(c.feedback, 0) AS callback_rate
FROM counts c
LEFT JOIN townships t USING (township_id)
ORDER BY t.code NULLS LAST, c.township_id;
