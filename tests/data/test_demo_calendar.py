"""The demo county built at the instants that break calendars still gives every page what it relies on.

The suite's own database lives at one fixed instant (tests/conftest.py TEST_NOW); the app builds its demo at the
wall clock of its first start, which may be any of these."""
from datetime import datetime, timedelta

import pytest

from data import db, demo
from queries import runner
from reports import daily_report
from views import one_map as view

CALENDAR_EDGES = {
    "first_of_month_after_midnight": datetime(2026, 12, 1, 0, 5),
    "new_year_0005": datetime(2027, 1, 1, 0, 5),
    "leap_day": datetime(2028, 2, 29, 12, 0),
    "new_years_eve_2359": datetime(2026, 12, 31, 23, 59),
    "sunday_night": datetime(2026, 11, 29, 23, 30),
}
SCALE = 0.05  # the suite's scale: the echo and staging rules thin out below it


@pytest.fixture(scope="module", params=list(CALENDAR_EDGES), ids=list(CALENDAR_EDGES))
def built(request, tmp_path_factory):
    now = CALENDAR_EDGES[request.param]
    path = tmp_path_factory.mktemp("calendar") / "edge.duckdb"
    demo.build(path, scale=SCALE, seed=7, now=now)
    con = db.connect(path, read_only=True)
    yield con, now
    con.close()
    path.unlink()


def test_history_ends_at_now_with_nothing_after_it(built):
    con, now = built
    last, demo_now = con.execute("SELECT max(received_at), (SELECT value FROM meta WHERE key = 'demo_now') "
                                 "FROM incidents").fetchone()
    assert last <= now and now - last < timedelta(hours=12)
    assert datetime.fromisoformat(demo_now) == now


def test_live_month_holds_cross_channel_events(built):
    """One Map draws an event reported by two channels once; the event must exist whatever the day."""
    con, now = built
    linked = con.execute("SELECT count(*) FROM events WHERE last_at >= ? AND len(channels) >= 2",
                         [now - timedelta(days=14)]).fetchone()[0]
    assert linked >= 1


def test_live_work_is_open_on_the_map(built):
    """The command centre always has work in hand: the staged incidents are open in One Map's 24 h window."""
    con, now = built
    start, end = view.window_bounds("24h", now)
    kpis = view.kpis(lambda name, **p: runner.run(con, name, **p), start, end, now)
    assert kpis["new_incidents"] > 0 and kpis["open_incidents"] > 0


def test_daily_report_has_a_yesterday_and_a_roster_for_tomorrow(built):
    con, now = built
    day = daily_report.default_day(now)
    assert day == (now - timedelta(days=1)).date()
    report = daily_report.build(con, day, now)
    assert report.totals["day_count"] > 0
    assert len(report.trend) > 0 and not report.roster.empty


def test_roster_covers_today(built):
    con, now = built
    today = now.date()
    assert con.execute("SELECT count(*) FROM duty_roster WHERE duty_date = ?", [today]).fetchone()[0] >= 9
