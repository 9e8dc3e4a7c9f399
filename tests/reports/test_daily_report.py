"""The daily report's content (reports/daily_report.py): its numbers are the database's, its status words read
right."""
from datetime import datetime, timedelta

from reports import daily_report as dr


def test_report_numbers_match_the_database(con, report, report_day, day_facts):
    total, majors, _ = day_facts
    assert report.totals["day_count"] == total
    assert set(report.majors["description"]) == set(majors)
    assert len(report.majors) == len(majors) >= 1
    # the channel table's previous day is the day before, counted independently
    prev = con.execute("SELECT count(*) FROM incidents WHERE CAST(received_at AS DATE) = ?",
                       [report_day - timedelta(days=1)]).fetchone()[0]
    assert report.totals["previous_day"] == prev


def test_report_status_words(report):
    row = {"first_required": 1, "first_sent": 1, "first_late": 1, "first_overdue": 0, "first_worst_minutes": 75,
           "first_next_due": None}
    assert dr.report_cell(report, row, "first") == "已报1次，迟报1小时15分"
    row.update(first_sent=0, first_late=1, first_overdue=1, first_worst_minutes=12)
    assert dr.report_cell(report, row, "first") == "逾期未报12分钟"
    row.update(first_required=0, first_late=0, first_overdue=0, first_next_due=datetime(2026, 7, 1, 9, 30))
    assert dr.report_cell(report, row, "first") == "待报，截止07-01 09:30"
