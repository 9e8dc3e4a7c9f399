"""The daily report page: runs in both languages, shows the sections, refuses bad dates with a clear message,
and offers DOCX and PDF downloads."""
from datetime import timedelta

import pytest

import i18n
from data.clock import now_cst
from reports import daily_report

PAGE = "pages/daily_report.py"


def run(app_test, lang="zh-CN", **query_params):
    at = app_test(PAGE, lang=lang, **query_params)
    at.session_state["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_page_shows_every_section_for_yesterday(app_test, lang):
    at = run(app_test, lang=lang)
    assert not at.exception, at.exception
    s = i18n.strings(lang)
    assert at.title[0].value == s["daily_report.title"]
    subheaders = [h.value for h in at.subheader]
    reservoirs = "sec_reservoirs" + daily_report.season_suffix(at.date_input(key="daily_report_day").value)
    for key in ("sec_channels", "sec_hazards", "sec_majors", "sec_overdue", reservoirs, "sec_alarms",
                "sec_shelters", "sec_map"):
        assert s[f"daily_report.{key}"] in subheaders
    assert at.date_input(key="daily_report_day").value == (now_cst() - timedelta(days=1)).date()  # yesterday
    assert at.metric[0].label == s["daily_report.metric_total"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [s["daily_report.download_docx"], s["daily_report.download_pdf"]]


def test_a_day_in_the_future_gets_a_clear_message(app_test):
    future = (now_cst() + timedelta(days=30)).date().isoformat()
    at = run(app_test, day=future)
    assert not at.exception
    assert any(future in w.value and "还没有到" in w.value for w in at.warning)


def test_a_chosen_day_is_kept_in_the_link(app_test):
    day = (now_cst() - timedelta(days=3)).date()
    at = run(app_test, day=day.isoformat())
    assert not at.exception
    assert at.date_input(key="daily_report_day").value == day
    assert day.isoformat() in at.markdown[0].value or any(day.isoformat() in m.value for m in at.markdown)



def test_a_malformed_date_in_the_link_gets_a_clear_message(app_test):
    at = run(app_test, lang="en", day="2026-13-45")
    assert not at.exception
    assert any("2026-13-45" in w.value and "not a date" in w.value for w in at.warning)
    assert at.date_input(key="daily_report_day").value == (now_cst() - timedelta(days=1)).date()
