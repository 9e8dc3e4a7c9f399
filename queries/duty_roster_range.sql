-- The joint-duty roster for dates in [$start, $end], one row per filled seat, seats in their order.
-- Phones of the duty staff are work contacts (shown on the duty desk; the daily report masks them with
-- data/privacy.py, which also works on databases built before the SQL mask macros).
SELECT r.duty_date, r.seat, s.sort_order, s.name_zh AS seat_zh, s.name_en AS seat_en, s.is_extra,
       r.person_name, r.unit_name, r.phone
FROM duty_roster r
JOIN duty_seats s ON s.code = r.seat
WHERE r.duty_date BETWEEN $start AND $end
ORDER BY r.duty_date, s.sort_order;
