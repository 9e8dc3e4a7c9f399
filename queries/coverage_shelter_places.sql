-- Shelter capacity per township against its resident population: places per 100 residents (all shelters,
-- open or not) and free places now. Townships with no shelter show 0.
-- Parameters: none.
SELECT tw.township_id, tw.name AS township, tw.population, tw.population_estimated,
       count(s.shelter_id) AS shelters, CAST(coalesce(sum(s.capacity), 0) AS INTEGER) AS capacity,
       CAST(coalesce(sum(s.capacity - s.occupancy), 0) AS INTEGER) AS free_places,
       round(100.0 * coalesce(sum(s.capacity), 0) / tw.population, 1) AS places_per_100
FROM townships tw
LEFT JOIN shelters s ON s.township_id = tw.township_id
GROUP BY tw.township_id, tw.name, tw.population, tw.population_estimated
ORDER BY places_per_100, tw.township_id;
