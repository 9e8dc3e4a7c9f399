"""The incident panel's logic without Streamlit (views/incident_ops.py): the status line names who did each step,
dispatches carry their time limit and next step, units are offered suggestions first with level and limit, changes
and conflicts read in the UI language (no English in Chinese), errors map to ops.error.<key>, and the call form's
two ways of placing a call never mix."""
import re
from datetime import datetime, timedelta

import pandas as pd
import pytest

import i18n
from data import incident_ops as ops
from views import incident_ops as view

T0 = datetime(2026, 11, 25, 9, 0)
NAMES_ZH = view.Names("zh-CN", hazards={"flood": "洪涝"}, statuses={"received": "已受理", "closed": "已办结"},
                      levels={1: "一级联动", 2: "二级联动"}, units={7: "县水利局", 9: "荷地镇人民政府"})
NAMES_EN = view.Names("en", hazards={"flood": "Flood"}, statuses={"received": "Received", "closed": "Closed"},
                      levels={1: "Level 1", 2: "Level 2"}, units={7: "Water bureau", 9: "Hedi town"})


def _english_words(text: str) -> list[str]:
    return re.findall(r"\b(?![IVX]+\b)[A-Za-z]{2,}", text)


def _state(**overrides) -> dict:
    base = {"incident_id": 1, "channel": "duty_phone", "status": "dispatched", "received_at": T0,
            "dispatched_at": T0 + timedelta(minutes=5), "on_scene_at": None, "feedback_at": None,
            "callback_at": None, "closed_at": None, "category": "emergency", "dispatches": []}
    return base | overrides


def _dispatch(**overrides) -> dict:
    base = {"dispatch_id": 3, "unit_id": 7, "unit_name": "县水利局", "linkage_level": 1, "assigned_at": T0,
            "accepted_at": T0 + timedelta(minutes=2), "deadline_at": T0 + timedelta(minutes=30), "arrived_at": None,
            "feedback_at": None, "callback_at": None, "ended_at": None, "ended_reason": None, "origin": "app",
            "overdue": True, "next_step": "arrived"}
    return base | overrides


def test_status_line_names_who_did_each_step_and_what_is_pending():
    history = [{"action": "record", "username": "duty"}, {"action": "dispatch", "username": "li"},
               {"action": "dispatch", "username": "wang"}]
    line = view.status_line(_state(), history)
    assert [s["step"] for s in line] == ["received", "dispatched", "on_scene", "feedback", "callback", "closed"]
    assert [(s["done"], s["who"]) for s in line[:3]] == [(True, "duty"), (True, "li"), (False, "")]
    # a step the source system's export set has a time and no app author
    assert view.status_line(_state(), [])[1] == {"step": "dispatched", "at": T0 + timedelta(minutes=5), "who": "",
                                                 "done": True}


def test_dispatch_rows_carry_limit_steps_overdue_and_reassignment():
    state = _state(dispatches=[_dispatch(), _dispatch(dispatch_id=4, unit_id=9, unit_name=None, linkage_level=2,
                                                      ended_at=T0 + timedelta(minutes=9), ended_reason="路断",
                                                      overdue=False, next_step=None)])
    first, second = view.dispatch_rows(state, NAMES_ZH)
    assert (first["limit_minutes"], first["level"], first["next_step"], first["overdue"]) == (30, "一级联动",
                                                                                              "arrived", True)
    assert first["done"] == [("accepted", T0 + timedelta(minutes=2))]
    assert (second["unit"], second["ended_reason"], second["next_step"]) == ("荷地镇人民政府", "路断", None)


def test_units_are_offered_suggestions_first_with_level_and_time_limit():
    units = [{"unit_id": 7, "name": "县水利局", "linkage_level": 1},
             {"unit_id": 8, "name": "县文旅局", "linkage_level": 2},
             {"unit_id": 9, "name": "荷地镇人民政府", "linkage_level": 1}]
    suggestions = [{"unit_id": 9, "name": "荷地镇人民政府", "linkage_level": 1, "why": "jurisdiction"},
                   {"unit_id": 7, "name": "县水利局", "linkage_level": 1, "why": "hazard"}]
    limits = pd.DataFrame({"linkage_level": [1, 1, 2, 2], "category": ["emergency", "service"] * 2,
                           "arrive_minutes": [30, 240, 60, 1440]})
    order, labels, prefill = view.unit_options(units, suggestions, limits, "emergency", NAMES_ZH)
    assert order == [9, 7, 8] and prefill == [9, 7]
    assert labels[9] == "荷地镇人民政府 · 一级联动 · 时限 30分钟 · 属地"
    assert labels[8] == "县文旅局 · 二级联动 · 时限 1小时"
    _, labels_service, _ = view.unit_options(units, suggestions, limits, "service", NAMES_EN)
    assert labels_service[8] == "县文旅局 · Level 2 · limit 24 h"


def test_changes_and_history_read_in_the_users_language():
    changes = {"severity": [4, 2], "status": ["received", "closed"], "unit_id": [7, 9],
               "alarm_verdict": [None, "false"],
               "close_result": [None, ops.FALSE_ALARM_RESULT], "arrived_at": [None, T0], "mystery": [1, 2]}
    zh = view.changes_text(changes, NAMES_ZH)
    assert zh.startswith("等级: IV → II；状态: 已受理 → 已办结；单位: 县水利局 → 荷地镇人民政府；"
                         "研判: 误报；办结结果: 误报")
    assert not _english_words(zh), zh
    assert "level: IV → II" in view.changes_text(changes, NAMES_EN)
    rows = view.history_rows([
        {"action": "grade", "acted_at": T0, "username": "duty", "origin": "app", "reason": "水位超警",
         "changes": {"severity": [4, 2]}},
        {"action": "close", "acted_at": T0 + timedelta(hours=1), "username": "duty", "origin": "app",
         "reason": "已处置", "changes": {"close_result": [None, "已处置"]}},
        {"action": "source_update", "acted_at": T0, "username": "import", "origin": "source", "reason": None,
         "changes": {}},
        {"action": "brand_new_action", "acted_at": T0, "username": "x", "origin": "app", "reason": None,
         "changes": {}}], NAMES_ZH)
    assert [r["action"] for r in rows] == ["其他操作", "来源系统更新", "办结", "定级"], "newest first"
    assert rows[3]["detail"] == "等级: IV → II · 理由：水位超警"
    assert rows[2]["detail"] == "办结结果: 已处置", "the result is said once"
    assert rows[1]["source"] and not rows[0]["source"]


def test_people_are_named_by_their_display_names_where_known():
    names = view.Names("zh-CN", people={"duty": "演示·值班员"})
    history = [{"action": "record", "username": "duty", "acted_at": T0, "origin": "app", "reason": None,
                "changes": {}},
               {"action": "dispatch", "username": "gone", "acted_at": T0, "origin": "app", "reason": None,
                "changes": {}}]
    line = view.status_line(_state(), history, names)
    assert [s["who"] for s in line[:2]] == ["演示·值班员", "gone"], "an account without a name keeps its username"
    assert [r["who"] for r in view.history_rows(history, names)] == ["gone", "演示·值班员"]
    assert names.person(None) == ""


def test_the_panel_loads_display_names_from_the_accounts(con):
    from ui import database
    names = view.Names.load(database.query, "zh-CN")
    assert names.person("duty") not in ("duty", ""), "the demo duty officer has a display name"


def test_conflict_text_lists_who_changed_what_meanwhile():
    err = ops.IncidentConflict(1, 2, 4, [
        {"action": "grade", "acted_at": T0, "username": "li", "changes": {"severity": [4, 3]}},
        {"action": "dispatch", "acted_at": T0 + timedelta(minutes=1), "username": "wang",
         "changes": {"unit_id": [None, 7]}}])
    zh = view.conflict_text(err, NAMES_ZH)
    assert "第 2 版" in zh and "第 4 版" in zh
    assert "11-25 09:00 li 定级（等级: IV → III）" in zh and "wang 派遣（单位: 县水利局）" in zh
    assert not _english_words(zh.replace("li", "").replace("wang", "")), zh
    en = view.conflict_text(err, NAMES_EN)
    assert "you saw version 2, it is now version 4" in en and "li Graded (level: IV → III)" in en
    assert i18n.translate("ops.conflict_source") in view.conflict_text(ops.IncidentConflict(1, 2, 3, []), NAMES_ZH)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_error_has_a_message_in_the_users_language(lang):
    keys = ("concurrent_write", "no_incident", "closed", "reason_required", "result_required", "future_time",
            "bad_severity", "bad_verdict", "bad_step", "coordinates_incomplete", "no_place", "unreadable",
            "refused_outside_county", "refused_no_location", "not_an_alarm", "no_units", "already_dispatched",
            "no_unit", "no_dispatch", "dispatch_ended", "step_order", "step_before_previous", "same_unit")
    for key in keys:
        text = view.error_text(ops.OpsError(key, incident=1, step="arrived", expected="accepted"), lang)
        assert text == i18n.translate(f"ops.error.{key}", lang)
        if lang == "zh-CN":
            assert not _english_words(text), (key, text)
    # a check without its own message is named as the Data import page names it; an unknown key stays generic
    assert view.error_text(ops.OpsError("refused_bad_time", reason="bad_time"), lang) == i18n.translate(
        "ops.error.refused", lang, reason=i18n.translate("data_import.reasons.bad_time", lang))
    assert view.error_text(ops.OpsError("never_heard_of"), lang) == i18n.translate("ops.error.other", lang)


def test_call_arguments_place_by_names_or_by_coordinates_never_both():
    common = {"hazard": "flood", "severity": 3, "received_at": None, "township": "荷地镇", "village": "石坑",
              "lon": 119.1, "lat": 27.6, "address": "  村口桥  ", "caller_name": "", "caller_phone": " 138 ",
              "description": ""}
    by_place = view.call_arguments(mode="place", **common)
    assert (by_place["township"], by_place["village"], by_place["lon"], by_place["lat"]) == (
        "荷地镇", "石坑", None, None)
    assert (by_place["address"], by_place["caller_name"], by_place["caller_phone"]) == ("村口桥", None, "138")
    by_point = view.call_arguments(mode="coordinates", **common)
    assert (by_point["township"], by_point["village"], by_point["lon"], by_point["lat"]) == (None, None, 119.1, 27.6)
    with pytest.raises(ValueError):
        view.call_arguments(mode="map", **common)


def test_places_group_villages_under_their_township():
    frame = pd.DataFrame({"township": ["荷地镇", "荷地镇", "荷地镇", "松源街道"],
                          "village": [None, "石坑", "坑头", None]})
    assert view.places(frame) == {"荷地镇": ["石坑", "坑头"], "松源街道": []}


def test_severity_labels_and_durations():
    assert view.severity_label(1, "zh-CN") == "I 级 · 特别重大"
    assert view.severity_label(4, "en") == "Level IV · General"
    assert [view.duration(m, "zh-CN") for m in (30, 60, 90, None)] == ["30分钟", "1小时", "1小时30分", "—"]
