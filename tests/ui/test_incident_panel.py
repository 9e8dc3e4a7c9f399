"""The duty officer acts on an incident in the app (ui/incident_panel.py, AppTest on a private copy of the demo
database): records a call on the duty desk, grades it, dispatches the suggested units, steps one through accepted ->
arrived -> feedback -> callback and closes it; an alarm is marked false; a refused call says why in Chinese; an
analyst sees no action; a click on a stale version is refused with who changed what, and nothing is overwritten."""
import re

import pytest

import i18n
from data import incident_ops as ops
from ui import database

DESK = "pages/duty_desk.py"
ONE_MAP = "pages/one_map.py"
S = i18n.strings("zh-CN")
OTHER = ops.Actor("duty_li", "duty_officer", "test")


@pytest.fixture()
def copy_db(db_copy, monkeypatch):
    """The app pointed at a private copy of the demo database for one test (these tests write)."""
    import streamlit as st
    monkeypatch.setenv("ONEMAP_DB", str(db_copy("panel")))
    st.cache_data.clear()  # query results are keyed on the data version, not on the file
    yield database.cursor()
    st.cache_data.clear()


def _button(at, prefix: str):
    found = [b for b in at.button if (b.key or "").startswith(prefix)]
    assert found, (prefix, [b.key for b in at.button])
    return found[0]


def _widget(elements, prefix: str):
    found = [w for w in elements if (w.key or "").startswith(prefix)]
    assert found, (prefix, [w.key for w in elements])
    return found[0]


def _ok(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _record_by_place(at):
    """Fill the call form: a village of a township (the village list follows the township), then submit."""
    con = database.cursor()
    township, village = con.execute("SELECT t.name, v.name FROM villages v JOIN townships t USING (township_id) "
                                     "ORDER BY v.village_id LIMIT 1").fetchone()
    at.selectbox(key="ops_call_hazard_0").set_value("forest_fire")
    at.selectbox(key="ops_call_township_0").set_value(township).run()
    at.selectbox(key="ops_call_village_0").set_value(village)
    at.text_input(key="ops_call_caller_name_0").input("王五")
    at.text_input(key="ops_call_caller_phone_0").input("13800000001")
    at.text_area(key="ops_call_description_0").input("后山冒烟，火势向村庄蔓延")
    return at.button(key="ops_call_submit_0").click().run()


def test_a_duty_officer_handles_a_call_from_record_to_close(app_test, copy_db):
    at = app_test(DESK, role="duty_officer").run()
    _ok(at)
    assert at.tabs[0].label == S["ops.call.title"]
    _record_by_place(at)
    _ok(at)
    iid = int(at.session_state["desk_recorded_incident"])
    state = ops.state(copy_db, iid)
    assert state["status"] == "received" and state["location_precision"] == "village"
    assert any(S["ops.call.done"].split("：")[0] in s.value and state["source_ref"] in s.value for s in at.success)

    # 定级: III with a reason
    at.selectbox(key=f"ops_grade_sev_{iid}_0").set_value(3)
    at.text_input(key=f"ops_grade_reason_{iid}_0").input("火势蔓延，威胁民房")
    at.button(key=f"ops_grade_submit_{iid}_0").click().run()
    _ok(at)
    assert ops.state(copy_db, iid)["severity"] == 3

    # 派遣: the suggestions are prefilled, each with its level and time limit
    suggested = [s["unit_id"] for s in ops.suggest_units(copy_db, iid)]
    units = _widget(at.multiselect, f"ops_dispatch_units_{iid}_")
    assert units.value == suggested
    assert all(S["ops.unit_option"].split("{limit}")[0].split("·")[-1].strip() in units.format_func(u)
               for u in suggested), "每个建议单位都显示时限"
    _button(at, f"ops_dispatch_submit_{iid}_").click().run()
    _ok(at)
    state = ops.state(copy_db, iid)
    assert state["status"] == "dispatched" and [d["unit_id"] for d in state["dispatches"]] == suggested
    first = state["dispatches"][0]["dispatch_id"]

    # 签收 -> 到场 -> 反馈 -> 回访 on the first unit: one button for the next step each time
    for step in ops.STEPS:
        button = _button(at, f"ops_step_{first}_{step}_")
        assert button.label == S[f"ops.step_button.{step}"]
        button.click().run()
        _ok(at)
        assert ops.state(copy_db, iid)["dispatches"][0][f"{step}_at"] is not None
    assert ops.state(copy_db, iid)["status"] == "callback"
    assert any(S["ops.dispatch.all_done"] in c.value for c in at.caption)

    # 办结
    at.text_area(key=_widget(at.text_area, f"ops_close_result_{iid}_").key).input("明火已扑灭，无人员伤亡")
    _button(at, f"ops_close_submit_{iid}_").click().run()
    _ok(at)
    state = ops.state(copy_db, iid)
    assert state["status"] == "closed" and state["close_result"] == "明火已扑灭，无人员伤亡"
    assert [h["action"] for h in ops.history(copy_db, iid)] == [
        "record", "grade", *["dispatch"] * len(suggested), *ops.STEPS, "close"]
    assert all(h["username"] == "duty" for h in ops.history(copy_db, iid))
    # closed: the note, the timeline, no more actions
    assert any("明火已扑灭" in i.value for i in at.info)
    assert not [b.key for b in at.button if (b.key or "").startswith(("ops_step_", "ops_close_", "ops_grade_"))]
    text = " ".join(m.value for m in at.markdown)
    for action in ("record", "grade", "dispatch", "accepted", "arrived", "feedback", "callback", "close"):
        assert S[f"ops.action.{action}"] in text
    # the Chinese panel shows no English words (usernames are data, not words of the UI)
    panel = re.sub(r"\bduty\b", "", text)
    panel = re.sub(r":(green|gray|red)\[", "[", panel)
    assert not re.findall(r"\b(?![IVX]+\b)[A-Za-z]{2,}", panel), panel  # severity numerals I-IV are not words


def test_a_call_outside_the_county_is_refused_in_chinese(app_test, copy_db):
    at = app_test(DESK, role="duty_officer").run()
    at.radio(key="ops_call_mode_0").set_value("coordinates").run()
    at.number_input(key="ops_call_lon_0").set_value(100.0)
    at.number_input(key="ops_call_lat_0").set_value(27.0)
    at.button(key="ops_call_submit_0").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [S["ops.error.refused_outside_county"]]
    at.radio(key="ops_call_mode_0").set_value("place").run()
    at.button(key="ops_call_submit_0").click().run()
    assert [e.value for e in at.error] == [S["ops.error.no_place"]]
    assert "desk_recorded_incident" not in at.session_state


def test_an_alarm_is_marked_false_with_a_reason(app_test, copy_db):
    iid = copy_db.execute("SELECT min(incident_id) FROM incidents WHERE channel IN ('ai_video', 'iot_sensor') "
                          "AND status <> 'closed' AND alarm_verdict IS NULL").fetchone()[0]
    at = app_test(DESK, role="duty_officer")
    at.session_state["desk_recorded_incident"] = int(iid)
    at.run()
    _ok(at)
    at.radio(key=f"ops_alarm_verdict_{iid}_0").set_value("false")
    at.button(key=f"ops_alarm_submit_{iid}_0").click().run()
    assert [e.value for e in at.error] == [S["ops.error.reason_required"]], "a reason is required"
    at.text_input(key=f"ops_alarm_reason_{iid}_0").input("监控复核为炊烟")
    at.button(key=f"ops_alarm_submit_{iid}_0").click().run()
    _ok(at)
    state = ops.state(copy_db, iid)
    assert (state["status"], state["alarm_verdict"], state["close_result"]) == ("closed", "false", "false_alarm")
    assert any(S["ops.false_alarm_result"] in i.value for i in at.info)


def test_a_stale_version_is_refused_with_who_changed_what(app_test, copy_db):
    iid = ops.record_call(copy_db, OTHER, hazard="flood", severity=4, lon=119.06, lat=27.62, description="河水上涨")
    at = app_test(DESK, role="duty_officer")
    at.session_state["desk_recorded_incident"] = iid
    at.run()
    _ok(at)
    # meanwhile another duty officer grades it (the panel still shows version 1)
    ops.grade(copy_db, OTHER, iid, 2, "水位超警", 1)
    at.selectbox(key=f"ops_grade_sev_{iid}_0").set_value(3)
    at.text_input(key=f"ops_grade_reason_{iid}_0").input("我的判断")
    at.button(key=f"ops_grade_submit_{iid}_0").click().run()
    assert not at.exception, at.exception
    message = " ".join(e.value for e in at.error)
    assert S["ops.conflict"].split("（")[0] in message
    assert "duty_li" in message and S["ops.action.grade"] in message and "IV → II" in message
    assert S["ops.conflict_reloaded"] in message
    state = ops.state(copy_db, iid)
    assert (state["severity"], state["version"]) == (2, 2), "nothing overwritten"
    assert any(S["ops.version"].format(version=2) in m.value for m in at.markdown), "the incident was reloaded"
    # the next click, on the version now shown, goes through
    at.selectbox(key=_widget(at.selectbox, f"ops_grade_sev_{iid}_").key).set_value(3)
    at.text_input(key=_widget(at.text_input, f"ops_grade_reason_{iid}_").key).input("复核后调整")
    _button(at, f"ops_grade_submit_{iid}_").click().run()
    _ok(at)
    assert ops.state(copy_db, iid)["severity"] == 3


@pytest.mark.parametrize("role,acts", [("duty_officer", True), ("commander", True), ("analyst", False)])
def test_the_one_map_panel_only_for_roles_that_handle_incidents(app_test, copy_db, role, acts):
    iid = ops.record_call(copy_db, OTHER, hazard="traffic", severity=4, lon=119.06, lat=27.62, description="两车相撞")
    at = app_test(ONE_MAP, role=role)
    at.session_state["om_pick"] = iid
    at.run()
    _ok(at)
    keys = [w.key or "" for w in list(at.button) + list(at.text_input) + list(at.multiselect)]
    ops_keys = [k for k in keys if k.startswith("ops_")]
    headings = [m.value for m in at.markdown if S["ops.heading"] in m.value]
    if acts:
        assert headings and any(k.startswith(f"ops_dispatch_submit_{iid}_") for k in ops_keys)
        assert "ops_call_submit_0" in ops_keys, "the call form is reachable from One Map"
    else:
        assert not headings and not ops_keys


def test_a_call_recorded_on_one_map_is_selected(app_test, copy_db):
    at = app_test(ONE_MAP, role="duty_officer").run()
    _ok(at)
    at.radio(key="ops_call_mode_0").set_value("coordinates").run()
    at.number_input(key="ops_call_lon_0").set_value(119.06)
    at.number_input(key="ops_call_lat_0").set_value(27.62)
    at.text_area(key="ops_call_description_0").input("路面塌陷")
    at.button(key="ops_call_submit_0").click().run()
    _ok(at)
    newest = copy_db.execute("SELECT max(incident_id) FROM incidents WHERE channel = 'duty_phone'").fetchone()[0]
    assert at.session_state["om_pick"] == newest
    assert any(S["ops.heading"] in m.value for m in at.markdown)


def test_a_source_conflict_is_shown_and_acknowledged(app_test, copy_db):
    at = app_test(DESK, role="duty_officer").run()
    _record_by_place(at)
    iid = int(at.session_state["desk_recorded_incident"])
    copy_db.execute("INSERT INTO incident_conflicts (conflict_id, incident_id, field, app_value, source_value, "
                    "found_at) SELECT coalesce(max(conflict_id), 0) + 1, ?, 'description', '火势向村庄蔓延', "
                    "'已扑灭', TIMESTAMP '2026-11-25 09:00' FROM incident_conflicts", [iid])
    at.run()
    _ok(at)
    warning = next(w.value for w in at.warning if S["ops.source_conflict.heading"] in w.value)
    assert "火势向村庄蔓延" in warning and "已扑灭" in warning
    _button(at, "ops_conflict_").click().run()
    _ok(at)
    assert ops.conflicts(copy_db, iid) == []
    assert not any(S["ops.source_conflict.heading"] in w.value for w in at.warning)
