-- Analysis: filtered incidents per intake channel, in the channel code table's order.
-- include: analysis_filter
SELECT c.code AS channel, c.name_zh, c.name_en, count(*) AS incidents
FROM filtered f JOIN channels c ON c.code = f.channel
GROUP BY ALL
ORDER BY min(c.sort_order);
