-- Recent roster edits for dates in [$start, $end], newest first (who changed which seat, from what to what).
SELECT h.changed_at, h.changed_by, h.duty_date, h.seat, s.name_zh AS seat_zh, s.name_en AS seat_en, h.action,
       h.old_person, h.new_person, h.old_unit, h.new_unit
FROM duty_roster_history h
LEFT JOIN duty_seats s ON s.code = h.seat
WHERE h.duty_date BETWEEN $start AND $end
ORDER BY h.changed_at DESC, h.history_id DESC
LIMIT $max_rows;
