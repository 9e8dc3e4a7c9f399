"""The data-import page under AppTest: accounting of recent imports, quarantine with translated reasons and
masked personal data, correction and re-import."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest

import i18n
from data import db
from data.clock import now_cst
from data.ingest import import_file

PAGE = "pages/data_import.py"
HEADER = "接警单编号,报警时间,报警人姓名,报警电话,事发地址,经度,纬度,警情类别,警情级别,管辖单位,简要警情"


@pytest.fixture()
def page_db(db_copy, tmp_path):
    """A copy of the demo database with one import holding a good row and two quarantined ones."""
    path = db_copy("page")
    when = (now_cst() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    rows = [f"PG-1,{when},张伟,13857801234,庆元县松源街道石龙社区,119.0612,27.6198,火灾,一般,所,起火",
            f"PG-2,{when},李秀英,13967805678,庆元县竹口镇竹口村,118.9152,27.6979,外星人,一般,所,=cmd|' /C calc'!A0",
            "PG-3,明天,王强,15867809012,庆元县松源街道,119.0612,27.6198,火灾,一般,所,时间错"]
    src = tmp_path / "calls.csv"
    src.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    con = db.connect(path)
    try:
        res = import_file(con, src, "110")
        assert (res.stored, res.quarantined) == (1, 2)
    finally:
        con.close()
    old = os.environ.get("ONEMAP_DB")
    os.environ["ONEMAP_DB"] = str(path)
    yield path
    os.environ["ONEMAP_DB"] = old or ""


def run(app_test, lang="zh-CN"):
    at = app_test(PAGE, lang=lang, role="duty_officer")  # a role with the import_data right
    at.session_state["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_page_shows_accounting_and_quarantine(app_test, page_db, lang):
    at = run(app_test, lang)
    assert not at.exception, at.exception
    s = i18n.strings(lang)
    assert at.title[0].value == s["data_import.title"]
    recent = at.dataframe[0].value
    assert recent[s["data_import.rows_in"]].iloc[0] == 3 and recent[s["data_import.stored"]].iloc[0] == 1
    assert recent[s["data_import.source"]].iloc[0] == s["data_import.sources.110"]
    assert recent[s["data_import.updated"]].iloc[0] == 0
    held = at.dataframe[1].value
    assert set(held[s["data_import.reason"]]) == {s["data_import.reasons.unknown_value"],
                                                  s["data_import.reasons.bad_time"]}
    text = held.to_csv()
    assert "13967805678" not in text and "李秀英" not in text  # personal data masked
    assert "139****5678" in text
    assert [b.label for b in at.get("download_button")] == [s["data_import.download"]]


def test_correct_and_reimport_from_the_page(app_test, page_db):
    # zh-CN: AppTest formats select options outside the run, where the UI language is the default one
    s = i18n.strings("zh-CN")
    at = run(app_test, "zh-CN")
    pick = at.selectbox(key="q_pick")
    target = next(q for q in pick.options if s["data_import.reasons.unknown_value"] in q)
    qid = int(target.split()[0].lstrip("#"))
    at.selectbox(key="q_pick").set_value(qid).run()
    assert at.text_input(key=f"fix_{qid}_报警人姓名").disabled
    at.text_input(key=f"fix_{qid}_警情类别").set_value("火灾")  # in a form: takes effect with the submit
    form_buttons = [b for b in at.button if b.label == s["data_import.reimport"]]
    form_buttons[0].click().run()
    assert not at.exception, at.exception
    from ui import database
    con = database.cursor()
    assert con.execute("SELECT status FROM quarantine WHERE quarantine_id = ?", [qid]).fetchone()[0] == "resolved"
    assert con.execute("SELECT caller_name FROM incidents WHERE source_ref = 'PG-2'").fetchone()[0] == "李秀英"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_import_result_shows_updated_rows_and_unknown_units(app_test, page_db, lang):
    at = app_test(PAGE, lang=lang, role="duty_officer")
    at.session_state["lang"] = lang
    at.session_state["import_results"] = [{
        "file": "city.csv", "source": "city", "rows_in": 5, "stored": 1, "updated": 2, "quarantined": 1,
        "already_present": 1, "linked": 0, "error": None, "reasons": {}, "notes": {"unknown_units": {"某某中队": 1}}}]
    at.run()
    assert not at.exception, at.exception
    s = i18n.strings(lang)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[s["data_import.updated"]] == "2"
    assert any(s["data_import.accounting"].format(rows_in=5, stored=1, updated=2, quarantined=1,
                                                  already_present=1) == c.value for c in at.caption)
    assert any("某某中队" in w.value for w in at.warning)
