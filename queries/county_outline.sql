-- The county outline as GeoJSON: the county table's boundary (python -m data.county init, or the demo build),
-- else (a database without a county row) the union of the township polygons, which tile it exactly. NULL when
-- neither is there.
SELECT coalesce((SELECT ST_AsGeoJSON(geom) FROM county LIMIT 1),
                (SELECT ST_AsGeoJSON(ST_Union_Agg(geom)) FROM townships)) AS geojson;
