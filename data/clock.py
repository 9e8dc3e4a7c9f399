"""China Standard Time: every source system writes CST wall-clock times, and so does the database."""
from datetime import datetime
from zoneinfo import ZoneInfo

CST = ZoneInfo("Asia/Shanghai")


def now_cst() -> datetime:
    """Current CST time, naive, to the minute."""
    return datetime.now(CST).replace(tzinfo=None, second=0, microsecond=0)
