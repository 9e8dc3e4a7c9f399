"""The one clock of OneMap, in China Standard Time: every source system writes CST wall-clock times, and so does
the database, so times are naive CST everywhere.

ONEMAP_NOW ("2026-11-18 10:30:00") pins the clock to one instant: the test suite builds its database and runs
the app at a fixed instant, so no result depends on the date or hour the suite runs. Unset, the clock is the wall
clock."""
import os
from datetime import datetime
from zoneinfo import ZoneInfo

CST = ZoneInfo("Asia/Shanghai")
PIN_VARIABLE = "ONEMAP_NOW"


def now() -> datetime:
    """Current CST time, naive, to the second."""
    pinned = os.environ.get(PIN_VARIABLE)
    if pinned:
        return datetime.fromisoformat(pinned).replace(tzinfo=None, microsecond=0)
    return datetime.now(CST).replace(tzinfo=None, microsecond=0)


def now_cst() -> datetime:
    """Current CST time, naive, to the minute."""
    return now().replace(second=0)
