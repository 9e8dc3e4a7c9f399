-- Analysis: filtered incidents per township, most first (townships with none are left out).
-- include: analysis_filter
SELECT f.township_id, t.name AS township, count(*) AS incidents
FROM filtered f JOIN townships t USING (township_id)
GROUP BY ALL
ORDER BY incidents DESC, township;
