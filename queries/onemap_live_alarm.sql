-- Demo live feed only (ONEMAP_LIVE_FEED=1): one new alarm at $now from a random online smoke/fire AI camera
-- or geo-hazard monitor, placed at the device.
-- Parameters: $now (TIMESTAMP), $description (VARCHAR).
INSERT INTO incidents (incident_id, channel, source_ref, category, hazard, severity, is_flagged, status,
                       received_at, lon, lat, geom, location_precision, township_id, village_id, grid_cell_id,
                       address, description, device_id)
SELECT (SELECT coalesce(max(incident_id), 0) + 1 FROM incidents),
       CASE WHEN s.sensor_type = 'smoke_fire_ai' THEN 'ai_video' ELSE 'iot_sensor' END,
       'LIVE-' || s.code || '-' || strftime($now::TIMESTAMP, '%Y%m%d%H%M%S'), 'emergency',
       CASE WHEN s.sensor_type = 'smoke_fire_ai' THEN 'forest_fire' ELSE 'geological' END,
       3, false, 'received', $now::TIMESTAMP, s.lon, s.lat, ST_Point(s.lon, s.lat), 'exact', s.township_id, NULL,
       (SELECT g.grid_cell_id FROM grid_cells g WHERE ST_Contains(g.geom, ST_Point(s.lon, s.lat)) LIMIT 1),
       s.name, $description, s.code
FROM (SELECT * FROM sensors WHERE online AND sensor_type IN ('smoke_fire_ai', 'geo_monitor')
      ORDER BY random() LIMIT 1) s;
