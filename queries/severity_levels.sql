-- Severity I-IV with the national warning colours.
SELECT level, roman, name_zh, name_en, colour, colour_name FROM severity_levels ORDER BY level;
