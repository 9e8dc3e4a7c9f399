-- Intake channel labels in both UI languages, in platform order.
SELECT code, name_zh, name_en, default_category FROM channels ORDER BY sort_order;
