-- The county outline: the union of the township polygons (which tile it exactly), as GeoJSON.
SELECT ST_AsGeoJSON(ST_Union_Agg(geom)) AS geojson FROM townships;
