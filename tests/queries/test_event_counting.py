"""An event counts once (data/macros.sql event_key): a fire reported by three channels is one open incident and one
major in the KPI strip, one line of report obligations carried by its lead (earliest) report, one event on the map's
count line and in the daily report; an unlinked report is its own event."""
from datetime import timedelta

import pytest

from queries import runner
from tests.queries.duty_fixture import T0, add_incident, add_report, tiny_db

M = timedelta(minutes=1)
NOW = T0 + 60 * M
WINDOW = {"start": T0 - timedelta(hours=1), "end": NOW}


@pytest.fixture()
def con():
    """Reports 1-3: one fire from three channels (event 7; report 2 the earliest, only IV; 1 and 3 are II);
    report 4: an unlinked II flood; report 5: an unlinked IV flood, closed."""
    connection = tiny_db()
    add_incident(connection, 1, T0 + 5 * M, severity=2, channel="police_110", hazard="forest_fire")
    add_incident(connection, 2, T0, severity=4, channel="grid", hazard="forest_fire")
    add_incident(connection, 3, T0 + 10 * M, severity=2, channel="ai_video", hazard="forest_fire")
    add_incident(connection, 4, T0 + 2 * M, severity=2)
    add_incident(connection, 5, T0 + 3 * M, severity=4, closed_at=T0 + 20 * M)
    connection.execute("UPDATE incidents SET event_id = 7 WHERE incident_id IN (1, 2, 3)")
    connection.execute("INSERT INTO events VALUES (7, 'fire', ?, ?, 119.05, 27.6, 3, "
                       "['ai_video', 'grid', 'police_110'], NULL)", [T0, T0 + 10 * M])
    yield connection
    connection.close()


def test_kpis_count_a_three_report_event_once(con):
    k = runner.run(con, "onemap_kpis", now=NOW, **WINDOW).iloc[0]
    assert (k["open_incidents"], k["new_incidents"], k["major_incidents"], k["new_reports"]) == (2, 3, 2, 5)


def test_missing_reports_are_judged_per_event(con):
    # neither major event has a first report, 30 minutes after its lead report: two events miss reports
    assert runner.run(con, "onemap_kpis", now=NOW, **WINDOW).iloc[0]["major_missing_reports"] == 2
    # a first report written against a later report of the fire covers the fire
    add_report(con, 1, 3, "first", 1, T0 + 30 * M, T0 + 20 * M)
    assert runner.run(con, "onemap_kpis", now=NOW, **WINDOW).iloc[0]["major_missing_reports"] == 1


def deadlines(con, now=NOW):
    return runner.run(con, "duty_report_deadlines", now=now, since=T0 - timedelta(days=1), until=now + M,
                      soon_minutes=60)


def test_obligations_are_once_per_event_carried_by_its_lead_report(con):
    first = deadlines(con).query("kind == 'first'").set_index("incident_id")
    assert sorted(first.index) == [2, 4], "the fire's lead (earliest) report 2 carries it; flood 4 its own"
    fire = first.loc[2]
    # as severe as its most severe report (II), due from the lead report's time, the lead's description
    assert (fire["severity"], fire["due_at"], fire["event_id"], fire["reports"]) == (2, T0 + 30 * M, 7, 3)
    assert fire["description"] == "测试事件2" and fire["state"] == "overdue"
    assert first["event_id"].isna().loc[4] and first.loc[4, "reports"] == 1


def test_a_report_sent_against_a_non_lead_report_counts_for_the_event(con):
    add_report(con, 1, 3, "first", 1, T0 + 30 * M, T0 + 25 * M)
    add_report(con, 2, 1, "first", 1, T0 + 30 * M, T0 + 40 * M)   # a second one, later: the earliest counts
    fire = deadlines(con).query("kind == 'first' and incident_id == 2").iloc[0]
    assert (fire["state"], fire["sent_at"]) == ("on_time", T0 + 25 * M)


def test_the_event_is_closed_when_its_last_report_is(con):
    con.execute("UPDATE incidents SET status = 'closed', closed_at = ? WHERE incident_id IN (1, 2)", [T0 + 30 * M])
    assert "final" not in set(deadlines(con).query("incident_id == 2")["kind"])
    con.execute("UPDATE incidents SET status = 'closed', closed_at = ? WHERE incident_id = 3", [T0 + 50 * M])
    final = deadlines(con).query("incident_id == 2 and kind == 'final'").iloc[0]
    assert final["due_at"] == T0 + 50 * M + timedelta(days=5)


def test_the_map_count_line_counts_events(con):
    hazards = ["forest_fire", "flood"]
    c = runner.run(con, "onemap_incident_count", hazards=hazards, open_only=False, **WINDOW).iloc[0]
    assert (c["total"], c["open"], c["events"], c["open_events"]) == (5, 4, 3, 2)


def test_the_daily_report_counts_events(con):
    day = T0.date()
    totals = runner.run(con, "report_event_totals", day=day).iloc[0]
    assert totals["day_count"] == 3
    hazards = runner.run(con, "report_totals_by_hazard", day=day).set_index("code")["day_count"]
    assert hazards.to_dict() == {"flood": 2, "forest_fire": 1}
    trend = runner.run(con, "report_daily_trend", day=day, days=2).iloc[-1]
    assert (trend["emergency"], trend["service"]) == (3, 0), "the fire under its lead's category, once"
    channels = runner.run(con, "report_totals_by_channel", day=day)
    assert channels["day_count"].sum() == 5, "channels count their own reports"
