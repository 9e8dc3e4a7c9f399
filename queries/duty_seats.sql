-- The duty seats ("1+1+2+5" base seats, then seasonal and holiday extras), in order.
SELECT code, sort_order, name_zh, name_en, is_extra FROM duty_seats ORDER BY sort_order;
