"""The duty room's actions on an incident (data/incident_ops.py): a call recorded through the import's checks, graded,
dispatched with time limits from the rules table, stepped through, reassigned and closed; each step kept with who
and when, audited, and a stale version refused with what changed meanwhile."""
import threading
from datetime import timedelta

import pytest

from data import db
from data import incident_ops as ops
from data.clock import now

DUTY = ops.Actor("duty_wang", "duty_officer", "test")
OTHER = ops.Actor("duty_li", "duty_officer", "test")


@pytest.fixture(scope="module")
def con(db_copy):
    connection = db.connect(db_copy("ops"))
    db.upgrade(connection)
    yield connection
    connection.close()


def call(con, **overrides):
    values = {"hazard": "forest_fire", "severity": 4, "lon": 119.06, "lat": 27.62, "caller_name": "王五",
              "caller_phone": "13800000001", "description": "后山冒烟"} | overrides
    return ops.record_call(con, DUTY, **values)


def test_a_call_is_stored_through_the_import_checks(con):
    incident_id = call(con)
    st = ops.state(con, incident_id)
    assert (st["channel"], st["status"], st["location_precision"], st["version"]) == (
        "duty_phone", "received", "exact", 1)
    assert st["township_id"] is not None and st["source_ref"].startswith(f"ZB-{now():%Y%m%d}-")
    assert con.execute("SELECT via, stored FROM import_files WHERE file_name = ?",
                       [st["source_ref"]]).fetchone() == ("app", 1)
    assert [h["action"] for h in ops.history(con, incident_id)] == ["record"]


def test_a_call_placed_by_township_is_approximate(con):
    township = con.execute("SELECT name FROM townships ORDER BY township_id LIMIT 1").fetchone()[0]
    st = ops.state(con, call(con, lon=None, lat=None, township=township, address="人民路18号"))
    assert st["location_precision"] in ("township", "village") and st["address"].startswith(township)


def test_a_call_outside_the_county_is_refused_with_the_import_reason(con):
    with pytest.raises(ops.OpsError) as err:
        call(con, lon=100.0, lat=27.0)
    assert err.value.key == "refused_outside_county"
    with pytest.raises(ops.OpsError) as err:
        call(con, lon=None, lat=None)
    assert err.value.key == "no_place"
    with pytest.raises(ops.OpsError) as err:
        call(con, received_at=now() + timedelta(minutes=5))
    assert err.value.key == "future_time"


def test_the_life_of_an_incident(con):
    incident_id = call(con)
    v = ops.grade(con, DUTY, incident_id, 3, "火势蔓延，威胁民房", 1)
    suggestions = ops.suggest_units(con, incident_id)
    assert suggestions and suggestions[0]["why"] == "jurisdiction"
    assert any(s["why"] == "hazard" and s["name"] == "县森林消防大队" for s in suggestions)
    units = [s["unit_id"] for s in suggestions]
    v = ops.dispatch(con, DUTY, incident_id, units, v)
    st = ops.state(con, incident_id)
    assert st["status"] == "dispatched" and len(st["dispatches"]) == len(units)
    limit = con.execute("SELECT arrive_minutes FROM dispatch_time_limits WHERE linkage_level = ? AND category = ?",
                        [suggestions[0]["linkage_level"], st["category"]]).fetchone()[0]
    first = st["dispatches"][0]
    assert first["deadline_at"] - first["assigned_at"] == timedelta(minutes=limit)
    assert first["next_step"] == "accepted" and not first["overdue"]
    with pytest.raises(ops.OpsError, match="step_order"):
        ops.record_step(con, DUTY, first["dispatch_id"], "arrived", v)
    for step in ops.STEPS:
        v = ops.record_step(con, DUTY, first["dispatch_id"], step, v)
    st = ops.state(con, incident_id)
    assert st["status"] == "callback" and st["on_scene_at"] is not None and st["dispatches"][0]["next_step"] is None
    if len(units) > 1:
        other = next(u["unit_id"] for u in ops.units(con) if u["unit_id"] not in units)
        v = ops.reassign(con, DUTY, st["dispatches"][1]["dispatch_id"], other, "不属该单位管辖", v)
        st = ops.state(con, incident_id)
        assert st["dispatches"][1]["ended_reason"] == "不属该单位管辖"
        assert st["dispatches"][-1]["unit_id"] == other and st["dispatches"][-1]["next_step"] == "accepted"
    v = ops.close(con, DUTY, incident_id, "明火扑灭，无人员伤亡", v)
    st = ops.state(con, incident_id)
    assert (st["status"], st["close_result"], st["version"]) == ("closed", "明火扑灭，无人员伤亡", v)
    actions = [h["action"] for h in ops.history(con, incident_id)]
    assert actions[0] == "record" and actions[-1] == "close" and actions.count("dispatch") == len(units)
    assert all(h["username"] == "duty_wang" for h in ops.history(con, incident_id))
    audited = {r[0] for r in con.execute("SELECT action FROM audit_log WHERE incident_id = ?",
                                         [incident_id]).fetchall()}
    assert {"incident_grade", "incident_dispatch", "incident_arrived", "incident_close"} <= audited
    with pytest.raises(ops.OpsError, match="closed"):
        ops.grade(con, DUTY, incident_id, 2, "x", v)


def test_a_stale_version_is_refused_and_shows_what_changed(con):
    incident_id = call(con)
    ops.grade(con, DUTY, incident_id, 3, "有人员被困", 1)
    with pytest.raises(ops.IncidentConflict) as err:
        ops.grade(con, OTHER, incident_id, 2, "看错了", 1)
    assert err.value.current == 2 and err.value.since[0]["username"] == "duty_wang"
    assert err.value.since[0]["changes"] == {"severity": [4, 3]}
    assert ops.state(con, incident_id)["severity"] == 3


def test_two_officers_at_once_neither_change_is_lost(con):
    """Two sessions grade and dispatch the same incident at the same moment from the version both read: one wins,
    the other is refused, reloads and applies its change on top; both changes are there in the end."""
    incident_id = call(con)
    unit = ops.suggest_units(con, incident_id)[0]["unit_id"]
    barrier = threading.Barrier(2)
    outcome = {}

    def act(name, action):
        barrier.wait()
        try:
            outcome[name] = action(1)
        except ops.OpsError as exc:
            outcome[name] = exc

    grade = lambda v: ops.grade(con, DUTY, incident_id, 2, "伤亡扩大", v)  # noqa: E731
    send = lambda v: ops.dispatch(con, OTHER, incident_id, [unit], v)  # noqa: E731
    threads = [threading.Thread(target=act, args=("grade", grade)), threading.Thread(target=act, args=("send", send))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refused = [k for k, v in outcome.items() if isinstance(v, ops.OpsError)]
    assert len(refused) == 1, outcome
    retry = grade if refused[0] == "grade" else send
    retry(ops.state(con, incident_id)["version"])
    st = ops.state(con, incident_id)
    assert st["severity"] == 2 and [d["unit_id"] for d in st["dispatches"]] == [unit] and st["version"] == 3


def test_alarm_verdicts(con):
    alarm = con.execute("SELECT incident_id, coalesce(version, 1) FROM incidents WHERE channel = 'ai_video' "
                        "ORDER BY incident_id DESC LIMIT 1").fetchone()
    con.execute("UPDATE incidents SET status = 'received', dispatched_at = NULL, on_scene_at = NULL, "
                "feedback_at = NULL, callback_at = NULL, closed_at = NULL WHERE incident_id = ?", [alarm[0]])
    v = ops.judge_alarm(con, DUTY, alarm[0], "false", "画面为晚霞，非烟火", alarm[1])
    st = ops.state(con, alarm[0])
    assert (st["alarm_verdict"], st["status"], st["close_result"], st["version"]) == (
        "false", "closed", ops.FALSE_ALARM_RESULT, v)
    with pytest.raises(ops.OpsError, match="not_an_alarm"):
        ops.judge_alarm(con, DUTY, call(con), "confirmed", "x", 1)
    with pytest.raises(ops.OpsError, match="reason_required"):
        ops.grade(con, DUTY, call(con), 3, "  ", 1)


def test_a_reassignment_in_time_does_not_count_against_the_first_unit(con):
    incident_id = call(con)
    units = [u["unit_id"] for u in ops.units(con)][:2]
    v = ops.dispatch(con, DUTY, incident_id, units[:1], 1)
    ops.reassign(con, DUTY, ops.state(con, incident_id)["dispatches"][0]["dispatch_id"], units[1], "派错单位", v)
    judged = con.execute("SELECT unit_id FROM dispatches_as_of(?, ?, ?) WHERE incident_id = ?",
                         [now() - timedelta(days=1), now() + timedelta(days=1), now(), incident_id]).fetchall()
    assert judged == [(units[1],)]


def test_reports_sent_read_in_the_same_timeline(con):
    from data import info_reports as ir
    incident_id = call(con, severity=2)
    report = ir.write_report(con, incident_id, "first", {"casualties": "无"}, author="duty_wang")
    ir.mark_sent(con, report.report_id, "县应急管理局", "phone", "duty_wang", report.version)
    steps = [(h["action"], h["reason"]) for h in ops.history(con, incident_id)]
    assert steps == [("record", None), ("report_first", "县应急管理局 / phone")]


def test_a_source_conflict_is_listed_until_seen(con):
    incident_id = call(con)
    con.execute("INSERT INTO incident_conflicts (conflict_id, incident_id, field, app_value, source_value, found_at) "
                "SELECT coalesce(max(conflict_id), 0) + 1, ?, 'status', 'dispatched', 'closed', ? "
                "FROM incident_conflicts", [incident_id, now()])
    (open_,) = ops.conflicts(con, incident_id)
    assert (open_["field"], open_["app_value"], open_["source_value"]) == ("status", "dispatched", "closed")
    v = ops.resolve_conflict(con, DUTY, open_["conflict_id"], 1)
    assert ops.conflicts(con, incident_id) == [] and v == 2
    assert ops.conflicts(con, incident_id, open_only=False)[0]["resolved_by"] == "duty_wang"
    assert ops.history(con, incident_id)[-1]["action"] == "conflict_resolved"
    with pytest.raises(ops.OpsError, match="conflict_resolved"):
        ops.resolve_conflict(con, DUTY, open_["conflict_id"], v)


def test_a_call_placed_by_village_is_at_that_village_not_one_named_like_its_township(con):
    """A village whose name starts the township's (荷地 in 荷地镇) must not win over the village picked (东山)."""
    row = con.execute("""
        SELECT t.name, v.name, v.village_id FROM villages v JOIN townships t USING (township_id)
        WHERE EXISTS (SELECT 1 FROM villages o WHERE o.township_id = v.township_id AND o.village_id <> v.village_id
                      AND starts_with(t.name, o.name))
          AND NOT starts_with(t.name, v.name)
        ORDER BY v.village_id LIMIT 1""").fetchone()
    if row is None:
        pytest.skip("no township here has a village named like itself")
    township, village, village_id = row
    st = ops.state(con, call(con, lon=None, lat=None, township=township, village=village, address="后山"))
    assert (st["village_id"], st["location_precision"]) == (village_id, "village")


def test_closing_stands_down_the_units_not_yet_on_scene(con):
    incident_id = call(con)
    units = [u["unit_id"] for u in ops.units(con)][:2]
    v = ops.dispatch(con, DUTY, incident_id, units, 1)
    first = ops.state(con, incident_id)["dispatches"][0]["dispatch_id"]
    v = ops.record_step(con, DUTY, first, "accepted", v)
    v = ops.record_step(con, DUTY, first, "arrived", v)
    ops.close(con, DUTY, incident_id, "已处置完毕", v)
    on_scene, away = ops.state(con, incident_id)["dispatches"]
    assert on_scene["ended_at"] is None and (away["ended_reason"], away["next_step"]) == (ops.STOOD_DOWN, None)
    board = con.execute("SELECT count(*) FROM dispatches WHERE incident_id = ? AND ended_at IS NULL "
                        "AND arrived_at IS NULL", [incident_id]).fetchone()[0]
    assert board == 0
    from views import incident_ops as view
    assert view.ended_reason(away["ended_reason"], "zh-CN") == "事件已办结，此单位撤回"
