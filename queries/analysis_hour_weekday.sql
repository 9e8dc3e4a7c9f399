-- Analysis: filtered incidents by ISO weekday (1 = Monday) and hour of day (0-23), for the heatmap.
-- include: analysis_filter
SELECT isodow(received_at) AS weekday, hour(received_at) AS hour, count(*) AS incidents
FROM filtered
GROUP BY ALL
ORDER BY weekday, hour;
