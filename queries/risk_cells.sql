-- Risk score of every grid cell for one hazard, as it stood at $as_of: only data strictly before $as_of counts,
-- so a past date replays the score an analyst would have seen then.
-- Components, each scaled to 0..1:
--   history    reported incidents (machine alarms excluded: they are the alarms component) of $hazards in the cell over the $history_years before $as_of, each weighted by how close
--              its day of the year is to $as_of's (1 on the same day, 0 at $season_halfwidth_days or more),
--              divided by the busiest cell's weighted count;
--   reservoir  for reservoirs within $reservoir_radius_m of the cell centre: latest level in the
--              $reservoir_lookback_days before $as_of as fullness (dead level 0, flood-limit level 1, clipped),
--              times nearness (1 - distance / radius); the highest over the reservoirs;
--   geo_points registered geo-hazard points inside the cell, weighted 4 (risk level I) .. 1 (IV), / busiest cell
--              (the register has no dates: treated as known on every replay date);
--   alarms     iot_sensor / ai_video alarms of $hazards in the cell in the $alarm_days before $as_of,
--              as 1 - exp(-alarms / $alarm_saturation);
--   population cell population / most populous cell.
-- share_<c> = 100 * $w_<c> * <c> / sum of weights; score = the sum of the shares (0..100).
-- Grid members (who to call) are duty contacts shown in full: calling them is the point of the list.
-- Parameters: $as_of (TIMESTAMP), $hazards (VARCHAR[]), $history_years, $alarm_days, $reservoir_lookback_days
-- (INTEGER), $season_halfwidth_days, $alarm_saturation, $reservoir_radius_m, $w_history, $w_reservoir,
-- $w_geo_points, $w_alarms, $w_population (DOUBLE).
WITH cells AS (
    SELECT g.grid_cell_id, g.code, g.name, g.township_id, g.population, g.geom,
           ST_X(ST_Centroid(g.geom)) AS c_lon, ST_Y(ST_Centroid(g.geom)) AS c_lat
    FROM grid_cells g
),
history AS (
    SELECT i.grid_cell_id, count(*) AS incidents,
           sum(greatest(0.0, 1.0 - least(abs(dayofyear(i.received_at) - dayofyear($as_of::TIMESTAMP)),
                                         365 - abs(dayofyear(i.received_at) - dayofyear($as_of::TIMESTAMP)))
                                   / $season_halfwidth_days::DOUBLE)) AS seasonal
    FROM incidents i
    WHERE i.received_at < $as_of::TIMESTAMP
      AND i.received_at >= $as_of::TIMESTAMP - to_years($history_years::INTEGER)
      AND i.channel NOT IN ('iot_sensor', 'ai_video')
      AND i.hazard IN (SELECT unnest($hazards::VARCHAR[]))
    GROUP BY i.grid_cell_id
),
alarms AS (
    SELECT i.grid_cell_id, count(*) AS alarms
    FROM incidents i
    WHERE i.received_at < $as_of::TIMESTAMP
      AND i.received_at >= $as_of::TIMESTAMP - to_days($alarm_days::INTEGER)
      AND i.channel IN ('iot_sensor', 'ai_video')
      AND i.hazard IN (SELECT unnest($hazards::VARCHAR[]))
    GROUP BY i.grid_cell_id
),
geo AS (
    SELECT c.grid_cell_id, count(*) AS geo_points, sum(5 - p.risk_level) AS geo_weight
    FROM geo_hazard_points p
    JOIN cells c ON ST_Contains(c.geom, p.geom)
    GROUP BY c.grid_cell_id
),
levels AS (
    SELECT r.reservoir_id, r.name, r.lon, r.lat,
           (arg_max(rr.level_m, rr.observed_at) - r.dead_level_m) / (r.flood_limit_level_m - r.dead_level_m) AS fullness
    FROM reservoirs r
    JOIN reservoir_readings rr ON rr.reservoir_id = r.reservoir_id
    WHERE rr.observed_at < $as_of::TIMESTAMP
      AND rr.observed_at >= $as_of::TIMESTAMP - to_days($reservoir_lookback_days::INTEGER)
    GROUP BY r.reservoir_id, r.name, r.lon, r.lat, r.dead_level_m, r.flood_limit_level_m
),
reservoir AS (
    SELECT c.grid_cell_id,
           max(least(greatest(l.fullness, 0.0), 1.0)
               * (1.0 - ST_Distance_Sphere(ST_Point(c.c_lat, c.c_lon), ST_Point(l.lat, l.lon)) / $reservoir_radius_m::DOUBLE)
           ) AS reservoir,
           arg_max(l.name, least(greatest(l.fullness, 0.0), 1.0)
               * (1.0 - ST_Distance_Sphere(ST_Point(c.c_lat, c.c_lon), ST_Point(l.lat, l.lon)) / $reservoir_radius_m::DOUBLE)
           ) AS reservoir_name
    FROM cells c
    JOIN levels l ON ST_Distance_Sphere(ST_Point(c.c_lat, c.c_lon), ST_Point(l.lat, l.lon)) < $reservoir_radius_m::DOUBLE
    GROUP BY c.grid_cell_id
),
members AS (
    SELECT grid_cell_id, string_agg(name || ' ' || phone, '; ' ORDER BY role, member_id) AS members
    FROM grid_members
    GROUP BY grid_cell_id
),
components AS (
    SELECT c.grid_cell_id, c.code, c.name, c.township_id, c.population, c.c_lon, c.c_lat, c.geom,
           coalesce(h.incidents, 0) AS incidents, coalesce(a.alarms, 0) AS alarms,
           coalesce(g.geo_points, 0) AS geo_points, r.reservoir_name,
           coalesce(h.seasonal / nullif(max(h.seasonal) OVER (), 0), 0.0) AS history,
           coalesce(r.reservoir, 0.0) AS reservoir,
           coalesce(g.geo_weight / nullif(max(g.geo_weight) OVER (), 0), 0.0) AS geo_norm,
           1.0 - exp(-coalesce(a.alarms, 0) / $alarm_saturation::DOUBLE) AS alarm_norm,
           coalesce(c.population / nullif(max(c.population) OVER (), 0), 0.0) AS population_norm
    FROM cells c
    LEFT JOIN history h ON h.grid_cell_id = c.grid_cell_id
    LEFT JOIN alarms a ON a.grid_cell_id = c.grid_cell_id
    LEFT JOIN geo g ON g.grid_cell_id = c.grid_cell_id
    LEFT JOIN reservoir r ON r.grid_cell_id = c.grid_cell_id
),
shares AS (
    SELECT *,
           100.0 * $w_history::DOUBLE * history / w_sum AS share_history,
           100.0 * $w_reservoir::DOUBLE * reservoir / w_sum AS share_reservoir,
           100.0 * $w_geo_points::DOUBLE * geo_norm / w_sum AS share_geo_points,
           100.0 * $w_alarms::DOUBLE * alarm_norm / w_sum AS share_alarms,
           100.0 * $w_population::DOUBLE * population_norm / w_sum AS share_population
    FROM components,
         (SELECT $w_history::DOUBLE + $w_reservoir::DOUBLE + $w_geo_points::DOUBLE + $w_alarms::DOUBLE
                 + $w_population::DOUBLE AS w_sum)
)
SELECT row_number() OVER (ORDER BY score DESC, s.grid_cell_id) AS rank, s.grid_cell_id, s.code, s.name,
       tw.name AS township, s.township_id, s.population, s.incidents, s.alarms, s.geo_points, s.reservoir_name,
       s.history, s.reservoir, s.geo_norm AS geo_points_norm, s.alarm_norm AS alarms_norm, s.population_norm,
       s.share_history, s.share_reservoir, s.share_geo_points, s.share_alarms, s.share_population, s.score,
       m.members, s.c_lon, s.c_lat, ST_AsGeoJSON(s.geom) AS geojson
FROM (SELECT *, share_history + share_reservoir + share_geo_points + share_alarms + share_population AS score
      FROM shares) s
JOIN townships tw ON tw.township_id = s.township_id
LEFT JOIN members m ON m.grid_cell_id = s.grid_cell_id
ORDER BY rank;
