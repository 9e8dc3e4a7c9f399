-- Analysis filter options: the intake channels of the "1+N" platform with labels.
SELECT code, name_zh, name_en FROM channels ORDER BY sort_order;
