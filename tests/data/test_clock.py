"""data/clock.py: the one clock; pinned by ONEMAP_NOW, else the CST wall clock."""
from datetime import UTC, datetime, timedelta

from data import clock


def test_pinned_clock_is_that_instant_in_every_precision(monkeypatch):
    monkeypatch.setenv(clock.PIN_VARIABLE, "2028-02-29 23:59:41")
    assert clock.now() == datetime(2028, 2, 29, 23, 59, 41)
    assert clock.now_cst() == datetime(2028, 2, 29, 23, 59)


def test_unpinned_clock_is_china_standard_time(monkeypatch):
    monkeypatch.delenv(clock.PIN_VARIABLE, raising=False)
    cst = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=8)
    assert abs(clock.now() - cst) < timedelta(minutes=5)  # the offset, not a speed: UTC would be 8 h off
    assert clock.now().tzinfo is None and clock.now_cst().second == 0
