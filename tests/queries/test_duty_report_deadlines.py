"""Report deadlines from the report_rules code table, at the edges: exactly on time, one minute late, overdue by
one minute, due soon, follow-ups only while open, the final report after closure, and an incident that closed
before its first report was due."""
from datetime import timedelta

import pytest

from queries import runner
from tests.queries.duty_fixture import T0, add_incident, add_report, tiny_db

M = timedelta(minutes=1)


def deadlines(con, now, since=T0 - timedelta(days=1), until=None, soon=60):
    return runner.run(con, "duty_report_deadlines", now=now, since=since, until=until or now + M, soon_minutes=soon)


def row(frame, incident_id, kind, seq=1):
    hit = frame[(frame["incident_id"] == incident_id) & (frame["kind"] == kind) & (frame["seq"] == seq)]
    assert len(hit) == 1, f"expected one {kind} #{seq} of incident {incident_id}, got {len(hit)}"
    return hit.iloc[0]


@pytest.fixture()
def con():
    connection = tiny_db()
    yield connection
    connection.close()


def test_first_report_exactly_on_time_and_one_minute_late(con):
    add_incident(con, 1, T0, severity=2)                      # rule: first report within 30 minutes
    add_incident(con, 2, T0, severity=2)
    add_report(con, 1, 1, "first", 1, T0, T0 + 30 * M)        # due_at in the table is ignored: rules decide
    add_report(con, 2, 2, "first", 1, T0, T0 + 31 * M)
    frame = deadlines(con, now=T0 + 2 * 60 * M)
    on_time, late = row(frame, 1, "first"), row(frame, 2, "first")
    assert on_time["due_at"] == T0 + 30 * M
    assert (on_time["state"], on_time["late_minutes"]) == ("on_time", 0)
    assert (late["state"], late["late_minutes"]) == ("late", 1)


def test_unsent_first_report_is_due_soon_until_the_deadline_then_overdue(con):
    add_incident(con, 1, T0, severity=1)
    assert row(deadlines(con, now=T0 + 29 * M), 1, "first")["state"] == "due_soon"
    exactly = row(deadlines(con, now=T0 + 30 * M), 1, "first")
    assert (exactly["state"], exactly["late_minutes"]) == ("due_soon", 0)
    after = row(deadlines(con, now=T0 + 31 * M), 1, "first")
    assert (after["state"], after["late_minutes"]) == ("overdue", 1)
    # a report sent after 'now' does not count yet
    add_report(con, 1, 1, "first", 1, T0, T0 + 45 * M)
    assert row(deadlines(con, now=T0 + 40 * M), 1, "first")["state"] == "overdue"
    assert row(deadlines(con, now=T0 + 50 * M), 1, "first")["late_minutes"] == 15


def test_rules_come_from_the_code_table(con):
    add_incident(con, 1, T0, severity=3, flagged=True)        # III flagged: 60 minutes by default
    add_incident(con, 2, T0, severity=3, flagged=False)       # III not flagged: not a major incident
    assert row(deadlines(con, now=T0), 1, "first")["due_at"] == T0 + 60 * M
    assert 2 not in set(deadlines(con, now=T0)["incident_id"])
    con.execute("UPDATE report_rules SET first_report_minutes = 15 WHERE severity = 3")
    assert row(deadlines(con, now=T0), 1, "first")["due_at"] == T0 + 15 * M


def test_follow_ups_every_24_hours_while_open_and_the_next_one_ahead(con):
    add_incident(con, 1, T0, severity=2)
    add_report(con, 1, 1, "first", 1, T0, T0 + 10 * M)
    add_report(con, 2, 1, "follow_up", 1, T0, T0 + timedelta(hours=24))       # exactly on time
    frame = deadlines(con, now=T0 + timedelta(hours=49))
    follow = frame[frame["kind"] == "follow_up"].sort_values("seq")
    assert list(follow["seq"]) == [1, 2, 3]                                      # 24 h, 48 h, and 72 h ahead
    assert list(follow["due_at"]) == [T0 + timedelta(hours=24 * k) for k in (1, 2, 3)]
    assert list(follow["state"]) == ["on_time", "overdue", "pending"]
    assert follow.iloc[1]["late_minutes"] == 60
    assert "final" not in set(frame["kind"])                                     # still open


def test_closed_incident_needs_no_more_follow_ups_and_a_final_report_within_5_days(con):
    closed = T0 + timedelta(hours=30)
    add_incident(con, 1, T0, severity=2, closed_at=closed)
    frame = deadlines(con, now=T0 + timedelta(days=10))
    assert list(frame.loc[frame["kind"] == "follow_up", "seq"]) == [1]          # only the one due while open
    final = row(frame, 1, "final")
    assert final["due_at"] == closed + timedelta(days=5)
    assert (final["state"], final["late_minutes"]) == ("overdue", int((timedelta(days=10) - timedelta(hours=30)
                                                                      - timedelta(days=5)) / M))


def test_incident_closed_before_its_first_report_was_due(con):
    closed = T0 + 10 * M
    add_incident(con, 1, T0, severity=2, closed_at=closed)
    frame = deadlines(con, now=T0 + 20 * M)
    assert sorted(frame["kind"]) == ["final", "first"]                           # no follow-up at all
    first = row(frame, 1, "first")
    assert (first["due_at"], first["state"]) == (T0 + 30 * M, "due_soon")        # still owed, 10 minutes left
    assert row(frame, 1, "final")["due_at"] == closed + timedelta(days=5)
    later = deadlines(con, now=T0 + 31 * M)
    assert (row(later, 1, "first")["state"], row(later, 1, "first")["late_minutes"]) == ("overdue", 1)


def test_closing_exactly_on_a_follow_up_time_does_not_require_that_follow_up(con):
    add_incident(con, 1, T0, severity=2, closed_at=T0 + timedelta(hours=48))
    frame = deadlines(con, now=T0 + timedelta(days=3))
    assert list(frame.loc[frame["kind"] == "follow_up", "seq"]) == [1]


def test_window_keeps_old_closed_incidents_out(con):
    add_incident(con, 1, T0, severity=2, closed_at=T0 + timedelta(hours=1))
    frame = deadlines(con, now=T0 + timedelta(days=40), since=T0 + timedelta(days=30))
    assert frame.empty
