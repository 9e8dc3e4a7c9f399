"""Sign-in as the app does it (AppTest against the demo database): the form, lock-out, expiry, wall tokens,
audit rows for full views, and the administration page."""
from datetime import timedelta

import pytest

import i18n
from data import accounts
from ui import auth, database


def tr(key, **values):
    return i18n.translate(key, "zh-CN", **values)


# The sign-in page names the county of the database: the demo's (its county row) here.
SIGN_IN_TITLE = tr("auth.sign_in_title", title=tr("app.title", county="庆元县"))


@pytest.fixture()
def app_con(demo_db_path):
    """The app's own connection (this process already holds the file read-write through AppTest)."""
    return database.cursor()


def sign_in(at, username, password):
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click()
    return at.run()


def test_sign_in_form_lets_the_right_password_in(app_test):
    at = app_test("app.py", role=None).run()
    assert at.title[0].value == SIGN_IN_TITLE
    at = sign_in(at, "leader", "demo-leader-2026")
    assert not at.exception, at.exception
    assert at.title[0].value != SIGN_IN_TITLE, "the home page is shown"
    assert auth.SESSION_KEY in at.session_state
    assert at.session_state[auth.USER_KEY].role == "leader"


def test_wrong_password_then_lock_out_in_the_form(app_test, app_con):
    username = "lockme"
    if not app_con.execute("SELECT count(*) FROM users WHERE username = ?", [username]).fetchone()[0]:
        accounts.create_user(app_con, username, "a long enough password", "analyst")
    at = app_test("app.py", role=None).run()
    for attempt in range(accounts.MAX_FAILURES):
        at = sign_in(at, username, "not the password")
        expected = ("auth.error.locked" if attempt == accounts.MAX_FAILURES - 1 else "auth.error.bad_credentials")
        assert [e.value for e in at.error] == [tr(expected, n=accounts.MAX_FAILURES,
                                                  minutes=accounts.LOCK_MINUTES)]
    at = sign_in(at, username, "a long enough password")
    assert [e.value for e in at.error][0].startswith(tr("auth.error.locked", n=accounts.MAX_FAILURES,
                                                        minutes=accounts.LOCK_MINUTES)[:8])
    assert auth.SESSION_KEY not in at.session_state
    accounts.unlock(app_con, username, by="test")


def test_empty_form_gets_a_message_not_an_error(app_test):
    at = app_test("app.py", role=None).run()
    at = sign_in(at, "", "")
    assert [e.value for e in at.error] == [tr("auth.error.missing")]


def test_an_ended_session_sends_the_browser_back_to_the_form(app_test, app_con):
    at = app_test("pages/risk.py", role="analyst")
    at.run()
    assert at.title[0].value != SIGN_IN_TITLE
    accounts.end_session(app_con, at.session_state[auth.SESSION_KEY])  # as expiry or a disabled account does
    at.run()
    assert at.title[0].value == SIGN_IN_TITLE
    assert tr("auth.notice.expired") in [w.value for w in at.warning]


def test_wall_token_opens_the_one_map_and_nothing_else(app_test):
    at = app_test("app.py", role="wall").run()
    assert not at.exception, at.exception
    assert at.session_state[auth.USER_KEY].role == "wall"
    assert at.title[0].value != SIGN_IN_TITLE
    assert not at.button, "nothing to press on a wall screen (no sign-out, no forms)"


@pytest.mark.parametrize("token", ["forged-token-forged-token-forged-token",
                                   accounts.DEMO_WALL_TOKEN[:-1], ""])
def test_forged_wall_token_is_refused(app_test, token):
    at = app_test("app.py", role=None, screen="wall", token=token).run()
    assert not at.exception
    assert at.title[0].value == SIGN_IN_TITLE
    assert not at.text_input, "a wall screen gets no password form"
    if token:
        assert tr("auth.notice.bad_token") in [w.value for w in at.warning]


def test_revoked_or_expired_wall_token_stops_working_on_the_next_run(app_test, app_con):
    token_id, token = accounts.create_wall_token(app_con, "test hall", "test")
    at = app_test("app.py", role=None, screen="wall", token=token).run()
    assert at.session_state[auth.USER_KEY].role == "wall"
    accounts.revoke_wall_token(app_con, token_id, "test")
    at.run()
    assert at.title[0].value == SIGN_IN_TITLE
    _, short = accounts.create_wall_token(app_con, "expired hall", "test", days=1)
    assert accounts.check_wall_token(app_con, short).role == "wall"
    with pytest.raises(accounts.AccountError):
        accounts.check_wall_token(app_con, short, at=accounts.now() + timedelta(days=366))


def _audit_script():
    """A page that shows one caller in full, the way a page with the view_personal right should."""
    import streamlit as st

    from ui import auth
    auth.signed_in_user()
    if auth.show_personal(incident_id=424242, detail="caller of incident 424242"):
        st.write("full")
    else:
        st.write("masked")


@pytest.mark.parametrize("role,full", [("duty_officer", True), ("commander", True), ("analyst", False),
                                       ("leader", False), ("admin", False)])
def test_full_view_is_for_the_right_roles_and_is_audited(app_test, app_con, role, full):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(_audit_script, default_timeout=60)
    from tests.conftest import sign_in_as
    sign_in_as(at, role)
    before = app_con.execute("SELECT coalesce(max(audit_id), 0) FROM audit_log").fetchone()[0]
    at.run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == ("full" if full else "masked")
    rows = app_con.execute("SELECT username, role, action, incident_id FROM audit_log WHERE audit_id > ? "
                           "AND action = 'view_personal'", [before]).fetchall()
    username = next(u for u, _, r, _ in accounts.DEMO_ACCOUNTS if r == role)
    assert rows == ([(username, role, "view_personal", 424242)] if full else [])
    assert accounts.verify_audit_chain(app_con) is None


def test_admin_creates_a_user_and_revokes_a_wall_token(app_test, app_con):
    at = app_test("pages/admin.py", role="admin")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == tr("admin.title")
    assert tr("admin.audit_chain_ok", n="")[:6] in " ".join(s.value for s in at.success)
    form_inputs = at.text_input
    form_inputs[0].input("newbie")
    form_inputs[1].input("新同事")
    form_inputs[2].input("a long enough password")
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    assert tr("admin.created", username="newbie") in [s.value for s in at.success]
    assert accounts.authenticate(app_con, "newbie", "a long enough password").role == "commander"
    creator = app_con.execute("SELECT username FROM audit_log WHERE action = 'user_created' "
                              "AND detail LIKE 'newbie%'").fetchone()[0]
    assert creator == "admin"


OIDC_SECRETS = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                "client_id": "onemap", "client_secret": "s",
                "server_metadata_url": "http://idp.invalid/.well-known/openid-configuration"}


def _signed_in_by_provider(app_test, email: str):
    """The app after the identity provider signed `email` in (nobody signed in locally)."""
    at = app_test("app.py", role=None)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    assert not at.exception, at.exception
    return at


def test_oidc_user_gets_the_local_account_of_that_name(app_test):
    at = _signed_in_by_provider(app_test, "duty@qingyuan.gov.cn")
    assert at.session_state[auth.USER_KEY].username == "duty"
    assert at.session_state[auth.USER_KEY].role == "duty_officer"


def test_oidc_user_without_a_local_account_is_refused(app_test):
    at = _signed_in_by_provider(app_test, "stranger@example.com")
    assert at.session_state[auth.USER_KEY] is None
    assert tr("auth.notice.oidc_no_local_account") in [w.value for w in at.warning]
    assert any(b.label == tr("auth.oidc_sign_in") for b in at.button)


def test_provider_identity_is_ignored_when_no_provider_is_configured(app_test):
    at = app_test("app.py", role=None)
    at.user = {"is_logged_in": True, "email": "admin@qingyuan.gov.cn"}
    at.run()
    assert at.session_state[auth.USER_KEY] is None
    assert at.title[0].value == SIGN_IN_TITLE


def _export_script():
    from ui import auth
    auth.signed_in_user()
    auth.export_button("download", b"incident_id,caller_phone\n1,138****1234\n", "test_export.csv",
                       detail="1 row, masked", key="test_export")


@pytest.mark.parametrize("role,allowed", [("analyst", True), ("commander", True), ("admin", False),
                                          ("wall", False)])
def test_export_button_needs_the_right_and_each_download_is_audited(app_con, role, allowed):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import sign_in_as
    at = AppTest.from_function(_export_script, default_timeout=60)
    sign_in_as(at, role)
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == (1 if allowed else 0)
    if not allowed:
        return
    before = app_con.execute("SELECT coalesce(max(audit_id), 0) FROM audit_log").fetchone()[0]
    at.get("download_button")[0].click()
    at.run()
    rows = app_con.execute("SELECT username, role, action, detail FROM audit_log WHERE audit_id > ? "
                           "AND action = 'export'", [before]).fetchall()
    username = next(u for u, _, r, _ in accounts.DEMO_ACCOUNTS if r == role)
    assert rows == [(username, role, "export", "test_export.csv; 1 row, masked")]
