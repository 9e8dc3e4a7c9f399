-- The KPI strip of One Map for the window [$start, $end) as seen at $now.
-- open/new/major count events, not reports (data/macros.sql event_key: reports linked into one event count
-- once, an unlinked report is its own event), over the reports received in the window: an event is open when
-- one of its reports is, major when one is I-II. Major (I-II) events with missing reports: a report
-- (kind, seq) of the event due by $now and sent against none of its reports, or no first report at all once
-- the first-report time limit (report_rules) passed since its lead (earliest) report.
-- Overdue dispatches and reservoirs above limit: data/macros.sql overdue_dispatches and reservoirs_above_limit
-- (the definitions the duty desk and the daily report count too); reservoir_limit_kind names the level judged.
-- "Five 100%" over dispatches assigned in the window as they stood at $now (data/macros.sql): accepted, arrived
-- (turnout), arrived on time (of those arrived), feedback given, called back (of those with feedback).
-- Parameters: $start, $end, $now (TIMESTAMP).
WITH win AS (
    SELECT *, event_key(event_id, incident_id) AS ek
    FROM incidents WHERE received_at >= $start AND received_at < $end
), disp AS (
    SELECT * FROM dispatches_as_of($start, $end, $now::TIMESTAMP)
), major_events AS (
    SELECT ek, min(severity) AS severity, min(received_at) AS received_at FROM win GROUP BY ek HAVING min(severity) <= 2
), event_reports AS (  -- per event, kind and seq: sent against any of its reports, and when due
    SELECT w.ek, r.kind, r.seq, bool_or(r.sent_at IS NOT NULL) AS sent, min(r.due_at) AS due_at
    FROM info_reports r JOIN win w USING (incident_id)
    WHERE w.ek IN (SELECT ek FROM major_events)
    GROUP BY ALL
), major_missing AS (
    SELECT count(*) AS n
    FROM major_events e
    JOIN report_rules rr ON rr.severity = e.severity
    WHERE EXISTS (SELECT 1 FROM event_reports r WHERE r.ek = e.ek AND NOT r.sent AND r.due_at < $now::TIMESTAMP)
       OR (NOT EXISTS (SELECT 1 FROM event_reports r WHERE r.ek = e.ek AND r.kind = 'first')
           AND e.received_at + to_minutes(rr.first_report_minutes) < $now::TIMESTAMP)
)
SELECT
    (SELECT count(DISTINCT ek) FILTER (WHERE status <> 'closed') FROM win) AS open_incidents,
    (SELECT count(DISTINCT ek) FROM win) AS new_incidents,
    (SELECT count(DISTINCT ek) FILTER (WHERE severity <= 2) FROM win) AS major_incidents,
    (SELECT count(*) FROM win) AS new_reports,
    (SELECT count(*) FROM disp) AS dispatches,
    (SELECT count(*) FROM overdue_dispatches($start, $end, $now::TIMESTAMP)) AS overdue_dispatches,
    (SELECT n FROM major_missing) AS major_missing_reports,
    (SELECT count(*) FROM reservoirs_above_limit($start, $end, $now::TIMESTAMP)) AS reservoirs_above_limit,
    reservoir_limit_kind($now::TIMESTAMP) AS reservoir_limit_kind,
    (SELECT count(*) FILTER (WHERE NOT online) FROM cameras) AS cameras_offline,
    (SELECT count(*) FROM cameras) AS cameras_total,
    (SELECT acceptance_rate(accepted_at) FROM disp) AS acceptance_rate,
    (SELECT turnout_rate(arrived_at) FROM disp) AS turnout_rate,
    (SELECT on_time_rate(arrived_at, deadline_at) FROM disp) AS on_time_rate,
    (SELECT feedback_rate(feedback_at) FROM disp) AS feedback_rate,
    (SELECT callback_rate(callback_at, feedback_at) FROM disp) AS callback_rate;
