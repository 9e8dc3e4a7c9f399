-- The KPI strip of One Map for the window [$start, $end) as seen at $now.
-- open/new/major: incidents received in the window. Overdue dispatches: assigned in the window and either not
-- arrived with the deadline passed, or arrived after it. Major (I-II) incidents with missing reports: a report
-- due by $now and not sent, or no first report at all once the first-report time limit (report_rules) passed.
-- Reservoirs above limit: latest reading vs flood-limit level in flood season (15 Apr - 15 Oct), else normal level.
-- "Five 100%" over dispatches assigned in the window: accepted, arrived (turnout), arrived on time (of those
-- arrived), feedback given, called back (of those with feedback). NULL when there is nothing to rate.
-- Parameters: $start, $end, $now (TIMESTAMP).
WITH win AS (
    SELECT * FROM incidents WHERE received_at >= $start AND received_at < $end
), disp AS (
    SELECT * FROM dispatches WHERE assigned_at >= $start AND assigned_at < $end
), major_missing AS (
    SELECT count(*) AS n
    FROM win i
    JOIN report_rules rr ON rr.severity = i.severity
    WHERE i.severity <= 2
      AND (EXISTS (SELECT 1 FROM info_reports r
                   WHERE r.incident_id = i.incident_id AND r.sent_at IS NULL AND r.due_at < $now::TIMESTAMP)
           OR (NOT EXISTS (SELECT 1 FROM info_reports r WHERE r.incident_id = i.incident_id AND r.kind = 'first')
               AND i.received_at + to_minutes(rr.first_report_minutes) < $now::TIMESTAMP))
), latest_level AS (
    SELECT reservoir_id, arg_max(level_m, observed_at) AS level_m
    FROM reservoir_readings WHERE observed_at <= $now::TIMESTAMP GROUP BY reservoir_id
), reservoirs_above AS (
    SELECT count(*) AS n
    FROM reservoirs r JOIN latest_level l USING (reservoir_id)
    WHERE l.level_m > CASE WHEN strftime($now::TIMESTAMP, '%m-%d') BETWEEN '04-15' AND '10-15'
                           THEN r.flood_limit_level_m ELSE r.normal_level_m END
)
SELECT
    (SELECT count(*) FILTER (WHERE status <> 'closed') FROM win) AS open_incidents,
    (SELECT count(*) FROM win) AS new_incidents,
    (SELECT count(*) FILTER (WHERE severity <= 2) FROM win) AS major_incidents,
    (SELECT count(*) FROM disp) AS dispatches,
    (SELECT count(*) FILTER (WHERE (arrived_at IS NULL AND deadline_at < $now::TIMESTAMP)
                                OR arrived_at > deadline_at) FROM disp) AS overdue_dispatches,
    (SELECT n FROM major_missing) AS major_missing_reports,
    (SELECT n FROM reservoirs_above) AS reservoirs_above_limit,
    (SELECT count(*) FILTER (WHERE NOT online) FROM cameras) AS cameras_offline,
    (SELECT count(*) FROM cameras) AS cameras_total,
    (SELECT count(*) FILTER (WHERE accepted_at IS NOT NULL) / nullif(count(*), 0) FROM disp) AS acceptance_rate,
    (SELECT count(*) FILTER (WHERE arrived_at IS NOT NULL) / nullif(count(*), 0) FROM disp) AS turnout_rate,
    (SELECT count(*) FILTER (WHERE arrived_at <= deadline_at)
            / nullif(count(*) FILTER (WHERE arrived_at IS NOT NULL), 0) FROM disp) AS on_time_rate,
    (SELECT count(*) FILTER (WHERE feedback_at IS NOT NULL) / nullif(count(*), 0) FROM disp) AS feedback_rate,
    (SELECT count(*) FILTER (WHERE callback_at IS NOT NULL)
            / nullif(count(*) FILTER (WHERE feedback_at IS NOT NULL), 0) FROM disp) AS callback_rate;
