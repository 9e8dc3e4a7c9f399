-- Analysis: the filtered incidents as map points (only below the point threshold), newest first, in the
-- columns layers/incidents.compact_points() takes.
-- include: analysis_filter
SELECT incident_id, hazard, severity, status, status <> 'closed' AS is_open, received_at, lon, lat,
       location_precision
FROM filtered
ORDER BY received_at DESC, incident_id DESC
LIMIT $max_rows;
