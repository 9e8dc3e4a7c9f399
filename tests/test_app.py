"""Every page runs under AppTest without an exception, in both languages."""
import pytest

PAGES = ["pages/one_map.py", "pages/analysis.py", "pages/daily_report.py", "pages/duty_desk.py",
         "pages/resources.py", "pages/risk.py", "pages/data_import.py"]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_navigation_lists_every_page_in_the_language(app_test, lang):
    at = app_test("app.py", lang=lang).run()
    assert not at.exception
    assert at.session_state["lang"] == lang
    assert at.selectbox(key="lang_select").value == lang


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(app_test, page, lang):
    at = app_test(page, lang=lang)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    assert at.title, "every page has a title"
    import i18n
    assert at.title[0].value in set(i18n.strings(lang).values())


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_streamlit_own_words_are_said_in_chinese_in_the_chinese_ui(app_test, lang):
    """The file uploader's English button and limits are hidden and replaced in the Chinese UI only."""
    at = app_test("app.py", lang=lang).run()
    css = " ".join(h.proto.body for h in at.get("html"))
    assert ('content: "选择文件"' in css) == (lang == "zh-CN")
