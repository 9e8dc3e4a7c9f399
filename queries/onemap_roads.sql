-- The roads of the base map as one GeoJSON FeatureCollection text (written by DuckDB, taken by the deck as it is),
-- each line with its class's colour and width (road_classes); minor roads first so major ones draw on top.
SELECT '{"features":[' || coalesce(string_agg('{"geometry":' || ST_AsGeoJSON(r.geom) || ',"properties":{"name":'
           || to_json(r.name) || ',"colour":' || to_json([('0x' || substr(c.colour, 2, 2))::INTEGER,
               ('0x' || substr(c.colour, 4, 2))::INTEGER, ('0x' || substr(c.colour, 6, 2))::INTEGER, 220])
           || ',"width":' || c.width_px
           || '},"type":"Feature"}', ',' ORDER BY c.sort_order DESC, r.road_id), '')
       || '],"type":"FeatureCollection"}' AS geojson,
       count(*) AS n
FROM roads r JOIN road_classes c ON c.code = r.road_class;
