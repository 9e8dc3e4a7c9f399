"""People correct the import's cross-channel links (data/event_ops.py): link reports into one event, split one out;
the events row stays consistent, an event left with one report is dissolved, a stale version is refused, every
change is logged and audited, and the import never links a split-off report again."""
import pytest

from data import db
from data import event_ops as ev
from data import incident_ops as ops

DUTY = ops.Actor("duty_wang", "duty_officer", "test")


@pytest.fixture()
def con(db_copy):
    connection = db.connect(db_copy("events"))
    db.upgrade(connection)
    yield connection
    connection.close()


def events_of_two(con, exclude_channel: str | None = None) -> list[int]:
    """The demo's linked events (at the test scale: pairs of reports), lowest id first."""
    rows = con.execute("""SELECT event_id FROM incidents WHERE event_id IS NOT NULL GROUP BY event_id
                          HAVING count(*) = 2 AND NOT list_contains(list(channel), coalesce(?, '-'))
                          ORDER BY event_id""", [exclude_channel]).fetchall()
    assert rows, "the demo has linked events"
    return [int(r[0]) for r in rows]


def event_of_three(con) -> int:
    """A demo event grown to three reports by a person's link (the test scale has pairs only)."""
    event_id = events_of_two(con)[0]
    lead, extra = members(con, event_id)[0], unlinked(con, 1)[0]
    assert ev.link(con, DUTY, [lead, extra], {lead: version(con, lead), extra: version(con, extra)},
                   "同一事件") == event_id
    return event_id


def members(con, event_id: int) -> list[int]:
    return [r[0] for r in con.execute("SELECT incident_id FROM incidents WHERE event_id = ? "
                                      "ORDER BY received_at, incident_id", [event_id]).fetchall()]


def version(con, incident_id: int) -> int:
    return int(con.execute("SELECT coalesce(version, 1) FROM incidents WHERE incident_id = ?",
                           [incident_id]).fetchone()[0])


def event_id_of(con, incident_id: int):
    return con.execute("SELECT event_id FROM incidents WHERE incident_id = ?", [incident_id]).fetchone()[0]


def assert_event_row_matches_its_reports(con, event_id: int) -> None:
    row = con.execute("SELECT first_at, last_at, round(lon, 9), round(lat, 9), report_count, channels, dissolved_at "
                      "FROM events WHERE event_id = ?", [event_id]).fetchone()
    want = con.execute("SELECT min(received_at), max(received_at), round(avg(lon), 9), round(avg(lat), 9), "
                       "count(*), list(DISTINCT channel ORDER BY channel) FROM incidents WHERE event_id = ?",
                       [event_id]).fetchone()
    assert row[:6] == want and row[6] is None


def unlinked(con, n: int) -> list[int]:
    return [r[0] for r in con.execute("SELECT incident_id FROM incidents WHERE event_id IS NULL "
                                      "AND status <> 'closed' ORDER BY incident_id DESC LIMIT ?", [n]).fetchall()]


def test_split_takes_one_report_out_and_the_event_row_follows(con):
    event_id = event_of_three(con)
    reports = members(con, event_id)
    out = reports[-1]
    before = version(con, out)
    data_version = db.data_version(con)
    new_version = ev.split(con, DUTY, out, before, "不是同一起火情")
    assert new_version == before + 1 == version(con, out)
    assert event_id_of(con, out) is None and members(con, event_id) == reports[:2]
    assert_event_row_matches_its_reports(con, event_id)
    assert db.data_version(con) > data_version
    action = con.execute("SELECT action, username, reason, changes, version FROM incident_actions "
                         "WHERE incident_id = ? ORDER BY action_id DESC LIMIT 1", [out]).fetchone()
    assert action == ("split", "duty_wang", "不是同一起火情", f'{{"event_id": [{event_id}, null]}}', new_version)
    assert con.execute("SELECT action FROM audit_log WHERE incident_id = ? ORDER BY audit_id DESC LIMIT 1",
                       [out]).fetchone() == ("incident_split",)
    assert con.execute("SELECT from_event_id, username FROM event_splits WHERE incident_id = ?",
                       [out]).fetchone() == (event_id, "duty_wang")


def test_an_event_left_with_one_report_is_dissolved_and_its_id_kept(con):
    event_id = events_of_two(con)[0]
    first, second = members(con, event_id)
    kept_version = version(con, first)
    ev.split(con, DUTY, second, version(con, second), "误关联")
    assert event_id_of(con, first) is None and event_id_of(con, second) is None
    assert version(con, first) == kept_version + 1, "its event changed under it"
    assert con.execute("SELECT action, changes FROM incident_actions WHERE incident_id = ? ORDER BY action_id DESC "
                       "LIMIT 1", [first]).fetchone() == ("split", f'{{"event_id": [{event_id}, null]}}')
    row = con.execute("SELECT report_count, channels, dissolved_at IS NOT NULL FROM events WHERE event_id = ?",
                      [event_id]).fetchone()
    assert row == (0, [], True)
    # the dissolved row keeps its id: a new event never takes it
    a, b = unlinked(con, 2)
    new_event = ev.link(con, DUTY, [a, b], {a: version(con, a), b: version(con, b)}, "同一处")
    assert new_event > event_id and new_event == con.execute("SELECT max(event_id) FROM events").fetchone()[0]


def test_link_two_unlinked_reports_makes_a_new_consistent_event(con):
    a, b = unlinked(con, 2)
    va, vb = version(con, a), version(con, b)
    event_id = ev.link(con, DUTY, [a, b], {a: va, b: vb}, "同一事件不同渠道")
    assert event_id_of(con, a) == event_id_of(con, b) == event_id
    assert (version(con, a), version(con, b)) == (va + 1, vb + 1)
    assert_event_row_matches_its_reports(con, event_id)
    assert con.execute("SELECT count(*) FROM incident_actions WHERE action = 'link' AND incident_id IN (?, ?)",
                       [a, b]).fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'incident_link' AND incident_id IN (?, ?)",
                       [a, b]).fetchone()[0] == 2
    with pytest.raises(ops.OpsError) as err:
        ev.link(con, DUTY, [a, b], {a: va + 1, b: vb + 1}, "再来一次")
    assert err.value.key == "already_linked"


def test_link_joins_an_existing_event_taking_a_report_from_another(con):
    target, other = events_of_two(con)[:2]
    stays, moved = members(con, other)
    lead = members(con, target)[0]
    got = ev.link(con, DUTY, [moved, lead], {moved: version(con, moved), lead: version(con, lead)}, "同一起")
    assert got == target, "the lowest-numbered event of those named"
    assert members(con, target)[0] == lead and moved in members(con, target) and len(members(con, target)) == 3
    assert_event_row_matches_its_reports(con, target)
    assert event_id_of(con, stays) is None, "the other event, left with one report, is dissolved"
    assert con.execute("SELECT dissolved_at IS NOT NULL FROM events WHERE event_id = ?", [other]).fetchone()[0]


def test_a_stale_version_is_refused_and_nothing_changes(con):
    a, b = unlinked(con, 2)
    va, vb = version(con, a), version(con, b)
    events_before = con.execute("SELECT count(*) FROM events").fetchone()[0]
    with pytest.raises(ops.IncidentConflict) as err:
        ev.link(con, DUTY, [a, b], {a: va, b: vb - 1 if vb > 1 else vb + 5}, "同一处")
    assert err.value.incident_id == b
    assert event_id_of(con, a) is None and version(con, a) == va, "rolled back"
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == events_before
    event_id = event_of_three(con)
    out = members(con, event_id)[0]
    with pytest.raises(ops.IncidentConflict):
        ev.split(con, DUTY, out, version(con, out) + 1, "误关联")
    assert event_id_of(con, out) == event_id
    with pytest.raises(ops.OpsError) as err:
        ev.split(con, DUTY, out, version(con, out), "  ")
    assert err.value.key == "reason_required"


def test_the_import_never_links_a_split_off_report_again(con):
    event_id = events_of_two(con, exclude_channel="duty_phone")[0]
    held, partner = members(con, event_id)
    ev.split(con, DUTY, held, version(con, held), "不是同一事件")
    lon, lat, at, hazard = con.execute("SELECT lon, lat, received_at, hazard FROM incidents WHERE incident_id = ?",
                                       [partner]).fetchone()
    # A duty-room call at the partner's place and time goes through the import's linking: it pairs with the
    # partner, and would with the held report (linked to the partner by the same rule), but that one is held.
    new = ops.record_call(con, DUTY, hazard=hazard, severity=4, lon=lon, lat=lat, received_at=at)
    assert event_id_of(con, new) is not None and event_id_of(con, new) == event_id_of(con, partner)
    assert event_id_of(con, held) is None
    assert_event_row_matches_its_reports(con, event_id_of(con, new))
    # a person may link it again, which lifts the hold
    ev.link(con, DUTY, [held, new], {held: version(con, held), new: version(con, new)}, "核实后确为同一事件")
    assert event_id_of(con, held) == event_id_of(con, new)
    assert con.execute("SELECT count(*) FROM event_splits WHERE incident_id = ?", [held]).fetchone()[0] == 0


def test_event_reports_lists_the_event_or_the_report_alone(con):
    event_id = event_of_three(con)
    lead = members(con, event_id)[0]
    assert [r["incident_id"] for r in ev.event_reports(con, lead)] == members(con, event_id)
    alone = unlinked(con, 1)[0]
    assert [r["incident_id"] for r in ev.event_reports(con, alone)] == [alone]
