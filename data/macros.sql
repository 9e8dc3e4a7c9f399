-- Domain rules as SQL macros, each written once; queries call them instead of repeating the rule.
-- Persistent (the app's cursors do not see TEMP macros): created by data/db.py with the schema and re-created
-- whenever a read-write connection opens, so a database from an older release gets the current rules.
-- The Python side of the same rules is data/domain.py; tests/data/test_domain.py pins the two equal.

-- Zhejiang's flood season (汛期), 15 April to 15 October, both days in (data/domain.py FLOOD_SEASON).
CREATE OR REPLACE MACRO in_flood_season(ts) AS strftime(ts::TIMESTAMP, '%m-%d') BETWEEN '04-15' AND '10-15';

-- The level a reservoir is judged against at a time: the flood-limit level (汛限水位) in the flood season,
-- the normal storage level (正常蓄水位) outside it.
CREATE OR REPLACE MACRO reservoir_limit_m(flood_limit_level_m, normal_level_m, ts) AS
    CASE WHEN in_flood_season(ts) THEN flood_limit_level_m ELSE normal_level_m END;

-- A reservoir above its limit (超汛限 / 超正常蓄水位) over [t0, t1) as known at known_at: one of its readings in the
-- window, at or before known_at, above the level that applied at that reading's time (reservoir_limit_m). One Map's
-- KPI (its window, now) and the daily report (its day, as the report is made) both count these rows; the word
-- on screen follows reservoir_limit_kind of the same moment (data/domain.py reservoir_limit_kind, its twin).
CREATE OR REPLACE MACRO reservoir_limit_kind(ts) AS CASE WHEN in_flood_season(ts) THEN 'flood_limit' ELSE 'normal' END;
CREATE OR REPLACE MACRO reservoirs_above_limit(t0, t1, known_at) AS TABLE
    SELECT rr.reservoir_id,
           max(rr.level_m) AS peak_level_m, arg_max(rr.observed_at, rr.level_m) AS peak_at,
           max(rr.level_m - reservoir_limit_m(r.flood_limit_level_m, r.normal_level_m, rr.observed_at)) AS above_m
    FROM reservoir_readings rr JOIN reservoirs r USING (reservoir_id)
    WHERE rr.observed_at >= t0 AND rr.observed_at < t1 AND rr.observed_at <= known_at
    GROUP BY rr.reservoir_id
    HAVING max(rr.level_m - reservoir_limit_m(r.flood_limit_level_m, r.normal_level_m, rr.observed_at)) > 0;

-- A dispatch missed its time limit as known at known_at: arrived after its deadline, or not arrived by known_at
-- with the deadline passed. Python twin: data/domain.py dispatch_missed.
CREATE OR REPLACE MACRO dispatch_missed(arrived_at, deadline_at, known_at) AS
    CASE WHEN arrived_at <= known_at THEN arrived_at > deadline_at ELSE known_at > deadline_at END;

-- The "five 100%" (五个100%) of the three-level linkage are judged over dispatches assigned in [t0, t1) as they
-- stood at known_at: a step stamped after known_at has not happened yet (a replay of a past day).
CREATE OR REPLACE MACRO dispatches_as_of(t0, t1, known_at) AS TABLE
    SELECT d.dispatch_id, d.incident_id, d.unit_id, d.assigned_at, d.deadline_at,
           CASE WHEN d.accepted_at <= known_at THEN d.accepted_at END AS accepted_at,
           CASE WHEN d.arrived_at <= known_at THEN d.arrived_at END AS arrived_at,
           CASE WHEN d.feedback_at <= known_at THEN d.feedback_at END AS feedback_at,
           CASE WHEN d.callback_at <= known_at THEN d.callback_at END AS callback_at,
           -- missed its time limit: arrived late, or not arrived by known_at with the deadline passed
           dispatch_missed(d.arrived_at, d.deadline_at, known_at) AS missed
    FROM dispatches d
    WHERE d.assigned_at >= t0 AND d.assigned_at < t1 AND d.assigned_at <= known_at
      -- reassigned to another unit (改派) before its time limit ran out: not this unit's to answer for
      AND NOT coalesce(d.ended_at <= known_at AND d.ended_at <= d.deadline_at AND d.arrived_at IS NULL, false);
-- 超时派单 (overdue dispatches) of [t0, t1) as known at known_at, the one definition One Map's KPI, the duty desk
-- and the daily report count: dispatches assigned in the window (dispatches_as_of: reassigned ones left out) that
-- missed their time limit.
CREATE OR REPLACE MACRO overdue_dispatches(t0, t1, known_at) AS TABLE
    SELECT * FROM dispatches_as_of(t0, t1, known_at) WHERE missed;
-- The rates, as aggregates over rows of dispatches_as_of; NULL when there is nothing to judge.
CREATE OR REPLACE MACRO acceptance_rate(accepted_at) AS count(accepted_at) / nullif(count(*), 0);
CREATE OR REPLACE MACRO turnout_rate(arrived_at) AS count(arrived_at) / nullif(count(*), 0);
CREATE OR REPLACE MACRO on_time_rate(arrived_at, deadline_at) AS
    count(*) FILTER (WHERE arrived_at <= deadline_at) / nullif(count(arrived_at), 0);
CREATE OR REPLACE MACRO feedback_rate(feedback_at) AS count(feedback_at) / nullif(count(*), 0);
-- A callback (回访) follows a feedback: judged over the dispatches that gave one.
CREATE OR REPLACE MACRO callback_rate(callback_at, feedback_at) AS count(callback_at) / nullif(count(feedback_at), 0);

-- Personal data (PIPL): masks used by every query that shows a caller: 张伟 -> 张*, 13857801234 -> 138****1234.
-- Only the full-view path (role-checked and audited) selects the raw columns. data/privacy.py is the Python twin.
CREATE OR REPLACE MACRO mask_name(n) AS
    CASE WHEN n IS NULL OR n = '' THEN n ELSE left(n, 1) || repeat('*', greatest(length(n) - 1, 1)) END;
CREATE OR REPLACE MACRO mask_phone(p) AS
    CASE WHEN p IS NULL OR p = '' THEN p
         WHEN length(p) >= 7 THEN left(p, 3) || '****' || right(p, 4)
         ELSE repeat('*', length(p)) END;

-- One event counted once (issue 16): reports of one happening share incidents.event_id (linked by the import or
-- a person, data/event_ops.py); an unlinked report is its own event. event_key names the event: -event_id for a
-- linked report, incident_id for an unlinked one (ids are positive, so the two never meet). Count events with
-- count(DISTINCT event_key(event_id, incident_id)). Python twin: data/domain.py event_key.
CREATE OR REPLACE MACRO event_key(event_id, incident_id) AS coalesce(-CAST(event_id AS BIGINT), incident_id);
-- The event's lead report is its earliest (received_at, then incident_id): it carries the event's report
-- obligations and stands for it (its hazard, its day). An aggregate over an event's reports: the lead's value
-- (the lead's id with value = incident_id). Python twin: data/domain.py lead_report.
CREATE OR REPLACE MACRO event_lead(value, received_at, incident_id) AS arg_min(value, (received_at, incident_id));
