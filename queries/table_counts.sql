-- Row counts of the main tables (shown on pages that are still being built, and in tests).
SELECT 'townships' AS table_name, count(*) AS rows FROM townships
UNION ALL SELECT 'villages', count(*) FROM villages
UNION ALL SELECT 'grid_cells', count(*) FROM grid_cells
UNION ALL SELECT 'grid_members', count(*) FROM grid_members
UNION ALL SELECT 'linkage_units', count(*) FROM linkage_units
UNION ALL SELECT 'incidents', count(*) FROM incidents
UNION ALL SELECT 'dispatches', count(*) FROM dispatches
UNION ALL SELECT 'info_reports', count(*) FROM info_reports
UNION ALL SELECT 'cameras', count(*) FROM cameras
UNION ALL SELECT 'sensors', count(*) FROM sensors
UNION ALL SELECT 'reservoirs', count(*) FROM reservoirs
UNION ALL SELECT 'reservoir_readings', count(*) FROM reservoir_readings
UNION ALL SELECT 'geo_hazard_points', count(*) FROM geo_hazard_points
UNION ALL SELECT 'rescue_teams', count(*) FROM rescue_teams
UNION ALL SELECT 'shelters', count(*) FROM shelters
UNION ALL SELECT 'duty_roster', count(*) FROM duty_roster;
