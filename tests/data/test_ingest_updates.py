"""Re-import: a newer record of a stored incident updates it (status, times, description, dispatch, callback) and
counts as updated; an older or identical one counts as already present; an app edit made meanwhile is kept and
the source's value recorded as a conflict. The dispatch fields of the exports (处置部门 / 承办单位, 派遣时间,
处置截止时间, 办理时限) become dispatches rows; an unknown unit never keeps an incident off the map."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from data import db, incident_ops
from data.ingest import import_file
from data.ingest.pipeline import import_records

CITY_HEADER = ("案卷编号,上报时间,问题来源,大类,小类,问题描述,所在街道,地址,X,Y,坐标系,"
               "处置部门,派遣时间,处置截止时间,结案时间,状态")
HOTLINE_HEADER = ("工单编号,来电时间,来电人,来电号码,诉求类别,问题分类,诉求内容,所属乡镇,详细地址,承办单位,"
                  "办理时限(小时),办结时间,回访结果,满意度")
DUTY = incident_ops.Actor(username="duty_test", role="duty_officer")


@pytest.fixture()
def wcon(db_copy):
    con = db.connect(db_copy("ingest_updates"))
    yield con
    con.close()


def _city(ref: str, status: str, unit: str = "", dispatched: str = "", deadline: str = "", closed: str = "",
          description: str = "路边垃圾堆积") -> str:
    return (f"{ref},2026-11-20 07:55:00,监督员上报,市容环境,暴露垃圾,{description},松源街道,人民路,119.0612,27.6198,"
            f"WGS84,{unit},{dispatched},{deadline},{closed},{status}")


def _write(tmp_path: Path, name: str, header: str, rows: list[str], bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "\n".join([header, *rows, ""]).encode("utf-8"))
    return path


def _incident(con, channel: str, ref: str) -> dict:
    cols = ("incident_id", "status", "dispatched_at", "closed_at", "feedback_at", "callback_at", "description",
            "version", "source_as_of")
    row = con.execute(f"SELECT {', '.join(cols)} FROM incidents WHERE channel = ? AND source_ref = ?",
                      [channel, ref]).fetchone()
    return dict(zip(cols, row))


def _dispatches(con, incident_id: int) -> list[tuple]:
    return con.execute("""SELECT u.name, d.assigned_at, d.deadline_at, d.ended_at, d.origin FROM dispatches d
                          JOIN linkage_units u USING (unit_id) WHERE d.incident_id = ? ORDER BY d.dispatch_id""",
                       [incident_id]).fetchall()


def _accounting(con, res) -> None:
    assert res.error is None, res.error
    assert res.rows_in == res.stored + res.updated + res.quarantined + res.already_present
    row = con.execute("SELECT rows_in, stored, updated, quarantined, already_present FROM import_files "
                      "WHERE import_id = ?", [res.import_id]).fetchone()
    assert row == (res.rows_in, res.stored, res.updated, res.quarantined, res.already_present)


def test_city_cases_moved_to_closed_close_with_their_dispatch_and_an_older_export_changes_nothing(wcon, tmp_path):
    first = [_city("CGT-0001", "处置中", "县综合执法局", "2026-11-20 08:10:00", "2026-11-20 12:10:00"),
             _city("CGT-0002", "立案"),
             _city("CGT-0003", "派遣", "县综合行政执法局", "2026-11-20 08:20:00", "2026-11-20 12:20:00")]
    res = import_file(wcon, _write(tmp_path, "city_1.csv", CITY_HEADER, first), "city")
    _accounting(wcon, res)
    assert (res.stored, res.updated) == (3, 0)
    one = _incident(wcon, "city_mgmt", "CGT-0001")
    assert one["status"] == "dispatched" and one["source_as_of"] == datetime(2026, 11, 20, 8, 10)
    # 县综合执法局 is the exports' short name of 县综合行政执法局 (value_aliases, domain linkage_unit)
    assert _dispatches(wcon, one["incident_id"]) == [
        ("县综合行政执法局", datetime(2026, 11, 20, 8, 10), datetime(2026, 11, 20, 12, 10), None, "source")]
    assert _incident(wcon, "city_mgmt", "CGT-0002")["status"] == "received"

    # The next day's export: every case closed; 0002 dispatched to 县住建局 on the way, 0003 moved to it.
    later = [_city("CGT-0001", "结案", "县综合执法局", "2026-11-20 08:10:00", "2026-11-20 12:10:00",
                   "2026-11-20 11:02:00", description="路边垃圾堆积，已清运"),
             _city("CGT-0002", "结案", "县住建局", "2026-11-20 09:00:00", "2026-11-20 17:00:00",
                   "2026-11-20 16:40:00"),
             _city("CGT-0003", "结案", "县住建局", "2026-11-20 09:30:00", "2026-11-20 13:30:00",
                   "2026-11-20 13:00:00")]
    res = import_file(wcon, _write(tmp_path, "city_2.csv", CITY_HEADER, later), "city")
    _accounting(wcon, res)
    assert (res.stored, res.updated, res.already_present) == (0, 3, 0)

    one = _incident(wcon, "city_mgmt", "CGT-0001")
    assert (one["status"], one["closed_at"], one["version"]) == ("closed", datetime(2026, 11, 20, 11, 2), 2)
    assert one["description"] == "路边垃圾堆积，已清运" and one["source_as_of"] == datetime(2026, 11, 20, 11, 2)
    assert len(_dispatches(wcon, one["incident_id"])) == 1  # the same unit and times: no second assignment
    two = _incident(wcon, "city_mgmt", "CGT-0002")
    assert (two["status"], two["dispatched_at"], two["closed_at"]) == (
        "closed", datetime(2026, 11, 20, 9, 0), datetime(2026, 11, 20, 16, 40))
    assert _dispatches(wcon, two["incident_id"]) == [
        ("县住房和城乡建设局", datetime(2026, 11, 20, 9, 0), datetime(2026, 11, 20, 17, 0), None, "source")]
    three = _incident(wcon, "city_mgmt", "CGT-0003")
    assert three["dispatched_at"] == datetime(2026, 11, 20, 9, 30)
    moved = _dispatches(wcon, three["incident_id"])
    assert [d[0] for d in moved] == ["县综合行政执法局", "县住房和城乡建设局"]
    assert moved[0][3] == datetime(2026, 11, 20, 9, 30) and moved[1][1:4] == (datetime(2026, 11, 20, 9, 30),
                                                         datetime(2026, 11, 20, 13, 30), None)

    actions = wcon.execute("""SELECT a.incident_id, a.origin, a.username, a.version, a.changes
                              FROM incident_actions a WHERE a.action = 'source_update' ORDER BY a.incident_id""")
    by_incident = {r[0]: r for r in actions.fetchall()}
    changes = json.loads(by_incident[two["incident_id"]][4])
    assert set(changes) == {"status", "closed_at", "dispatched_at", "unit_id"}
    assert changes["status"] == ["received", "closed"]
    assert json.loads(by_incident[one["incident_id"]][4]).keys() == {"status", "closed_at", "description"}
    assert json.loads(by_incident[three["incident_id"]][4]).keys() >= {"dispatched_at", "unit_id"}
    assert {r[1:4] for r in by_incident.values()} == {("source", "import:city", 2)}

    # The first export again (another file, so not skipped by its hash): older records change nothing.
    before = wcon.execute("SELECT * EXCLUDE (geom) FROM incidents WHERE source_ref LIKE 'CGT-%' ORDER BY 1").fetchall()
    res = import_file(wcon, _write(tmp_path, "city_1_again.csv", CITY_HEADER, list(reversed(first))), "city")
    _accounting(wcon, res)
    assert (res.stored, res.updated, res.already_present) == (0, 0, 3)
    # ... nor does the same newest state once more
    res = import_file(wcon, _write(tmp_path, "city_2_again.csv", CITY_HEADER, list(reversed(later))), "city")
    assert (res.updated, res.already_present) == (0, 3)
    assert wcon.execute("SELECT * EXCLUDE (geom) FROM incidents WHERE source_ref LIKE 'CGT-%' "
                        "ORDER BY 1").fetchall() == before


def test_an_app_edit_is_kept_and_the_conflict_recorded_while_other_fields_update(wcon, tmp_path):
    first = [_city("CGT-0101", "派遣", "县综合执法局", "2026-11-20 08:10:00", "2026-11-20 12:10:00"),
             _city("CGT-0102", "立案")]
    import_file(wcon, _write(tmp_path, "c1.csv", CITY_HEADER, first), "city")
    closed_in_app = _incident(wcon, "city_mgmt", "CGT-0101")
    incident_ops.close(wcon, DUTY, closed_in_app["incident_id"], "现场已处置", closed_in_app["version"])
    dispatched_in_app = _incident(wcon, "city_mgmt", "CGT-0102")
    bureau = wcon.execute("SELECT unit_id FROM linkage_units WHERE name = '县应急管理局'").fetchone()[0]
    incident_ops.dispatch(wcon, DUTY, dispatched_in_app["incident_id"], [bureau], dispatched_in_app["version"],
                          at=datetime(2026, 11, 20, 8, 5))
    app_closed_at = _incident(wcon, "city_mgmt", "CGT-0101")["closed_at"]

    later = [_city("CGT-0101", "结案", "县综合执法局", "2026-11-20 08:10:00", "2026-11-20 12:10:00",
                   "2026-11-20 11:00:00", description="垃圾已清运"),
             _city("CGT-0102", "派遣", "县住建局", "2026-11-20 09:00:00", "2026-11-20 17:00:00",
                   description="井盖已补")]
    res = import_file(wcon, _write(tmp_path, "c2.csv", CITY_HEADER, later), "city")
    _accounting(wcon, res)
    assert res.updated == 2

    one = _incident(wcon, "city_mgmt", "CGT-0101")
    assert one["closed_at"] == app_closed_at != datetime(2026, 11, 20, 11, 0)  # OneMap's close stands
    assert one["description"] == "垃圾已清运"                                    # not in conflict: updated
    two = _incident(wcon, "city_mgmt", "CGT-0102")
    assert two["description"] == "井盖已补" and two["dispatched_at"] == datetime(2026, 11, 20, 8, 5)
    assert [d[0] for d in _dispatches(wcon, two["incident_id"])] == ["县应急管理局"]  # the app's unit stands
    conflicts = wcon.execute("""SELECT incident_id, field, app_value, source_value, import_id, status
                                FROM incident_conflicts ORDER BY conflict_id""").fetchall()
    assert (one["incident_id"], "closed_at", str(app_closed_at), "2026-11-20 11:00:00", res.import_id,
            "open") in conflicts
    assert (two["incident_id"], "unit_id", "县应急管理局", "县住建局", res.import_id, "open") in conflicts
    assert (two["incident_id"], "dispatched_at", "2026-11-20 08:05:00", "2026-11-20 09:00:00", res.import_id,
            "open") in conflicts
    reason = wcon.execute("SELECT reason FROM incident_actions WHERE incident_id = ? AND action = 'source_update'",
                          [one["incident_id"]]).fetchone()[0]
    assert "closed_at" in reason


def test_hotline_deadline_from_the_time_limit_and_callback_on_close(wcon, tmp_path):
    order = "96345-T-0001,2026-11-20 09:12:00,陈*,0578-6123456,求助,供水,小区停水一天未恢复,濛洲街道,濛洲社区同济路"
    res = import_file(wcon, _write(tmp_path, "h1.csv", HOTLINE_HEADER, [order + ",县水务集团,36,,,"], bom=True),
                      "96345")
    _accounting(wcon, res)
    first = _incident(wcon, "hotline_96345", "96345-T-0001")
    # The order is with its 承办单位 from the call: dispatched then, due 办理时限 hours later.
    assert (first["status"], first["dispatched_at"]) == ("dispatched", datetime(2026, 11, 20, 9, 12))
    assert _dispatches(wcon, first["incident_id"]) == [
        ("县水务集团", datetime(2026, 11, 20, 9, 12), datetime(2026, 11, 20, 9, 12) + timedelta(hours=36), None,
         "source")]

    done = order.replace("小区停水一天未恢复", "小区停水一天未恢复（已恢复供水）")
    res = import_file(wcon, _write(tmp_path, "h2.csv", HOTLINE_HEADER,
                                   [done + ",县水务集团,36,2026-11-21 18:40:00,已回访,满意"], bom=True), "96345")
    _accounting(wcon, res)
    assert (res.stored, res.updated) == (0, 1)
    closed = _incident(wcon, "hotline_96345", "96345-T-0001")
    closed_at = datetime(2026, 11, 21, 18, 40)
    assert (closed["status"], closed["closed_at"], closed["feedback_at"], closed["callback_at"]) == (
        "closed", closed_at, closed_at, closed_at)
    assert closed["description"] == "小区停水一天未恢复（已恢复供水）" and closed["version"] == 2


def test_deadline_from_the_time_limits_table_when_the_export_has_none(wcon, tmp_path):
    res = import_file(wcon, _write(tmp_path, "c.csv", CITY_HEADER, [
        _city("CGT-0201", "派遣", "县综合行政执法局", "2026-11-20 08:10:00")]), "city")
    _accounting(wcon, res)
    minutes = wcon.execute("""
        SELECT l.arrive_minutes FROM linkage_units u JOIN hazard_types h ON h.code = 'urban_mgmt'
        JOIN dispatch_time_limits l ON l.linkage_level = u.linkage_level
         AND l.category = CASE WHEN h.class_code = 'service' THEN 'service' ELSE 'emergency' END
        WHERE u.name = '县综合行政执法局'""").fetchone()[0]
    incident = _incident(wcon, "city_mgmt", "CGT-0201")
    assert _dispatches(wcon, incident["incident_id"])[0][2] == datetime(2026, 11, 20, 8, 10) + timedelta(
        minutes=minutes)


def test_an_unknown_unit_still_stores_the_incident_and_is_noted(wcon, tmp_path):
    rows = ["96345-T-0301,2026-11-20 10:30:00,刘明,13705781111,投诉,噪声,夜间施工噪声扰民,松源街道,新建社区,"
            "县不存在的办,48,,,",
            _city("CGT-0301", "派遣", "某某街道城管中队", "2026-11-20 08:10:00")]
    res = import_file(wcon, _write(tmp_path, "h.csv", HOTLINE_HEADER, rows[:1], bom=True), "96345")
    _accounting(wcon, res)
    assert res.stored == 1 and res.notes == {"unknown_units": {"县不存在的办": 1}}
    incident = _incident(wcon, "hotline_96345", "96345-T-0301")
    assert _dispatches(wcon, incident["incident_id"]) == []
    notes = wcon.execute("SELECT notes FROM import_files WHERE import_id = ?", [res.import_id]).fetchone()[0]
    assert json.loads(notes) == {"unknown_units": {"县不存在的办": 1}}
    res = import_file(wcon, _write(tmp_path, "c.csv", CITY_HEADER, rows[1:]), "city")
    assert res.stored == 1 and res.summary()["notes"] == {"unknown_units": {"某某街道城管中队": 1}}
    assert _incident(wcon, "city_mgmt", "CGT-0301")["status"] == "dispatched"


def test_import_records_updates_the_same_way(wcon):
    def record(status: str, closed: str = "") -> dict:
        return {"案卷编号": "CGT-0401", "上报时间": "2026-11-20 07:55:00", "大类": "设施", "问题描述": "井盖缺失",
                "所在街道": "濛洲街道", "地址": "同济路32号", "X": "119.0847", "Y": "27.6121", "坐标系": "WGS84",
                "处置部门": "县住建局", "派遣时间": "2026-11-20 08:31:00", "处置截止时间": "2026-11-20 16:31:00",
                "结案时间": closed, "状态": status}
    res = import_records(wcon, "city", [record("处置中")], via="api", name="batch-1")
    assert (res.stored, res.updated) == (1, 0)
    res = import_records(wcon, "city", [record("结案", "2026-11-20 15:00:00")], via="api", name="batch-2")
    _accounting(wcon, res)
    assert (res.stored, res.updated, res.already_present) == (0, 1, 0)
    assert _incident(wcon, "city_mgmt", "CGT-0401")["closed_at"] == datetime(2026, 11, 20, 15, 0)
    res = import_records(wcon, "city", [record("处置中")], via="api", name="batch-3")
    assert (res.updated, res.already_present) == (0, 1)
