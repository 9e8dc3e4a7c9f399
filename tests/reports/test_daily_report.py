"""The daily report's content (reports/daily_report.py): its numbers are the database's, its status words read
right."""
from datetime import date, datetime, time, timedelta

import pytest

import i18n
from data import domain
from queries import runner
from reports import daily_report as dr


def test_report_numbers_match_the_database(con, report, report_day, day_facts):
    total, majors, _ = day_facts
    assert report.totals["day_count"] == total
    assert set(report.majors["description"]) == set(majors)
    assert len(report.majors) == len(majors) >= 1
    # the previous day is the day before, counted independently: events, an event on its lead report's day
    prev = con.execute("""SELECT count(*) FROM (SELECT min(received_at) AS first_at FROM incidents
                                                GROUP BY event_key(event_id, incident_id))
                          WHERE CAST(first_at AS DATE) = ?""", [report_day - timedelta(days=1)]).fetchone()[0]
    assert report.totals["previous_day"] == prev
    # the channel table counts each channel's reports
    assert report.totals["reports"] == con.execute("SELECT count(*) FROM incidents WHERE CAST(received_at AS DATE) = ?",
                                                   [report_day]).fetchone()[0] >= report.totals["day_count"]


def test_report_status_words(report):
    row = {"first_required": 1, "first_sent": 1, "first_late": 1, "first_overdue": 0, "first_worst_minutes": 75,
           "first_next_due": None}
    assert dr.report_cell(report, row, "first") == "已报1次，迟报1小时15分"
    row.update(first_sent=0, first_late=1, first_overdue=1, first_worst_minutes=12)
    assert dr.report_cell(report, row, "first") == "逾期未报12分钟"
    row.update(first_required=0, first_late=0, first_overdue=0, first_next_due=datetime(2026, 7, 1, 9, 30))
    assert dr.report_cell(report, row, "first") == "待报，截止07-01 09:30"


@pytest.mark.parametrize("day", [date(2026, 7, 20), date(2026, 11, 20)], ids=["flood_season", "off_season"])
def test_reservoirs_are_judged_against_the_level_of_the_season(con, day):
    """The same rule as One Map's KPI (data/macros.sql reservoir_limit_m): the flood-limit level in the flood
    season, the normal storage level outside it, and the wording says which."""
    start = datetime.combine(day, time())
    rows = runner.run(con, "report_reservoirs_above_limit", start=start, end=start + timedelta(days=1),
                      asof=start + timedelta(days=2))
    levels = con.execute("SELECT reservoir_id, flood_limit_level_m, normal_level_m FROM reservoirs").df() \
        .set_index("reservoir_id")
    limit = "flood_limit_level_m" if domain.in_flood_season(day) else "normal_level_m"
    assert (rows["limit_m"].to_numpy() == levels.loc[rows["reservoir_id"], limit].to_numpy()).all()
    assert (rows["peak_level_m"] > rows["limit_m"]).all()
    suffix = dr.season_suffix(day)
    assert suffix == ("" if day.month == 7 else "_off_season")
    assert i18n.translate("daily_report.sec_reservoirs" + suffix, "zh-CN").endswith(
        "超汛限水位水库" if day.month == 7 else "超正常蓄水位水库")
