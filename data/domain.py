"""Domain rules that Python and SQL both apply, each written once here (SQL: data/macros.sql, pinned equal by
tests/data/test_domain.py)."""
from datetime import date, datetime

# Zhejiang's flood season (汛期): 15 April (plum rains) to 15 October (end of the typhoon season), both days in.
FLOOD_SEASON = ((4, 15), (10, 15))

# Severity I-IV (突发事件应对法) as written on screens and in reports; data/lookups.sql severity_levels.roman.
SEVERITY_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def in_flood_season(day: date | datetime) -> bool:
    (m0, d0), (m1, d1) = FLOOD_SEASON
    return (m0, d0) <= (day.month, day.day) <= (m1, d1)
