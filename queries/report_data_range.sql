-- First and last day with incidents (bounds of the daily report's date picker).
SELECT CAST(min(received_at) AS DATE) AS first_day, CAST(max(received_at) AS DATE) AS last_day FROM incidents;
