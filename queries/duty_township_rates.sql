-- The "five 100%" by township (where the incident happened) over dispatches assigned in [$start, $end).
-- The rates, "missed" and the as-of rule ($now) are data/macros.sql's, as in duty_unit_rates.sql.
WITH counts AS (
    SELECT i.township_id, count(*) AS dispatched, count(d.accepted_at) AS accepted, count(d.arrived_at) AS arrived,
           count(*) FILTER (WHERE d.arrived_at <= d.deadline_at) AS on_time,
           count(d.feedback_at) AS feedback, count(d.callback_at) AS callback,
           count(*) FILTER (WHERE d.missed) AS missed,
           acceptance_rate(d.accepted_at) AS acceptance_rate, turnout_rate(d.arrived_at) AS turnout_rate,
           on_time_rate(d.arrived_at, d.deadline_at) AS on_time_rate, feedback_rate(d.feedback_at) AS feedback_rate,
           callback_rate(d.callback_at, d.feedback_at) AS callback_rate
    FROM dispatches_as_of($start, $end, $now) d
    JOIN incidents i USING (incident_id)
    GROUP BY i.township_id
)
SELECT c.township_id, t.name AS township, c.dispatched, c.accepted, c.arrived, c.on_time, c.feedback, c.callback,
       c.missed, c.acceptance_rate, c.turnout_rate, c.on_time_rate, c.feedback_rate, c.callback_rate
FROM counts c
LEFT JOIN townships t USING (township_id)
ORDER BY t.code NULLS LAST, c.township_id;
