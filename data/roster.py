"""The joint-duty roster ("1+1+2+5"): validation of a day's seats and edits that keep their history.

A day is valid when every base seat (duty_seats.is_extra = false) has a person, every filled seat has a unit
and a phone, and nobody holds two seats on the same day. Seasonal and holiday seats are optional. Problems are
returned as codes (translated by the page), so the rule lives here once and the UI only words it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from data import db


@dataclass(frozen=True)
class Entry:
    seat: str
    person_name: str
    unit_name: str = ""
    phone: str = ""

    def cleaned(self) -> Entry:
        return Entry(self.seat, _clean(self.person_name), _clean(self.unit_name), _clean(self.phone))

    @property
    def filled(self) -> bool:
        return bool(self.person_name)


@dataclass(frozen=True)
class Problem:
    code: str          # empty_base_seat | person_twice | missing_contact | unknown_seat | seat_twice
    seat: str
    person: str = ""


class RosterError(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.code}:{p.seat}:{p.person}" for p in problems))
        self.problems = problems


def _clean(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.lower() in ("nan", "none"):  # empty cells coming back from a data editor
        return ""
    return " ".join(text.split())


# Seasonal seats (seed 003: extra seats in the main flood season and the high forest-fire season). Months follow
# the demo county: plum rains and typhoons June-September; dry-season fire risk October-April.
SEASON_SEATS = {"flood_extra": range(6, 10), "fire_extra": (10, 11, 12, 1, 2, 3, 4)}


def season_seats_missing(duty_date: date, entries: list[Entry]) -> list[str]:
    """Seasonal seats that the season calls for but the day leaves empty (a warning, not a refusal)."""
    filled = {e.seat for e in (x.cleaned() for x in entries) if e.filled}
    return [seat for seat, months in SEASON_SEATS.items() if duty_date.month in months and seat not in filled]


def ensure_history_table(con: duckdb.DuckDBPyConnection) -> None:
    """For a database built before the history table was added to schema.sql."""
    db.ensure_section(con, "roster_history")


def seats(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    """seat code -> is_extra, in seat order."""
    return dict(con.execute("SELECT code, is_extra FROM duty_seats ORDER BY sort_order").fetchall())


def validate_day(entries: list[Entry], seat_codes: dict[str, bool]) -> list[Problem]:
    """All problems of one day's roster (empty list = valid)."""
    problems: list[Problem] = []
    entries = [e.cleaned() for e in entries]
    seen_seats: set[str] = set()
    for e in entries:
        if e.seat not in seat_codes:
            problems.append(Problem("unknown_seat", e.seat, e.person_name))
        elif e.seat in seen_seats and e.filled:
            problems.append(Problem("seat_twice", e.seat, e.person_name))
        if e.filled:
            seen_seats.add(e.seat)
    filled = {e.seat for e in entries if e.filled}
    for code, is_extra in seat_codes.items():
        if not is_extra and code not in filled:
            problems.append(Problem("empty_base_seat", code))
    holders: dict[str, str] = {}
    for e in entries:
        if not e.filled:
            continue
        if e.person_name in holders:
            problems.append(Problem("person_twice", e.seat, e.person_name))
        else:
            holders[e.person_name] = e.seat
        if not e.unit_name or not e.phone:
            problems.append(Problem("missing_contact", e.seat, e.person_name))
    return problems


def load_day(con: duckdb.DuckDBPyConnection, duty_date: date) -> list[Entry]:
    rows = con.execute("SELECT seat, person_name, unit_name, phone FROM duty_roster WHERE duty_date = ?",
                       [duty_date]).fetchall()
    return [Entry(*r) for r in rows]


def save_day(con: duckdb.DuckDBPyConnection, duty_date: date, entries: list[Entry], changed_by: str,
             now: datetime) -> int:
    """Replace one day's roster after validation; write one history row per changed seat. Returns the number
    of changed seats (0 = nothing to do). Raises RosterError with every problem when the day is invalid."""
    entries = [e.cleaned() for e in entries]
    problems = validate_day(entries, seats(con))
    if problems:
        raise RosterError(problems)
    if not _clean(changed_by):
        raise ValueError("changed_by is required: every roster edit is attributed")
    new = {e.seat: e for e in entries if e.filled}
    old = {e.seat: e for e in load_day(con, duty_date)}
    changes = []
    for seat in sorted(old.keys() | new.keys()):
        before, after = old.get(seat), new.get(seat)
        if before == after:
            continue
        action = "add" if before is None else "remove" if after is None else "change"
        changes.append((seat, action, before, after))
    if not changes:
        return 0
    ensure_history_table(con)
    con.execute("BEGIN TRANSACTION")
    try:
        next_id = con.execute("SELECT coalesce(max(history_id), 0) + 1 FROM duty_roster_history").fetchone()[0]
        for k, (seat, action, before, after) in enumerate(changes):
            con.execute("DELETE FROM duty_roster WHERE duty_date = ? AND seat = ?", [duty_date, seat])
            if after is not None:
                con.execute("INSERT INTO duty_roster VALUES (?, ?, ?, ?, ?)",
                            [duty_date, seat, after.person_name, after.unit_name, after.phone])
            con.execute("INSERT INTO duty_roster_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [next_id + k, now, _clean(changed_by), duty_date, seat, action,
                         before and before.person_name, before and before.unit_name, before and before.phone,
                         after and after.person_name, after and after.unit_name, after and after.phone])
        db.bump_data_version(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(changes)
