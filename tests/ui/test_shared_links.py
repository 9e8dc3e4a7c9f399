"""Links as people pass them around (AppTest): every page URL of app.py answers signed out with the sign-in
form, and signing in there lands on that page with the link's query parameters; a page the role may not open
sends it to One Map with a message; the documented /one_map resolves; a session cookie resumes a sign-in
(audited once per browser session) and signing out marks it for clearing."""
import pytest

import i18n
from data import accounts, roles
from ui import auth, database, navigation

SHARED = {"hazard": "forest_fire,flood", "township": "4", "period": "7d"}


def tr(key, **values):
    return i18n.translate(key, "zh-CN", **values)


SIGN_IN_TITLE = tr("auth.sign_in_title", title=tr("app.title", county="庆元县"))


@pytest.fixture()
def running_server(monkeypatch):
    """A server some session has already run app.py on (the usual case). AppTest starts every run as a fresh
    server, where a URL naming a file in pages/ first runs that file alone and ui.navigation.require reruns it
    under app.py; that rerun would swallow the form's submit (tests/ui/test_navigation.py pins that path)."""
    from streamlit.runtime.pages_manager import PagesManager
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def _url_paths(at) -> set[str]:
    return {info.get("url_pathname") for info in at._registered_pages.values()}


def _open(at, url_path: str):
    """What a browser opening /<url_path> asks for: the registered page of that URL (AppTest's own switch_page
    goes by script file, and the signed-out entries have none)."""
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path)
    return at.run()


def _sign_in(at, role: str):
    username, password = next((u, p) for u, p, r, _ in accounts.DEMO_ACCOUNTS if r == role)
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click()
    return at.run()


def test_signed_out_every_page_url_shows_the_sign_in_form(app_test):
    at = app_test("app.py", role=None).run()
    assert _url_paths(at) == {""} | set(roles.PAGES)
    for page in roles.PAGES:
        _open(at, page)
        assert not at.exception, at.exception
        assert [t.value for t in at.title] == [SIGN_IN_TITLE], page


@pytest.mark.parametrize("role", roles.ROLES)
def test_the_documented_one_map_url_exists_for_every_role(app_test, role):
    at = app_test("app.py", role=role).run()
    assert {"", "one_map"} <= _url_paths(at)
    assert _url_paths(at) == {""} | set(roles.PAGES), "a page the role may not open still resolves (to One Map)"


def test_signing_in_at_a_shared_link_lands_on_that_page_with_its_filters(app_test, running_server):
    at = app_test("app.py", role=None, **SHARED).run()
    _open(at, "analysis")
    at = _sign_in(at, "analyst")
    assert not at.exception, at.exception
    assert tr("analysis.heading") in [t.value for t in at.title]
    assert {k: at.query_params[k] for k in SHARED} == SHARED
    assert set(at.multiselect(key="analysis_f_hazards").value) == {"forest_fire", "flood"}
    assert at.multiselect(key="analysis_f_townships").value == [4]
    assert at.selectbox(key="analysis_f_period").value == "7d"


def test_a_link_to_a_page_the_role_may_not_open_lands_on_one_map_saying_why(app_test, running_server):
    at = app_test("app.py", role=None, **SHARED).run()
    _open(at, "analysis")
    at = _sign_in(at, "duty_officer")
    assert not at.exception, at.exception
    assert tr("nav.refused", page=tr("nav.analysis")) in [w.value for w in at.warning]
    assert navigation.REFUSED_KEY not in at.session_state, "said once"
    assert at.get("deck_gl_json_chart"), "One Map is drawn"


def test_signing_in_hands_the_browser_a_code_for_the_session_cookie(app_test):
    at = _sign_in(app_test("app.py", role=None).run(), "commander")
    code, _ = at.session_state[auth.HANDOFF_KEY]
    token, _ = accounts.redeem_handoff(database.cursor(), code)
    assert accounts.resume_session(database.cursor(), token)[0] == at.session_state[auth.SESSION_KEY]


def test_a_session_cookie_resumes_the_sign_in_once_per_browser_session(app_test, monkeypatch):
    con = database.cursor()
    user = accounts.authenticate(con, "leader", "demo-leader-2026")
    session_id = accounts.start_session(con, user)
    token, _ = accounts.redeem_handoff(con, accounts.issue_handoff(con, session_id))
    monkeypatch.setattr(auth, "_session_cookie", lambda: token)  # AppTest cannot send cookies
    before = con.execute("SELECT coalesce(max(audit_id), 0) FROM audit_log").fetchone()[0]
    at = app_test("app.py", role=None).run()
    at.run()  # a rerun of the same browser session
    assert not at.exception, at.exception
    assert at.title[0].value != SIGN_IN_TITLE
    assert at.session_state[auth.SESSION_KEY] == session_id
    rows = con.execute("SELECT username, action FROM audit_log WHERE audit_id > ? AND action = 'session_resumed'",
                       [before]).fetchall()
    assert rows == [("leader", "session_resumed")]
    at.button(key="sign_out").click()
    at.run()
    assert at.title[0].value == SIGN_IN_TITLE
    assert auth.CLEAR_COOKIE_KEY in at.session_state, "the browser is asked to drop the cookie"
    assert not accounts.cookie_is_live(con, token), "the cookie is dead on the server already"


def test_a_dead_cookie_gets_the_form_quietly_and_is_cleared(app_test, monkeypatch):
    con = database.cursor()
    user = accounts.authenticate(con, "analyst", "demo-analyst-2026")
    session_id = accounts.start_session(con, user)
    token, _ = accounts.redeem_handoff(con, accounts.issue_handoff(con, session_id))
    accounts.end_session(con, session_id)
    monkeypatch.setattr(auth, "_session_cookie", lambda: token)
    at = app_test("app.py", role=None).run()
    assert at.title[0].value == SIGN_IN_TITLE
    assert not at.warning
    assert auth.CLEAR_COOKIE_KEY in at.session_state
