-- Analysis: the whole filtered set for CSV / Excel / GeoJSON export, streamed as Arrow record batches by
-- reports/tabular.py (never materialised). Callers masked unless $show_personal. Labels in $lang.
-- include: analysis_filter
SELECT f.incident_id, f.source_ref, f.received_at, f.dispatched_at, f.on_scene_at, f.closed_at,
       CASE WHEN $lang = 'en' THEN h.name_en ELSE h.name_zh END AS hazard,
       s.roman AS severity,
       CASE WHEN $lang = 'en' THEN st.name_en ELSE st.name_zh END AS status,
       CASE WHEN $lang = 'en' THEN c.name_en ELSE c.name_zh END AS channel,
       t.name AS township, g.code AS grid_cell, f.address, f.description,
       CASE WHEN $show_personal THEN f.caller_name ELSE mask_name(f.caller_name) END AS caller_name,
       CASE WHEN $show_personal THEN f.caller_phone ELSE mask_phone(f.caller_phone) END AS caller_phone,
       CASE f.location_precision  -- how the point was placed, in words (the schema's codes are not for readers)
            WHEN 'exact' THEN CASE WHEN $lang = 'en' THEN 'exact (source coordinates)' ELSE '精确坐标' END
            WHEN 'village' THEN CASE WHEN $lang = 'en' THEN 'approximate (village seat)' ELSE '近似（村委会位置）' END
            WHEN 'township' THEN CASE WHEN $lang = 'en' THEN 'approximate (township seat)' ELSE '近似（乡镇驻地）' END
            ELSE f.location_precision END AS location_precision, f.lon, f.lat
FROM filtered f
JOIN hazard_types h ON h.code = f.hazard
JOIN severity_levels s ON s.level = f.severity
JOIN incident_statuses st ON st.code = f.status
JOIN channels c ON c.code = f.channel
JOIN townships t ON t.township_id = f.township_id
LEFT JOIN grid_cells g ON g.grid_cell_id = f.grid_cell_id
ORDER BY f.received_at, f.incident_id;
