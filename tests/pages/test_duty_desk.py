"""The duty desk page: every tab renders in both languages; the roster editor saves only for a role with
edit_roster, refuses an invalid day with the reasons in the user's language, and records who changed what."""

import re

import pytest

import i18n
from data.clock import now_cst

PAGE = "pages/duty_desk.py"


def run(app_test, lang="zh-CN", role=None):
    at = app_test(PAGE, lang=lang, **({"role": role} if role else {}))
    at.session_state["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_duty_desk_renders_every_tab(app_test, lang):
    at = run(app_test, lang)
    assert not at.exception, at.exception
    s = i18n.strings(lang)
    assert at.title[0].value == s["duty_desk.title"]
    # the commander handles incidents: the call form comes first (data/roles.py handle_incidents)
    assert [tab.label for tab in at.tabs] == [s["ops.call.title"]] + [s[f"duty_desk.tab_{k}"] for k in
                                                                      ("today", "reports", "dispatch", "performance",
                                                                       "roster")]
    headers = [h.value for h in at.subheader]
    assert s["duty_desk.today_heading"].format(day=now_cst().date().isoformat()) in headers
    assert s["duty_desk.by_unit"] in headers
    assert any(s["duty_desk.definitions"][:10] in c.value for c in at.caption)
    # today's roster: the nine base seats at least
    today_table = at.dataframe[0].value
    assert len(today_table) >= 9


def test_roster_editor_is_read_only_without_the_permission(app_test):
    at = run(app_test, role="commander")
    assert not at.exception, at.exception
    s = i18n.strings("zh-CN")
    assert any(s["duty_desk.roster_no_permission"] in i.value for i in at.info)
    save = [b for b in at.get("form_submit_button") if b.proto.label == s["duty_desk.roster_save"]]
    assert save and save[0].proto.disabled


def test_duty_officer_sees_an_enabled_save_button(app_test):
    at = run(app_test, role="duty_officer")
    assert not at.exception, at.exception
    s = i18n.strings("zh-CN")
    save = [b for b in at.get("form_submit_button") if b.proto.label == s["duty_desk.roster_save"]]
    assert save and not save[0].proto.disabled
    assert not any(s["duty_desk.roster_no_permission"] in i.value for i in at.info)



def test_monthly_notice_is_offered_next_to_the_ranking(app_test):
    at = run(app_test)
    assert not at.exception, at.exception
    s = i18n.strings("zh-CN")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count(s["duty_desk.download_notice"]) == 1
    ranked = [d.value for d in at.dataframe if s["duty_desk.rank"] in d.value.columns]
    assert len(ranked) == 1 and list(ranked[0][s["duty_desk.rank"]]) == list(range(1, len(ranked[0]) + 1))


@pytest.fixture()
def report_db(db_copy):
    """A copy of the demo database with one major incident whose 首报 is overdue (the small test county has none
    in the last 30 days), for the page to write a sent report into (the shared database stays as built)."""
    import os
    from datetime import timedelta

    from data import db
    from tests.queries.duty_fixture import add_incident
    path = db_copy("reports_page")
    con = db.connect(path)
    try:
        incident_id = con.execute("SELECT max(incident_id) + 1 FROM incidents").fetchone()[0]
        township = con.execute("SELECT min(township_id) FROM townships").fetchone()[0]
        add_incident(con, incident_id, now_cst() - timedelta(hours=2), severity=2, township_id=township)
        db.bump_data_version(con)
    finally:
        con.close()
    old = os.environ.get("ONEMAP_DB")
    os.environ["ONEMAP_DB"] = str(path)
    yield path
    os.environ["ONEMAP_DB"] = old or ""


def test_duty_officer_writes_and_marks_a_due_report_sent(app_test, report_db):
    from data import info_reports
    from ui import database
    at = run(app_test, role="duty_officer")
    assert not at.exception, at.exception
    s = i18n.strings("zh-CN")
    pick = next(sb for sb in at.selectbox if sb.label == s["info_report.pick"])
    incident_id, kind, seq = pick.value
    assert s["info_report.state_overdue"] in pick.format_func(pick.value), "the worst owed report comes first"
    labels = [b.proto.label for b in at.get("download_button")]
    assert s["info_report.download"] in labels
    place = next(ti for ti in at.text_input if ti.label == s["info_report.field.place"])
    assert place.value, "prefilled from the incident"
    next(ta for ta in at.text_area if ta.label == s["info_report.field.casualties"]).input("无人员伤亡")
    next(ti for ti in at.text_input if ti.label == s["info_report.field.sent_to"]).input("县委县政府总值班室")
    next(sb for sb in at.selectbox if sb.label == s["info_report.field.channel"]).select("written")
    send = next(b for b in at.get("form_submit_button") if b.proto.label == s["info_report.send"])
    at = send.click().run()
    assert not at.exception, at.exception
    assert any("县委县政府总值班室" in m.value for m in at.success)
    assert any(s["info_report.sent_late"].split("，")[0] in w.value for w in at.warning), "overdue: sent late"
    con = database.cursor()
    report = info_reports.find(con, incident_id, kind, seq)
    assert report.sent and report.late and report.channel == "written" and report.sent_by == "duty"
    assert report.content["casualties"] == "无人员伤亡"
    audit = con.execute("SELECT count(*) FROM audit_log WHERE action = 'report_sent' AND incident_id = ?",
                        [incident_id]).fetchone()[0]
    assert audit == 1
    pick = next(sb for sb in at.selectbox if sb.label == s["info_report.pick"])
    assert (incident_id, kind, seq) not in pick.options and pick.value != (incident_id, kind, seq), \
        "the deadline is cleared"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_overdue_reports_are_one_row_per_incident(app_test, report_db, lang):
    at = run(app_test, lang=lang, role="duty_officer")
    assert not at.exception, at.exception
    s = i18n.strings(lang)
    tables = [d.value for d in at.dataframe if s["duty_desk.col_missed"] in d.value.columns]
    assert len(tables) == 1
    overdue = tables[0]
    assert overdue[s["duty_desk.col_incident"]].is_unique and len(overdue) >= 1
    assert overdue[s["duty_desk.col_missed"]].min() >= 1
    assert any(c.value.startswith(s["duty_desk.overdue_grouped"].split("{")[0]) for c in at.caption)
    late = " ".join(overdue[s["duty_desk.col_late_by"]])
    assert not re.search(r"(^|[^0-9])0(小时| h )", late), late  # "19分钟", never "0小时19分"
