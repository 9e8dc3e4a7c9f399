-- Township polygons and seats for the offline base map.
SELECT township_id, code, name, kind, population, seat_lon, seat_lat, boundary_approx,
       ST_AsGeoJSON(geom) AS geojson
FROM townships
ORDER BY township_id;
