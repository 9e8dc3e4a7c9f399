-- Analysis: one page of the filtered incidents for the table, newest first. Callers only through the
-- mask_name()/mask_phone() macros unless $show_personal (a permitted, audited full view). Labels in $lang.
-- include: analysis_filter
-- the page's rows first (top-N over the filtered set), the labels joined to those 50 rows only
, page AS (
    SELECT incident_id, source_ref, received_at, hazard, severity, status, channel, township_id, address,
           description, caller_name, caller_phone, on_scene_at, closed_at
    FROM filtered
    ORDER BY received_at DESC, incident_id DESC
    LIMIT $page_size OFFSET $page_offset
)
SELECT f.incident_id, f.source_ref, f.received_at,
       CASE WHEN $lang = 'en' THEN h.name_en ELSE h.name_zh END AS hazard,
       s.roman AS severity,
       CASE WHEN $lang = 'en' THEN st.name_en ELSE st.name_zh END AS status,
       CASE WHEN $lang = 'en' THEN c.name_en ELSE c.name_zh END AS channel,
       t.name AS township, f.address, f.description,
       CASE WHEN $show_personal THEN f.caller_name ELSE mask_name(f.caller_name) END AS caller_name,
       CASE WHEN $show_personal THEN f.caller_phone ELSE mask_phone(f.caller_phone) END AS caller_phone,
       round(date_diff('second', f.received_at, f.on_scene_at) / 60.0, 1) AS on_scene_minutes,
       f.closed_at
FROM page f
JOIN hazard_types h ON h.code = f.hazard
JOIN severity_levels s ON s.level = f.severity
JOIN incident_statuses st ON st.code = f.status
JOIN channels c ON c.code = f.channel
JOIN townships t ON t.township_id = f.township_id
ORDER BY f.received_at DESC, f.incident_id DESC;
