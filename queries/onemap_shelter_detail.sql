-- One shelter as One Map's side panel shows it after a click.
-- Parameters: $shelter_id (INTEGER).
SELECT s.shelter_id, s.code, s.name, s.level, s.setting, s.purpose, s.stay, s.capacity, s.occupancy,
       s.capacity - s.occupancy AS free_places, s.area_m2, s.is_open, t.name AS township, v.name AS village,
       s.lon, s.lat
FROM shelters s
LEFT JOIN townships t USING (township_id)
LEFT JOIN villages v ON v.village_id = s.village_id
WHERE s.shelter_id = $shelter_id;
