-- Every shelter for the map layer with its free places (a few hundred rows).
SELECT shelter_id, name, level, setting, stay, capacity, occupancy, capacity - occupancy AS free_places, is_open,
       township_id, lon, lat
FROM shelters
ORDER BY shelter_id;
