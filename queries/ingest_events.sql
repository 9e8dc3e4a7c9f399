-- ingest_events: cross-channel events (several reports of one happening) in a time window, for the map:
-- one point per event with its channels and report count.
-- Params: $since, $until (naive CST timestamps).
SELECT event_id, hazard_family, first_at, last_at, lon, lat, report_count, channels
FROM events
WHERE last_at >= $since AND first_at < $until
  AND dissolved_at IS NULL  -- split apart by people: no report points at it any more
ORDER BY first_at DESC;
