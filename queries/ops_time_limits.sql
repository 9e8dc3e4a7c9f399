-- Arrival time limits (minutes) by linkage level and incident category: what a unit would get if sent now.
-- Parameters: none.
SELECT linkage_level, category, arrive_minutes FROM dispatch_time_limits ORDER BY linkage_level, category;
