-- Analysis filter options: grid cells (id, code, name) of the chosen townships ($townships empty = all).
SELECT grid_cell_id, code, name, township_id
FROM grid_cells
WHERE len($townships::INTEGER[]) = 0 OR list_contains($townships::INTEGER[], township_id)
ORDER BY code;
