"""Domain rules that Python and SQL both apply, each written once here (SQL: data/macros.sql, pinned equal by
tests/data/test_domain.py)."""
from collections.abc import Iterable
from datetime import date, datetime

# Zhejiang's flood season (汛期): 15 April (plum rains) to 15 October (end of the typhoon season), both days in.
FLOOD_SEASON = ((4, 15), (10, 15))

# Severity I-IV (突发事件应对法) as written on screens and in reports; data/lookups.sql severity_levels.roman.
SEVERITY_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def in_flood_season(day: date | datetime) -> bool:
    (m0, d0), (m1, d1) = FLOOD_SEASON
    return (m0, d0) <= (day.month, day.day) <= (m1, d1)


def reservoir_limit_kind(moment: date | datetime) -> str:
    """The level a reservoir is judged against at `moment`: "flood_limit" (汛限水位) in the flood season,
    "normal" (正常蓄水位) outside it. The word on every screen and report follows this (SQL twin)."""
    return "flood_limit" if in_flood_season(moment) else "normal"


def dispatch_missed(arrived_at: datetime | None, deadline_at: datetime, known_at: datetime) -> bool:
    """超时: arrived after the deadline, or not arrived by known_at with the deadline passed (SQL twin)."""
    if arrived_at is not None and arrived_at <= known_at:
        return arrived_at > deadline_at
    return known_at > deadline_at


def event_key(event_id: int | None, incident_id: int) -> int:
    """One event counted once: linked reports share -event_id, an unlinked report is its own event (its id)."""
    return -int(event_id) if event_id is not None else int(incident_id)


def lead_report(reports: Iterable[tuple[int, datetime]]) -> int:
    """The event's lead report, from (incident_id, received_at) pairs: the earliest, then the lowest id. It
    carries the event's report obligations."""
    return min(reports, key=lambda r: (r[1], r[0]))[0]
