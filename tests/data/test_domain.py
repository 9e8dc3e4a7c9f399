"""Each domain rule is written once per language: data/domain.py in Python, data/macros.sql in SQL; pinned equal."""
from datetime import date, timedelta

import pytest

from data import domain


def every_day_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=k) for k in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", [2026, 2028])  # a leap year shifts day-of-year rules by one
def test_flood_season_is_the_same_rule_in_python_and_sql(memory_db, year):
    days = every_day_of(year)
    sql = dict(memory_db.execute("SELECT d, in_flood_season(d) FROM unnest(?::DATE[]) t(d)", [days]).fetchall())
    assert {d: domain.in_flood_season(d) for d in days} == sql
    assert domain.in_flood_season(date(year, 4, 15)) and domain.in_flood_season(date(year, 10, 15))
    assert not domain.in_flood_season(date(year, 4, 14)) and not domain.in_flood_season(date(year, 10, 16))


def test_reservoir_limit_is_the_flood_limit_in_season_and_the_normal_level_outside(memory_db):
    limits = memory_db.execute("SELECT reservoir_limit_m(330.0, 335.0, TIMESTAMP '2026-07-01 00:00'), "
                               "reservoir_limit_m(330.0, 335.0, TIMESTAMP '2026-12-01 00:00')").fetchone()
    assert limits == (330.0, 335.0)


def test_roman_severity_is_the_code_table(memory_db):
    assert dict(memory_db.execute("SELECT level, roman FROM severity_levels").fetchall()) == domain.SEVERITY_ROMAN


def test_event_key_and_lead_report_are_the_same_rule_in_python_and_sql(memory_db):
    from datetime import datetime
    pairs = [(None, 5), (3, 5), (3, 9), (None, 3), (7, 3)]
    sql = memory_db.execute("SELECT list(event_key(s.e, s.i) ORDER BY s.n) "
                            "FROM (SELECT unnest(?::STRUCT(e BIGINT, i BIGINT, n INT)[]) AS s)",
                            [[{"e": e, "i": i, "n": n} for n, (e, i) in enumerate(pairs)]]).fetchone()[0]
    assert sql == [domain.event_key(e, i) for e, i in pairs]
    assert len({domain.event_key(e, i) for e, i in pairs}) == 4, "an event id never meets an incident id"
    t = datetime(2026, 7, 1, 8, 0)
    reports = [(12, t), (10, datetime(2026, 7, 1, 8, 5)), (11, t)]
    assert domain.lead_report(reports) == 11
    assert memory_db.execute("SELECT event_lead(s.i, s.t, s.i) "
                             "FROM (SELECT unnest(?::STRUCT(i BIGINT, t TIMESTAMP)[]) AS s)",
                             [[{"i": i, "t": at} for i, at in reports]]).fetchone()[0] == 11


def test_reservoir_limit_kind_and_dispatch_missed_are_the_same_rule_in_python_and_sql(memory_db):
    from datetime import datetime
    days = every_day_of(2026)
    sql = dict(memory_db.execute("SELECT d, reservoir_limit_kind(d) FROM unnest(?::DATE[]) t(d)", [days]).fetchall())
    assert {d: domain.reservoir_limit_kind(d) for d in days} == sql
    t = datetime(2026, 11, 25, 10, 0)
    cases = [(None, t, t + timedelta(minutes=1)), (None, t, t), (t, t, t), (t + timedelta(minutes=5), t, t),
             (t + timedelta(minutes=5), t, t + timedelta(minutes=10)), (t - timedelta(minutes=1), t, t),
             (t + timedelta(minutes=30), t + timedelta(minutes=20), t + timedelta(minutes=25))]
    for arrived, deadline, known in cases:
        got = memory_db.execute("SELECT dispatch_missed(?::TIMESTAMP, ?::TIMESTAMP, ?::TIMESTAMP)",
                                [arrived, deadline, known]).fetchone()[0]
        assert got == domain.dispatch_missed(arrived, deadline, known), (arrived, deadline, known)
