-- Cameras within $radius_m metres of ($lon, $lat), nearest first (online and offline: the desk must know
-- which views are dark). A lon/lat box prefilters before the exact great-circle distance.
-- Parameters: $lon, $lat (DOUBLE), $radius_m (DOUBLE).
WITH boxed AS (
    SELECT c.*, ST_Distance_Sphere(ST_Point(c.lat, c.lon), ST_Point($lat, $lon)) AS distance_m
    FROM cameras c
    -- 1 degree of latitude ~ 111.2 km; a degree of longitude shrinks with cos(latitude).
    WHERE c.lat BETWEEN $lat - $radius_m / 111200.0 AND $lat + $radius_m / 111200.0
      AND c.lon BETWEEN $lon - $radius_m / (111200.0 * cos(radians($lat)))
                    AND $lon + $radius_m / (111200.0 * cos(radians($lat)))
)
SELECT camera_id, code, name, kind, online, last_seen_at, township_id, lon, lat, round(distance_m) AS distance_m
FROM boxed
WHERE distance_m <= $radius_m
ORDER BY distance_m, camera_id;
