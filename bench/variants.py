"""The filter variants every path is timed over: windows of 1, 7 and 30 days ending at different times,
with and without a hazard filter, so caches and lucky plans do not flatter the numbers."""
from __future__ import annotations

from datetime import datetime, timedelta

HAZARD_SETS = [[], ["flood"], ["forest_fire", "geological"], ["public_security", "traffic"]]
WINDOW_DAYS = [1, 7, 30]


def variants(now: datetime, count: int = 24) -> list[dict]:
    """count filter sets: (start, end, hazards) cycling through windows, end offsets and hazards."""
    out = []
    for k in range(count):
        days = WINDOW_DAYS[k % len(WINDOW_DAYS)]
        end = now - timedelta(days=(k * 37) % 400, hours=k % 24)
        out.append({"start": end - timedelta(days=days), "end": end, "hazards": HAZARD_SETS[k % len(HAZARD_SETS)],
                    "window_days": days})
    return out
