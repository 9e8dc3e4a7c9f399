-- The extent the maps open on (WGS84 degrees): the county table's, else (a database without a county row) the
-- townships'; one row, NULLs when neither is loaded.
WITH c AS (SELECT min_lon, min_lat, max_lon, max_lat FROM county LIMIT 1),
     t AS (SELECT min(ST_XMin(geom)) AS min_lon, min(ST_YMin(geom)) AS min_lat,
                  max(ST_XMax(geom)) AS max_lon, max(ST_YMax(geom)) AS max_lat
           FROM townships)
SELECT coalesce(c.min_lon, t.min_lon) AS min_lon, coalesce(c.min_lat, t.min_lat) AS min_lat,
       coalesce(c.max_lon, t.max_lon) AS max_lon, coalesce(c.max_lat, t.max_lat) AS max_lat
FROM t LEFT JOIN c ON true;
