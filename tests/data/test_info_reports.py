"""Reports written in the app (data/info_reports.py): prefilled from the incident, sending clears the duty desk's
deadline, a late send stays late, a stale version is refused, every send is audited."""
from datetime import timedelta

import pytest

from data import info_reports as ir
from data.clock import now
from queries import runner
from tests.queries.duty_fixture import add_dispatch, add_incident, add_report, tiny_db

NOW = now()


@pytest.fixture()
def con():
    connection = tiny_db()
    connection.execute("""INSERT INTO villages (village_id, code, township_id, name, kind, lon, lat, geom)
                          VALUES (1, 'V1', 1, '石龙社区', 'community', 119.05, 27.6, ST_Point(119.05, 27.6))""")
    add_incident(connection, 1, NOW - timedelta(hours=2), severity=2)
    connection.execute("UPDATE incidents SET village_id = 1, address = '松源街道石龙社区濛洲街12号' "
                       "WHERE incident_id = 1")
    add_dispatch(connection, 1, 1, 1, NOW - timedelta(hours=2), NOW + timedelta(hours=1),
                 arrived_at=NOW - timedelta(hours=1, minutes=30))
    add_dispatch(connection, 2, 1, 2, NOW - timedelta(hours=2), NOW + timedelta(hours=1))
    yield connection
    connection.close()


def deadlines(con):
    return runner.run(con, "duty_report_deadlines", now=NOW.replace(second=0), since=NOW - timedelta(days=30),
                      until=NOW + timedelta(minutes=1), soon_minutes=60)


def first_state(con, incident_id=1):
    frame = deadlines(con)
    return frame[(frame["incident_id"] == incident_id) & (frame["kind"] == "first")]["state"].iloc[0]


def test_prefill_from_the_incident(con):
    content = ir.prefill(con, 1)
    assert set(content) == set(ir.LAYOUT)
    assert content["place"] == "松源街道石龙社区濛洲街12号"
    assert content["hazard"] in content["event_name"] and content["event_name"].startswith("松源街道石龙社区")
    assert content["severity"].startswith("II级")
    assert content["occurred_at"] == f"{NOW - timedelta(hours=2):%Y-%m-%d %H:%M}"
    assert content["description"] == "测试事件1"
    assert content["teams"] == "县应急管理局、黄田镇人民政府"
    assert "到达现场" in content["measures"] and content["casualties"] == "" and content["next_steps"] == ""


def test_write_edit_then_send_clears_the_deadline_and_a_late_send_stays_late(con):
    assert first_state(con) == "overdue"  # severity II: first report due 60 minutes after receipt
    report = ir.write_report(con, 1, "first", {"casualties": "无人员伤亡"}, "值班员甲")
    assert (report.version, report.sent, report.content["casualties"]) == (1, False, "无人员伤亡")
    assert report.content["teams"] == "县应急管理局、黄田镇人民政府"
    assert first_state(con) == "overdue", "written but not sent: still owed"
    report = ir.write_report(con, 1, "first", {"next_steps": "继续监测水位"}, "值班员甲",
                             expected_version=report.version)
    assert report.version == 2 and report.content["casualties"] == "无人员伤亡"
    sent = ir.mark_sent(con, report.report_id, "县委县政府值班室", "phone", "duty", expected_version=2)
    assert sent.sent_at == NOW and (sent.sent_to, sent.channel, sent.sent_by) == ("县委县政府值班室", "phone", "duty")
    assert sent.late, "sent after due_at"
    assert first_state(con) == "late", "the deadline is cleared and the report stays marked late"
    assert not (deadlines(con)["state"] == "overdue").any()
    with pytest.raises(ir.ReportError):
        ir.write_report(con, 1, "first", {"losses": "x"}, "值班员甲", expected_version=sent.version)


def test_an_on_time_send_is_on_time(con):
    add_incident(con, 2, NOW - timedelta(minutes=10), severity=2)
    report = ir.write_report(con, 2, "first", {}, "值班员甲")
    assert first_state(con, 2) == "due_soon"
    sent = ir.mark_sent(con, report.report_id, "市应急管理局", "platform", "duty", expected_version=1)
    assert not sent.late and first_state(con, 2) == "on_time"


def test_an_existing_unsent_row_keeps_its_due_time(con):
    add_report(con, 7, 1, "first", 1, NOW - timedelta(minutes=5), None)
    report = ir.write_report(con, 1, "first", {}, "值班员甲", expected_version=1)
    assert report.report_id == 7 and report.due_at == NOW - timedelta(minutes=5) and report.version == 2


def test_a_stale_version_is_refused(con):
    report = ir.write_report(con, 1, "first", {}, "值班员甲")
    ir.write_report(con, 1, "first", {"losses": "房屋进水3间"}, "值班员乙", expected_version=1)
    with pytest.raises(ir.ReportConflict) as err:
        ir.write_report(con, 1, "first", {"losses": "无"}, "值班员甲", expected_version=1)
    assert (err.value.expected, err.value.current) == (1, 2)
    assert ir.load(con, report.report_id).content["losses"] == "房屋进水3间", "no silent lost update"
    with pytest.raises(ir.ReportConflict):
        ir.mark_sent(con, report.report_id, "县委值班室", "written", "duty", expected_version=1)
    assert not ir.load(con, report.report_id).sent
    ir.mark_sent(con, report.report_id, "县委值班室", "written", "duty", expected_version=2)
    with pytest.raises(ir.ReportConflict) as err:  # the second sender learns who sent it
        ir.mark_sent(con, report.report_id, "县委值班室", "written", "other", expected_version=3)
    assert err.value.sent_by == "duty"


def test_bad_channel_or_nobody_named_is_refused(con):
    report = ir.write_report(con, 1, "first", {}, "值班员甲")
    for args in [("县委值班室", "fax", "duty"), ("", "phone", "duty"), ("县委值班室", "phone", " ")]:
        with pytest.raises(ir.ReportError):
            ir.mark_sent(con, report.report_id, *args, expected_version=1)
    with pytest.raises(ir.ReportError):
        ir.write_report(con, 1, "final", {}, "值班员甲")  # not closed: no final report due
    with pytest.raises(ir.ReportError):
        ir.write_report(con, 1, "first", {"nonsense": "x"}, "值班员甲")


def test_every_send_is_audited(con):
    from data import accounts
    report = ir.write_report(con, 1, "first", {}, "值班员甲")
    ir.mark_sent(con, report.report_id, "县委县政府值班室", "phone", "duty", expected_version=1, role="duty_officer")
    rows = con.execute("SELECT username, role, action, incident_id, detail FROM audit_log").fetchall()
    assert len(rows) == 1
    username, role, action, incident_id, detail = rows[0]
    assert (username, role, action, incident_id) == ("duty", "duty_officer", "report_sent", 1)
    assert "县委县政府值班室" in detail and "phone" in detail and "late" in detail
    assert accounts.verify_audit_chain(con) is None


def test_the_section_upgrades_an_older_database():
    from data import db
    connection = tiny_db()
    for column in ("content", "sent_to", "channel", "sent_by", "version"):
        connection.execute(f"ALTER TABLE info_reports DROP COLUMN {column}")
    db.ensure_section(connection, "info_report_content")
    db.ensure_section(connection, "info_report_content")
    cols = [r[0] for r in connection.execute("DESCRIBE info_reports").fetchall()]
    assert cols[-5:] == ["content", "sent_to", "channel", "sent_by", "version"]
