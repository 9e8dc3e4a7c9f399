"""The duty desk's "已逾期（未报）" list: one row per incident, most urgent first (views/info_reports.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest

import i18n
from queries import runner
from tests.queries.duty_fixture import T0, add_incident, tiny_db
from views.info_reports import overdue_by_incident

NOW = T0 + timedelta(days=120, hours=3)


@pytest.fixture()
def deadlines():
    con = tiny_db()
    add_incident(con, 1, T0 + timedelta(hours=2), severity=2)                      # stale: ~120 follow-ups owed
    add_incident(con, 2, NOW - timedelta(hours=2), severity=2, township_id=2)      # fresh: its 首报 missed
    add_incident(con, 3, NOW - timedelta(hours=30), severity=1)                    # level I, one 续报 missed
    frame = runner.run(con, "duty_report_deadlines", now=NOW, since=NOW - timedelta(days=200),
                       until=NOW + timedelta(minutes=1), soon_minutes=60)
    con.close()
    return frame


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_one_row_per_incident_most_urgent_first(deadlines, lang):
    per_report = deadlines[deadlines["state"] == "overdue"]
    assert per_report["incident_id"].value_counts()[1] > 100  # the flood of rows the issue saw
    table = overdue_by_incident(deadlines, lang)
    assert list(table["incident_id"]) == [3, 2, 1]  # level I, then the missed 首报, then the stale one
    assert table["missed"].sum() == len(per_report)
    stale = table.set_index("incident_id").loc[1]
    assert stale["missed"] == per_report["incident_id"].value_counts()[1]
    assert stale["oldest_due"] == per_report[per_report["incident_id"] == 1]["due_at"].min()
    assert stale["next_due"] > NOW  # still open: the next 续报 ahead
    s = i18n.strings(lang)
    follow, first = s["duty_desk.kind_short.follow_up"], s["duty_desk.kind_short.first"]
    assert stale["missed_reports"] == f"{first}{s['app.list_sep']}{follow} ×{stale['missed'] - 1}"
    assert table.set_index("incident_id").loc[2, "missed_reports"] == first


def test_nothing_overdue_is_an_empty_table(deadlines):
    assert overdue_by_incident(deadlines[deadlines["state"] != "overdue"], "zh-CN").empty
