"""The data-import page under AppTest: accounting of recent imports, quarantine with translated reasons and
masked personal data, correction and re-import."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

import i18n
from data import db
from data.clock import now_cst
from data.ingest import import_file
from ui import language

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
    assert recent[s["data_import.via"]].iloc[0] == s["data_import.via_names.cli"]  # a word, not the code
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


SAMPLES = Path(__file__).resolve().parents[2] / "data" / "formats"


def _upload(at, name, key="uploads_0"):
    at.file_uploader(key=key).upload(name, (SAMPLES / name).read_bytes(), "text/csv")
    return at.run()


def _page_text(at) -> str:
    return " ".join(str(e.value) for kind in ("error", "warning", "caption", "success", "info", "markdown")
                    for e in getattr(at, kind))


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_upload_recognises_the_source_imports_once_and_clears_the_uploader(app_test, page_db, lang, monkeypatch):
    monkeypatch.setattr(language, "lang", lambda: lang)  # AppTest formats options outside the run
    s = i18n.strings(lang)
    at = _upload(run(app_test, lang), "96345_hotline.sample.csv")
    assert not at.exception, at.exception
    assert at.selectbox(key="source").value == "96345"  # preselected from the header
    at.button(key="submit_import").click().run()
    assert not at.exception, at.exception
    assert any(m.label == s["data_import.stored"] for m in at.metric)
    assert not at.error, [e.value for e in at.error]
    # a fresh, empty uploader: the imported file cannot be re-submitted under another source
    keys = [u.key for u in at.get("file_uploader")]
    assert keys == ["uploads_1"]
    at.session_state["source"] = "grid"
    at.run()
    at.button(key="submit_import").click().run()
    assert any(w.value == s["data_import.need_file"] for w in at.warning)
    assert not at.error


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_wrong_source_is_a_clear_message_not_a_raw_error(app_test, page_db, lang, monkeypatch):
    monkeypatch.setattr(language, "lang", lambda: lang)  # AppTest formats options outside the run
    s = i18n.strings(lang)
    at = _upload(run(app_test, lang), "grid_reports.sample.json")
    assert at.selectbox(key="source").value == "grid"
    at.session_state["source"] = "110"
    at.run()
    grid, calls = s["data_import.sources.grid"], s["data_import.sources.110"]
    assert [e.value for e in at.error] == [s["data_import.mismatch"].format(
        file="grid_reports.sample.json", detected=grid, chosen=calls)]
    at.button(key="submit_import").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [s["data_import.mismatch_skipped"].format(
        file="grid_reports.sample.json", detected=grid, chosen=calls)]
    text = _page_text(at)
    assert "not a JSON array" not in text and "header:" not in text


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_unrecognised_file_fails_in_the_users_language(app_test, page_db, lang, monkeypatch):
    monkeypatch.setattr(language, "lang", lambda: lang)  # AppTest formats options outside the run
    s = i18n.strings(lang)
    at = run(app_test, lang)
    at.file_uploader(key="uploads_0").upload("other.csv", "名称,地址\n甲,乙\n".encode(), "text/csv")
    at.run()
    assert any(w.value == s["data_import.not_recognised"].format(file="other.csv") for w in at.warning)
    at.button(key="submit_import").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and s["data_import.sources.110"] in errors[0], errors
    assert "header: [" not in errors[0] and "名称,地址" not in errors[0]
