-- Analysis: filtered incidents per time bucket and hazard; $granularity is 'day', 'week' or 'month'.
-- include: analysis_filter
SELECT date_trunc($granularity, received_at) AS bucket, hazard, count(*) AS incidents
FROM filtered
GROUP BY ALL
ORDER BY bucket, hazard;
