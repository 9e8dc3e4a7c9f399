-- Demo live feed only (ONEMAP_LIVE_FEED=1): one new incident at $now near a random village.
-- The caller picks $channel, $category, $hazard, $severity and $description; the place, township, village and
-- grid cell come from the database so the row is as consistent as an ingested one; the address starts with the
-- county's name from the county table.
-- Parameters: $now (TIMESTAMP), $channel, $category, $hazard, $description (VARCHAR), $severity (INTEGER).
INSERT INTO incidents (incident_id, channel, source_ref, category, hazard, severity, is_flagged, status,
                       received_at, lon, lat, geom, location_precision, township_id, village_id, grid_cell_id,
                       address, description)
SELECT (SELECT coalesce(max(incident_id), 0) + 1 FROM incidents), $channel,
       'LIVE-' || strftime($now::TIMESTAMP, '%Y%m%d%H%M%S'), $category, $hazard, $severity, false, 'received',
       $now::TIMESTAMP, p.lon, p.lat, ST_Point(p.lon, p.lat), 'exact', p.township_id, p.village_id,
       (SELECT g.grid_cell_id FROM grid_cells g WHERE ST_Contains(g.geom, ST_Point(p.lon, p.lat)) LIMIT 1),
       coalesce((SELECT name_zh FROM county LIMIT 1), '') || t.name || p.name, $description
FROM (SELECT v.village_id, v.township_id, v.name,
             round(v.lon + (random() - 0.5) * 0.006, 6) AS lon, round(v.lat + (random() - 0.5) * 0.006, 6) AS lat
      FROM villages v ORDER BY random() LIMIT 1) p
JOIN townships t USING (township_id);
