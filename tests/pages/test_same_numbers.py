"""Issue 17 item 7: one label, one number. 超时派单 and the reservoirs above their limit are each defined once
(data/macros.sql overdue_dispatches, reservoirs_above_limit, reservoir_limit_kind) and One Map's KPI (window
"today"), the duty desk and the daily report (that day, made at that moment) give the same number for the same
moment, with the word (超汛限 / 超正常蓄水位) the same macro decides."""
import re
from datetime import datetime, timedelta

import i18n
from data import domain
from queries import runner
from reports import daily_report
from views import one_map as one_map_view

# Moments of the demo county with overdue dispatches and reservoirs above their limit, in and out of the flood
# season, and the test suite's own instant (quiet).
MOMENTS = [datetime(2024, 6, 21, 20, 0), datetime(2026, 5, 30, 20, 0), datetime(2025, 10, 4, 20, 0),
           datetime(2022, 4, 10, 20, 0), datetime(2025, 12, 3, 15, 30), datetime(2026, 11, 25, 10, 35)]


def tr(key, **values):
    return i18n.translate(key, "zh-CN", **values)


def _three(con, now: datetime) -> dict:
    fetch = lambda name, **params: runner.run(con, name, **params)  # noqa: E731
    start, end = one_map_view.window_bounds("today", now)
    kpis = one_map_view.kpis(fetch, start, end, now)
    duty = int(fetch("duty_overdue_dispatch_count", start=now.replace(hour=0, minute=0), end=now + timedelta(minutes=1),
                     now=now).iloc[0]["n"])
    report = daily_report.build(con, now.date(), now)
    return {"one_map": (int(kpis.overdue_dispatches), int(kpis.reservoirs_above_limit), kpis.reservoir_limit_kind),
            "duty_desk_overdue": duty,
            "report": (report.totals["overdue"], report.totals["reservoirs"],
                       "flood_limit" if daily_report.season_suffix(report.day) == "" else "normal")}


def test_one_map_duty_desk_and_daily_report_count_the_same(con):
    seen_overdue = seen_reservoirs = 0
    for now in MOMENTS:
        got = _three(con, now)
        assert got["one_map"] == got["report"], (now, got)
        assert got["one_map"][0] == got["duty_desk_overdue"], (now, got)
        assert got["one_map"][2] == domain.reservoir_limit_kind(now)
        seen_overdue += got["one_map"][0]
        seen_reservoirs += got["one_map"][1]
    assert seen_overdue > 0 and seen_reservoirs > 0, "the moments must have something to count"


PINNED = datetime(2024, 6, 21, 20, 0)  # flood season; overdue dispatches and reservoirs above the flood limit


def _kpi(html: str, label: str) -> int:
    found = re.search(rf'<div class="k">{re.escape(label)}</div><div class="v">([\d,]+)</div>', html)
    assert found, f"no KPI {label!r} on One Map"
    return int(found.group(1).replace(",", ""))


def test_the_three_pages_show_the_same_numbers_at_one_moment(app_test, con, monkeypatch):
    """The pages themselves, at one pinned moment (the app's clock): One Map with ?window=today, the duty desk,
    the daily report of that day."""
    monkeypatch.setenv("ONEMAP_NOW", PINNED.isoformat(sep=" "))
    expected = _three(con, PINNED)
    overdue, reservoirs, kind = expected["one_map"]
    assert overdue > 0 and reservoirs > 0 and kind == "flood_limit"

    at = app_test("pages/one_map.py", role="commander", window="today").run()
    assert not at.exception, at.exception
    html = "".join(el.proto.body for el in at.get("html"))
    assert _kpi(html, tr("one_map.kpi.overdue")) == overdue
    assert _kpi(html, tr("one_map.kpi.reservoirs_above")) == reservoirs  # 超汛限水库: the flood season's word
    assert tr("one_map.kpi.reservoirs_above_off_season") not in html

    at = app_test("pages/duty_desk.py").run()
    assert not at.exception, at.exception
    metric = {m.label: m.value for m in at.metric}
    assert int(metric[tr("duty_desk.metric_overdue_dispatches")]) == overdue

    at = app_test("pages/daily_report.py", day=PINNED.date().isoformat()).run()
    assert not at.exception, at.exception
    metric = {m.label: m.value for m in at.metric}
    assert int(metric[tr("daily_report.metric_overdue")]) == overdue
    text = "".join(m.value for m in at.markdown)
    assert f"超时派单 {overdue} 件" in text and f"超汛限水库 {reservoirs} 座" in text
