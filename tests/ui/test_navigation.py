"""ui/navigation.require leans on private Streamlit behaviour (there is no supported switch in 1.67): a folder
named pages/ beside the entry script puts a fresh server in the old pages-directory mode, and clearing
PagesManager.uses_pages_directory, as st.navigation itself does, takes it out. These tests fail the day
Streamlit changes either half, so the workaround is revisited then."""
import pytest
from streamlit.runtime.pages_manager import PagesManager

import i18n


@pytest.fixture()
def fresh_flag():
    """The flag as a fresh server has it before its first session; put back afterwards."""
    saved = PagesManager.uses_pages_directory
    PagesManager.uses_pages_directory = None
    yield
    PagesManager.uses_pages_directory = saved


def test_a_pages_folder_still_turns_the_old_mode_on(tmp_path, fresh_flag):
    (tmp_path / "pages").mkdir()
    (tmp_path / "app.py").write_text("", encoding="utf-8")
    PagesManager(str(tmp_path / "app.py"))
    assert PagesManager.uses_pages_directory is True


def test_st_navigation_still_clears_the_flag_the_workaround_clears(app_test):
    at = app_test("app.py").run()  # AppTest starts every run as a fresh server: the flag is set from pages/
    assert not at.exception, at.exception
    assert PagesManager.uses_pages_directory is False


def test_a_page_opened_by_url_on_a_fresh_server_runs_under_app_py(app_test):
    """The first session opens /duty_desk directly: Streamlit runs pages/duty_desk.py alone; require() turns
    the old mode off and reruns, and the page comes back framed by app.py (page config, language switch)."""
    at = app_test("app.py", role="duty_officer")
    at.switch_page("pages/duty_desk.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == i18n.strings("zh-CN")["duty_desk.title"]
    assert at.selectbox(key="lang_select").value == "zh-CN", "app.py's sidebar ran around the page"


def test_without_the_workaround_the_page_would_run_alone(app_test, monkeypatch):
    """The control: with require() unable to see the flag, the same URL runs the page without app.py."""
    from ui import navigation

    class Blind:
        uses_pages_directory = False
    monkeypatch.setattr(navigation, "PagesManager", Blind)
    at = app_test("app.py", role="duty_officer")
    at.switch_page("pages/duty_desk.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == i18n.strings("zh-CN")["duty_desk.title"]
    assert not [s for s in at.selectbox if s.key == "lang_select"], "the page ran without app.py"
