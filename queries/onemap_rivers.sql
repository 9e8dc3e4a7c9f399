-- The rivers of the base map (the rivers table, lines) as one GeoJSON FeatureCollection text, written by DuckDB
-- so the deck takes it as it is; n = how many rivers (0: none loaded, an empty collection).
SELECT '{"features":[' || coalesce(string_agg('{"geometry":' || ST_AsGeoJSON(geom) || ',"properties":{"name":'
                                              || to_json(name) || '},"type":"Feature"}', ',' ORDER BY river_id), '')
       || '],"type":"FeatureCollection"}' AS geojson,
       count(*) AS n
FROM rivers;
