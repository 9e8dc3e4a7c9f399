-- Analysis: headline numbers of the filtered incidents (total, open, major I-II, placed without exact coordinates).
-- include: analysis_filter
SELECT count(*) AS incidents,
       count(*) FILTER (WHERE status <> 'closed') AS open_incidents,
       count(*) FILTER (WHERE severity <= 2) AS major_incidents,
       count(*) FILTER (WHERE location_precision <> 'exact') AS approximate,
       count(DISTINCT township_id) AS townships,
       min(received_at) AS first_received,
       max(received_at) AS last_received
FROM filtered;
