-- Analysis filter options: the townships (id, name), in code order.
SELECT township_id, name FROM townships ORDER BY code;
