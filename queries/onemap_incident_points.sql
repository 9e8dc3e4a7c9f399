-- Incidents of [$start, $end) as map points (used only below the point threshold; the newest $max_rows), already
-- serialised as the JSON rows the browser draws (layers/incidents.point_layers_from_json splices them into the
-- deck as they are: no per-row work in Python). One result row holding three JSON arrays:
--   exact_rows / approx_rows: {"c","i","o","s","tip","x","y"} per incident with exact coordinates / placed at a
--     village or township seat; c = 0-based position of the hazard in $hazard_order (the browser colours by it),
--     i = incident id (read back by click-to-select), o = 1 when open, s = severity, x/y = lon/lat rounded to
--     4 decimals (about 10 m: the dot is for the eye; details come from the database), tip = the tooltip text;
--   open_rows: {"s","x","y"} per open incident (the white halo drawn under open ones);
-- and their counts. Rows are in drawing order (deck.gl draws and picks the last row on top): least severe first,
-- the most severe (I) last, oldest first within a level (layers/incidents.drawing_order). Keys are in sorted order and numbers print as Python's json prints them, so the deck JSON
-- is byte for byte what json.dumps(sort_keys=True) of the same rows gives.
-- Tooltip: hazard · severity numeral + level suffix · status · MM-DD HH:MM [· approximate] [· event], in the UI
-- language. Reports the import linked into one cross-channel event are drawn once: the event's first report in
-- the window stands for the others (its tooltip: $event_tip with the event's report count and channels);
-- folded_n counts the reports drawn that way, so points + folded_n = the filtered total.
-- Parameters: $start, $end (TIMESTAMP), $hazards (VARCHAR[]), $open_only (BOOLEAN), $max_rows (INTEGER),
--   $hazard_order, $hazard_names (VARCHAR[], same order), $status_codes, $status_names (VARCHAR[], same order),
--   $roman (VARCHAR[], by severity 1-4), $level_suffix, $approximate (VARCHAR), $channel_codes, $channel_names
--   (VARCHAR[], same order), $channel_sep, $event_tip (VARCHAR, printf: report count %d, channels %s).
-- The caller asks for points only when the filtered total is at most $max_rows, so no row is written for
-- nothing.
WITH win AS (
    SELECT received_at, incident_id, hazard, severity, status, lon, lat, location_precision, event_id
    FROM incidents
    WHERE received_at >= $start AND received_at < $end
      AND list_contains($hazards, hazard)
      AND (NOT $open_only OR status <> 'closed')
), event_first AS (  -- the first report of each event in the window, and how many of its reports the window has
    SELECT event_id, arg_min(incident_id, (received_at, incident_id)) AS incident_id, count(*) AS in_window
    FROM win WHERE event_id IS NOT NULL GROUP BY event_id
), shown AS (
    SELECT w.*, e.report_count, e.channels, f.in_window
    FROM win w
    LEFT JOIN event_first f ON f.event_id = w.event_id
    LEFT JOIN events e ON e.event_id = w.event_id
    WHERE w.event_id IS NULL OR w.incident_id = f.incident_id
), picked AS (
    SELECT received_at, incident_id, severity, location_precision = 'exact' AS exact, status <> 'closed' AS is_open,
           coalesce(in_window - 1, 0) AS folded,
           CAST(to_json({'c': list_position($hazard_order, hazard) - 1, 'i': incident_id,
                         'o': CAST(status <> 'closed' AS INTEGER), 's': severity,
                         'tip': $hazard_names[list_position($hazard_order, hazard)] || ' · ' || $roman[severity]
                                || $level_suffix || ' · ' || $status_names[list_position($status_codes, status)]
                                || ' · ' || strftime(received_at, '%m-%d %H:%M')
                                || CASE WHEN location_precision = 'exact' THEN '' ELSE ' · ' || $approximate END
                                || CASE WHEN report_count IS NULL THEN '' ELSE ' · ' || printf($event_tip, report_count,
                                       array_to_string(list_transform(channels,
                                           c -> $channel_names[list_position($channel_codes, c)]), $channel_sep)) END,
                         'x': round(lon, 4), 'y': round(lat, 4)}) AS VARCHAR) AS point,
           CASE WHEN status <> 'closed'
                THEN CAST(to_json({'s': severity, 'x': round(lon, 4), 'y': round(lat, 4)}) AS VARCHAR) END AS halo
    FROM shown
    ORDER BY received_at DESC, incident_id DESC
    LIMIT $max_rows
)
SELECT count(*) FILTER (WHERE exact) AS exact_n,
       '[' || coalesce(string_agg(point, ',' ORDER BY severity DESC, received_at, incident_id) FILTER (WHERE exact), '')
           || ']' AS exact_rows,
       count(*) FILTER (WHERE NOT exact) AS approx_n,
       '[' || coalesce(string_agg(point, ',' ORDER BY severity DESC, received_at, incident_id) FILTER (WHERE NOT exact),
                       '') || ']' AS approx_rows,
       count(*) FILTER (WHERE is_open) AS open_n,
       '[' || coalesce(string_agg(halo, ',' ORDER BY severity DESC, received_at, incident_id) FILTER (WHERE is_open), '')
           || ']' AS open_rows,
       count(*) FILTER (WHERE folded > 0) AS events_n,
       coalesce(sum(folded), 0)::BIGINT AS folded_n
FROM picked;
