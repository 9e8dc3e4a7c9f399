-- Report deadlines of major events (severity I-II or flagged), computed from the report_rules code table
-- (so a change of rules applies at once), each matched with the report actually sent by $now ($now is to the
-- minute, sent_at to the second: a report sent at 10:37:30 counts at $now = 10:37).
-- An obligation is per event (data/macros.sql event_key: linked reports are one event, an unlinked report its
-- own), carried by its lead (earliest) report: incident_id is the lead's, received_at, hazard, township and
-- description are the lead's; the event is as severe as its most severe report, flagged when one is, closed
-- when its last open report closed. A report already written against another report of the event counts for
-- the event (the earliest sent of each kind and seq), so a link or a split moves no report that was sent.
-- event_id (NULL: unlinked) and reports (how many reports the event has by $now) say what the row stands for.
-- One row per required report:
--   first      due received_at + first_report_minutes; still required when the incident closed before it.
--   follow_up  seq k = 1, 2, ... due received_at + k * follow_up_hours, for every k whose due time falls while
--              the incident is open; for an open incident the next one after $now is listed too ("due soon").
--   final      due closed_at + final_report_days, once the incident is closed.
-- state: on_time (sent_at <= due_at: exactly on time counts), late (sent after due_at), overdue (not sent and
--        $now > due_at), due_soon (not sent, due within $soon_minutes), pending (later).
-- late_minutes: minutes after due_at (sent late: until sent; overdue: until $now), rounded up; else 0.
-- Parameters: $now; $since, $until (received_at window; open incidents and incidents closed since $since are
--             included too, their final or follow-up reports may still be due); $soon_minutes.
WITH candidates AS (  -- reports that make their event major
    SELECT incident_id, event_id FROM incidents
    WHERE (severity <= 2 OR is_flagged) AND received_at <= $now
),
members AS (  -- every report, by $now, of an event with a major report
    SELECT event_key(i.event_id, i.incident_id) AS ek, i.incident_id, i.event_id, i.severity, i.is_flagged,
           i.hazard, i.township_id, i.description, i.received_at, i.closed_at
    FROM incidents i
    WHERE i.received_at <= $now
      AND (i.incident_id IN (SELECT incident_id FROM candidates WHERE event_id IS NULL)
           OR i.event_id IN (SELECT event_id FROM candidates WHERE event_id IS NOT NULL))
),
by_event AS (
    SELECT ek, any_value(event_id) AS event_id, count(*) AS reports,
           event_lead(incident_id, received_at, incident_id) AS incident_id,
           min(severity) AS severity, bool_or(is_flagged) AS is_flagged,
           event_lead(hazard, received_at, incident_id) AS hazard,
           event_lead(township_id, received_at, incident_id) AS township_id,
           event_lead(description, received_at, incident_id) AS description,
           min(received_at) AS received_at,
           -- closed when every report is: the last one's closing (a later closing is not known at $now)
           CASE WHEN bool_and(closed_at IS NOT NULL) THEN max(closed_at) END AS closed_any
    FROM members GROUP BY ek
),
major AS (
    SELECT e.ek, e.event_id, e.reports, e.incident_id, e.severity, e.is_flagged, e.hazard, e.township_id,
           e.description, e.received_at, CASE WHEN e.closed_any <= $now THEN e.closed_any END AS closed_at,
           r.first_report_minutes, r.follow_up_hours, r.final_report_days
    FROM by_event e
    JOIN report_rules r ON r.severity = e.severity
    WHERE (e.severity <= 2 OR e.is_flagged)
      AND e.received_at < $until
      AND (e.received_at >= $since OR e.closed_any IS NULL OR e.closed_any >= $since OR e.closed_any > $now)
),
sent AS (  -- reports sent by $now against any report of the event: the earliest of each kind and seq
    SELECT m.ek, s.kind, s.seq, min(s.sent_at) AS sent_at
    FROM info_reports s JOIN members m USING (incident_id)
    WHERE s.sent_at IS NOT NULL AND s.sent_at < $now + INTERVAL 1 MINUTE
    GROUP BY ALL
),
follow_up_counts AS (
    SELECT incident_id, received_at, follow_up_hours,
           CASE WHEN closed_at IS NOT NULL
                -- k * P < open span  =>  k <= ceil(span / P) - 1
                THEN CAST(ceil(epoch(closed_at - received_at) / (follow_up_hours * 3600.0)) AS BIGINT) - 1
                -- all due by $now, plus the next one ahead
                ELSE CAST(floor(epoch($now - received_at) / (follow_up_hours * 3600.0)) AS BIGINT) + 1
           END AS n
    FROM major
),
follow_ups AS (
    SELECT incident_id, received_at, follow_up_hours, unnest(generate_series(1, greatest(n, 0))) AS k
    FROM follow_up_counts
),
due AS (
    SELECT incident_id, 'first' AS kind, 1 AS seq, received_at + to_minutes(first_report_minutes) AS due_at
    FROM major
    UNION ALL
    SELECT incident_id, 'follow_up', k, received_at + to_hours(k * follow_up_hours)
    FROM follow_ups
    UNION ALL
    SELECT incident_id, 'final', 1, closed_at + to_days(final_report_days)
    FROM major WHERE closed_at IS NOT NULL
)
SELECT d.incident_id, d.kind, CAST(d.seq AS SMALLINT) AS seq, d.due_at, s.sent_at,
       CASE WHEN s.sent_at IS NOT NULL AND s.sent_at <= d.due_at THEN 'on_time'
            WHEN s.sent_at IS NOT NULL THEN 'late'
            WHEN $now > d.due_at THEN 'overdue'
            WHEN d.due_at <= $now + to_minutes(CAST($soon_minutes AS INTEGER)) THEN 'due_soon'
            ELSE 'pending' END AS state,
       CAST(CASE WHEN s.sent_at > d.due_at THEN ceil(epoch(s.sent_at - d.due_at) / 60)
                 WHEN s.sent_at IS NULL AND $now > d.due_at THEN ceil(epoch($now - d.due_at) / 60)
                 ELSE 0 END AS BIGINT) AS late_minutes,
       m.severity, sl.roman AS severity_roman, m.is_flagged, m.hazard, h.name_zh AS hazard_zh, h.name_en AS hazard_en,
       t.name AS township, m.description, m.received_at, m.closed_at,
       k.name_zh AS kind_zh, k.name_en AS kind_en, m.event_id, m.reports
FROM due d
JOIN major m USING (incident_id)
JOIN report_kinds k ON k.code = d.kind
JOIN severity_levels sl ON sl.level = m.severity
JOIN hazard_types h ON h.code = m.hazard
LEFT JOIN townships t ON t.township_id = m.township_id
LEFT JOIN sent s ON s.ek = m.ek AND s.kind = d.kind AND s.seq = d.seq
ORDER BY d.due_at, d.incident_id, k.step, d.seq;
