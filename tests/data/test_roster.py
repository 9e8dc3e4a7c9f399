"""Roster validation (no empty base seat, nobody twice a day, contacts present) and edits that keep history."""
from datetime import date, datetime

import pytest

from data import db, roster

DAY = date(2026, 7, 1)
BASE = ["leader", "dept_head", "office_1", "office_2", "officer_1", "officer_2", "officer_3", "officer_4",
        "officer_5"]


def full_day(prefix="人"):
    return [roster.Entry(seat, f"{prefix}{k}", "县联合值班室", f"1385780{k:04d}") for k, seat in enumerate(BASE)]


@pytest.fixture()
def con(memory_db):
    return memory_db


def codes(problems):
    return sorted((p.code, p.seat) for p in problems)


def test_a_full_base_day_is_valid(con):
    assert roster.validate_day(full_day(), roster.seats(con)) == []


def test_empty_base_seat_is_refused_but_extra_seats_are_optional(con):
    day = [e for e in full_day() if e.seat != "officer_3"]
    assert codes(roster.validate_day(day, roster.seats(con))) == [("empty_base_seat", "officer_3")]
    blank = [roster.Entry(e.seat, "  " if e.seat == "leader" else e.person_name, e.unit_name, e.phone)
             for e in full_day()]
    assert codes(roster.validate_day(blank, roster.seats(con))) == [("empty_base_seat", "leader")]


def test_nobody_twice_on_the_same_day(con):
    day = full_day()
    day[8] = roster.Entry("officer_5", " 人0 ", "县政府", "13800000000")   # same person as the leader, spaces ignored
    day.append(roster.Entry("flood_extra", "人1", "县水利局", "13800000001"))
    problems = roster.validate_day(day, roster.seats(con))
    assert codes(problems) == [("person_twice", "flood_extra"), ("person_twice", "officer_5")]


def test_missing_contact_and_unknown_seat(con):
    day = full_day() + [roster.Entry("night_shift", "某人", "x", "1")]
    day[0] = roster.Entry("leader", "人0", "", "13800000000")
    assert codes(roster.validate_day(day, roster.seats(con))) == [("missing_contact", "leader"),
                                                                 ("unknown_seat", "night_shift")]


def test_save_writes_the_day_and_its_history(con):
    t1, t2 = datetime(2026, 6, 30, 9, 0), datetime(2026, 6, 30, 10, 0)
    version0 = db.data_version(con)
    assert roster.save_day(con, DAY, full_day(), "值班长", t1) == 9
    assert db.data_version(con) == version0 + 1
    changed = full_day()
    changed[0] = roster.Entry("leader", "新领导", "县政府", "13900000000")
    changed.append(roster.Entry("flood_extra", "防汛员", "县水利局", "13900000001"))
    assert roster.save_day(con, DAY, changed, "值班长", t2) == 2
    assert roster.save_day(con, DAY, changed, "值班长", t2) == 0               # no change, no history
    assert {e.seat: e.person_name for e in roster.load_day(con, DAY)}["leader"] == "新领导"
    history = con.execute("SELECT changed_at, seat, action, old_person, new_person FROM duty_roster_history "
                          "WHERE changed_at = ? ORDER BY seat", [t2]).fetchall()
    assert history == [(t2, "flood_extra", "add", None, "防汛员"), (t2, "leader", "change", "人0", "新领导")]
    assert con.execute("SELECT count(*) FROM duty_roster_history").fetchone()[0] == 11


def test_invalid_day_is_not_saved(con):
    roster.save_day(con, DAY, full_day(), "值班长", datetime(2026, 6, 30, 9))
    bad = full_day()[1:]
    with pytest.raises(roster.RosterError) as err:
        roster.save_day(con, DAY, bad, "值班长", datetime(2026, 6, 30, 10))
    assert [p.code for p in err.value.problems] == ["empty_base_seat"]
    assert len(roster.load_day(con, DAY)) == 9
    assert con.execute("SELECT count(*) FROM duty_roster_history").fetchone()[0] == 9


def test_season_seats_are_asked_for_in_their_season():
    assert roster.season_seats_missing(date(2026, 7, 1), full_day()) == ["flood_extra"]
    assert roster.season_seats_missing(date(2026, 11, 1), full_day()) == ["fire_extra"]
    assert roster.season_seats_missing(date(2026, 5, 1), full_day()) == []
    with_fire = full_day() + [roster.Entry("fire_extra", "护林员", "县林业局", "13900000002")]
    assert roster.season_seats_missing(date(2026, 1, 5), with_fire) == []


def test_every_problem_code_has_a_message_in_both_languages():
    import inspect

    import i18n
    codes_in_code = {"empty_base_seat", "person_twice", "missing_contact", "unknown_seat", "seat_twice"}
    assert all(f'"{c}"' in inspect.getsource(roster) for c in codes_in_code)
    for lang in i18n.LANGUAGES:
        for code in codes_in_code:
            assert i18n.translate(f"duty_desk.problem.{code}", lang, seat="S", person="P")
