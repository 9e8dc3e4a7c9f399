-- What the depots of township $township_id (NULL = all) hold, by item: total quantity, unit and where it lies.
-- An item counted in different units (箱 and 件) stays two rows. Parameters: $township_id (SMALLINT or NULL).
SELECT s.item, s.category, coalesce(s.unit, '') AS unit, sum(s.quantity) AS quantity,
       count(DISTINCT s.warehouse_id) AS warehouses,
       string_agg(w.name || ' ' || regexp_replace(CAST(s.quantity AS VARCHAR), '\.0$', ''), '、' ORDER BY s.quantity DESC, w.warehouse_id) AS held_at
FROM stock s
JOIN warehouses w ON w.warehouse_id = s.warehouse_id
WHERE $township_id::SMALLINT IS NULL OR w.township_id = $township_id::SMALLINT
GROUP BY ALL
ORDER BY s.category, s.item, unit;
