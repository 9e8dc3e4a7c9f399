-- The "five 100%" of each linkage unit over dispatches assigned in [$start, $end) (a month), ranked.
--   acceptance = accepted (accepted_at not null) / dispatched
--   turnout    = arrived (arrived_at not null) / dispatched
--   on-time    = arrived by the deadline (arrived_at <= deadline_at) / arrived
--   feedback   = feedback given (feedback_at not null) / dispatched
--   callback   = called back (callback_at not null) / feedback given (a callback follows a feedback)
-- missed: dispatches that broke their time limit (arrived late, or not arrived and $now past the deadline).
-- A rate with an empty denominator is NULL (nothing to judge). Times after $now do not count yet.
-- Rank: mean of the five rates (missing ones skipped), then fewer missed, then more dispatches.
WITH d AS (
    SELECT unit_id, deadline_at,
           CASE WHEN accepted_at <= $now THEN accepted_at END AS accepted_at,
           CASE WHEN arrived_at <= $now THEN arrived_at END AS arrived_at,
           CASE WHEN feedback_at <= $now THEN feedback_at END AS feedback_at,
           CASE WHEN callback_at <= $now THEN callback_at END AS callback_at
    FROM dispatches
    WHERE assigned_at >= $start AND assigned_at < $end AND assigned_at <= $now
),
counts AS (
    SELECT unit_id, count(*) AS dispatched, count(accepted_at) AS accepted, count(arrived_at) AS arrived,
           count(*) FILTER (WHERE arrived_at <= deadline_at) AS on_time,
           count(feedback_at) AS feedback, count(callback_at) AS callback,
           count(*) FILTER (WHERE arrived_at > deadline_at OR (arrived_at IS NULL AND $now > deadline_at)) AS missed
    FROM d GROUP BY unit_id
),
rates AS (
    SELECT *, accepted / dispatched AS acceptance_rate, arrived / dispatched AS turnout_rate,
           on_time / nullif(arrived, 0) AS on_time_rate, feedback / dispatched AS feedback_rate,
           callback / nullif(feedback, 0) AS callback_rate
    FROM counts
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
