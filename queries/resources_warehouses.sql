-- Supply depots of township $township_id (NULL = all) with how many kinds of supplies and equipment they hold.
-- Parameters: $township_id (SMALLINT or NULL).
SELECT w.warehouse_id, w.code, w.name, tw.name AS township, w.township_id, w.manager_name, w.manager_phone,
       w.lon, w.lat,
       count(s.stock_id) FILTER (s.category = 'supplies') AS supply_items,
       count(s.stock_id) FILTER (s.category = 'equipment') AS equipment_items,
       count(s.stock_id) AS items
FROM warehouses w
JOIN townships tw ON tw.township_id = w.township_id
LEFT JOIN stock s ON s.warehouse_id = w.warehouse_id
WHERE $township_id::SMALLINT IS NULL OR w.township_id = $township_id::SMALLINT
GROUP BY ALL
ORDER BY items DESC, w.warehouse_id;
