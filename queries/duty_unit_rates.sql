-- The "five 100%" of each linkage unit over dispatches assigned in [$start, $end) (a month) as they stood at $now,
-- ranked. The rates, "missed" and the as-of rule are data/macros.sql's (dispatches_as_of and the *_rate macros).
-- Rank: mean of the five rates (missing ones skipped), then fewer missed, then more dispatches.
WITH rates AS (
    SELECT unit_id, count(*) AS dispatched, count(accepted_at) AS accepted, count(arrived_at) AS arrived,
           count(*) FILTER (WHERE arrived_at <= deadline_at) AS on_time,
           count(feedback_at) AS feedback, count(callback_at) AS callback, count(*) FILTER (WHERE missed) AS missed,
           acceptance_rate(accepted_at) AS acceptance_rate, turnout_rate(arrived_at) AS turnout_rate,
           on_time_rate(arrived_at, deadline_at) AS on_time_rate, feedback_rate(feedback_at) AS feedback_rate,
           callback_rate(callback_at, feedback_at) AS callback_rate
    FROM dispatches_as_of($start, $end, $now)
    GROUP BY unit_id
)
SELECT CAST(row_number() OVER (ORDER BY
           (coalesce(acceptance_rate, 0) + coalesce(turnout_rate, 0) + coalesce(on_time_rate, 0)
            + coalesce(feedback_rate, 0) + coalesce(callback_rate, 0))
           / nullif((acceptance_rate IS NOT NULL)::INT + (turnout_rate IS NOT NULL)::INT + (on_time_rate IS NOT NULL)::INT
                    + (feedback_rate IS NOT NULL)::INT + (callback_rate IS NOT NULL)::INT, 0) DESC NULLS LAST,
           missed, dispatched DESC, u.name) AS INTEGER) AS rank,
       r.unit_id, u.name AS unit_name, u.kind AS unit_kind, u.linkage_level,
       r.dispatched, r.accepted, r.arrived, r.on_time, r.feedback, r.callback, r.missed,
       r.acceptance_rate, r.turnout_rate, r.on_time_rate, r.feedback_rate, r.callback_rate
FROM rates r
JOIN linkage_units u USING (unit_id)
ORDER BY rank;
