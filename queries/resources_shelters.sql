-- Shelters of township $township_id (NULL = all) with capacity, occupancy and free places, largest first.
-- Parameters: $township_id (SMALLINT or NULL).
SELECT s.shelter_id, s.name, s.level, s.setting, s.purpose, s.stay, s.capacity, s.occupancy,
       s.capacity - s.occupancy AS free_places, round(100.0 * s.occupancy / s.capacity, 1) AS occupancy_pct,
       s.is_open, tw.name AS township, s.township_id, s.lon, s.lat
FROM shelters s
JOIN townships tw ON tw.township_id = s.township_id
WHERE $township_id::SMALLINT IS NULL OR s.township_id = $township_id::SMALLINT
ORDER BY s.is_open DESC, s.capacity DESC, s.shelter_id;
