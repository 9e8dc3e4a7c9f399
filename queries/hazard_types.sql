-- The hazard code table (labels and map colours).
SELECT code, class_code, name_zh, name_en, colour, sort_order FROM hazard_types ORDER BY sort_order;
