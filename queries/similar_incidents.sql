-- Past incidents like one at ($lon, $lat) received at $at: same $hazard, within $radius_km, in the same season
-- (received within 45 days of $at's day of the year, in any earlier year or earlier this season), before $at.
-- Newest first, at most $limit. Callers pass the incident's own values; it is excluded by received_at < $at.
-- Parameters: $lon, $lat, $radius_km (DOUBLE), $hazard (VARCHAR), $at (TIMESTAMP), $limit (INTEGER).
WITH candidates AS (
    SELECT i.incident_id, i.channel, i.hazard, i.severity, i.status, i.received_at, i.closed_at,
           i.township_id, i.address, i.description, i.location_precision, i.lon, i.lat,
           ST_Distance_Sphere(ST_Point(i.lat, i.lon), ST_Point($lat, $lon)) / 1000.0 AS distance_km,
           -- circular day-of-year gap, so late December and early January are one season
           least(abs(dayofyear(i.received_at) - dayofyear($at::TIMESTAMP)),
                 365 - abs(dayofyear(i.received_at) - dayofyear($at::TIMESTAMP))) AS season_gap_days
    FROM incidents i
    WHERE i.hazard = $hazard
      AND i.received_at < $at::TIMESTAMP
      AND i.lat BETWEEN $lat - $radius_km / 111.2 AND $lat + $radius_km / 111.2
      AND i.lon BETWEEN $lon - $radius_km / (111.2 * cos(radians($lat)))
                    AND $lon + $radius_km / (111.2 * cos(radians($lat)))
)
SELECT c.incident_id, c.channel, c.hazard, c.severity, c.status, c.received_at, c.closed_at,
       tw.name AS township, c.address, c.description, c.location_precision, c.lon, c.lat,
       round(c.distance_km, 2) AS distance_km, c.season_gap_days
FROM candidates c
JOIN townships tw ON tw.township_id = c.township_id
WHERE c.distance_km <= $radius_km AND c.season_gap_days <= 45
ORDER BY c.received_at DESC
LIMIT $limit;
