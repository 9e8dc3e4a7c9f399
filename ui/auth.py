"""Sign-in, roles and the audit trail, as the pages use them.

    from ui import auth
    if auth.can("view_personal"): ...            # one of data/roles.py ACTIONS
    auth.audit("export", detail="analysis.csv")  # who/when/from where are filled in here
    if auth.show_personal(incident_id=42): ...    # full caller data: permitted roles only, audited
    auth.export_button(label, data, "report.pdf", detail="masked")  # export right checked, download audited
    user = auth.current_user()                    # data.accounts.User or None

Everything is decided on the server: the role table is data/roles.py, the signed-in user lives in the
server-side session (st.session_state) and is re-checked against user_sessions / wall_tokens in the
database on every page run, so expiry, disabling an account and revoking a wall token all take effect on
the next run. Every page starts with ui.navigation.require(page), which calls enforce(). A reload starts a
new server session: the HttpOnly session cookie (web/session.py sets it after a sign-in through the form)
leads it back to the same user_sessions row, checked the same way."""
from __future__ import annotations

import os
import secrets
import time

import streamlit as st

import settings
from data import accounts, roles
from data.accounts import AccountError, User
from ui import county, database
from ui.language import t

SESSION_KEY = "auth_session"   # the id of the user_sessions row of this browser session
USER_KEY = "auth_user"         # the User checked on this run
WALL_KEY = "auth_wall_token"   # a wall screen's token (kept so a rerun without the URL still works)
NOTICE_KEY = "auth_notice"     # why the sign-in form is shown again (expired, signed out)
AUTO_SIGN_IN_ENV = "ONEMAP_DEMO_AUTO_SIGN_IN"
SESSION_ROUTE = "/auth/session"  # web/session.py (served by serve.py)
SIGNED_OUT_KEY = "auth_signed_out"  # this browser session signed out: no demo auto sign-in any more
HANDOFF_KEY = "auth_handoff"   # (one-time code, monotonic deadline) for the browser to trade for the cookie
COOKIE_TRIED_KEY = "auth_cookie_tried"  # the cookie of this page load was looked at (it cannot change until F5)
CLEAR_COOKIE_KEY = "auth_clear_cookie"  # a dead cookie to clear: a nonce, so each sign-out clears once


# ------------------------------------------------------------------ request
def client_address() -> str | None:
    """Where the request came from: the proxy's X-Forwarded-For if any, else the socket peer."""
    try:
        forwarded = st.context.headers.get("X-Forwarded-For")
        address = forwarded.split(",")[0].strip() if isinstance(forwarded, str) and forwarded else None
        address = address or st.context.ip_address
    except Exception:  # no browser (bare mode): nothing to record
        return None
    return address if isinstance(address, str) else None  # AppTest hands out stand-in objects


# ------------------------------------------------------------------ the API pages call
def current_user() -> User | None:
    """The user of this run (set by enforce()); None before sign-in."""
    return st.session_state.get(USER_KEY)


def role() -> str | None:
    user = current_user()
    return user.role if user else None


def can(action: str) -> bool:
    """May the signed-in user do this action (view_personal, export, edit_roster, import_data, manage_users)?"""
    return roles.may(role(), action)


def may_open(page: str) -> bool:
    return roles.may_open(role(), page)


def audit(action: str, incident_id: int | None = None, detail: str | None = None) -> int:
    """Write one audit row for the signed-in user: e.g. audit("view_personal", incident_id=123),
    audit("export", detail="analysis.xlsx, 1,234 rows, personal data in full")."""
    user = current_user()
    return accounts.audit(database.cursor(), user.username if user else "?", user.role if user else None, action,
                          incident_id=None if incident_id is None else int(incident_id), detail=detail,
                          client=client_address())


def show_personal(incident_id: int | None = None, detail: str | None = None) -> bool:
    """The full-view path for caller names and phones: True only when the role may view personal data, and
    then the view is written to the audit log. Call it where the full values are about to be shown (an
    explicit "show in full" action, not on every rerun); everything else stays masked."""
    if not can("view_personal"):
        return False
    audit("view_personal", incident_id=incident_id, detail=detail)
    return True


def export_button(label: str, data, file_name: str, detail: str | None = None, container=st, **kwargs) -> bool:
    """st.download_button for an export: shown only to roles with the export right, and each download is
    written to the audit log (who, when, from where, which file, plus `detail`, e.g. rows and whether masked).
    Extra keyword arguments go to st.download_button (mime, icon, key, ...)."""
    if not can("export"):
        return False
    what = f"{file_name}; {detail}" if detail else file_name
    return container.download_button(label, data, file_name=file_name,
                                     on_click=lambda: audit("export", detail=what), **kwargs)


def require(action: str) -> None:
    """Stop the run with a message unless the user may do the action (for a button's server-side path)."""
    if not can(action):
        st.error(t("auth.forbidden_action"))
        st.stop()


# ------------------------------------------------------------------ enforcement
def _check_user() -> User | None:
    """Re-validate the browser session's sign-in (or wall token) against the database."""
    token = st.query_params.get("token") or st.session_state.get(WALL_KEY)
    if token:
        try:
            user = accounts.check_wall_token(database.cursor(), token)
        except AccountError:
            st.session_state.pop(WALL_KEY, None)
            st.session_state.pop(USER_KEY, None)
            st.session_state[NOTICE_KEY] = "bad_token"
            return None
        if st.session_state.get(WALL_KEY) != token:  # first run of this screen: one audit row, not one per refresh
            accounts.audit(database.cursor(), user.username, "wall", "wall_sign_in", detail=user.display_name,
                           client=client_address())
            st.session_state[WALL_KEY] = token
        return user
    session_id = st.session_state.get(SESSION_KEY)
    if not session_id:
        session_id = _cookie_sign_in() or _oidc_sign_in() or _demo_auto_sign_in()
    if not session_id:
        return None
    try:
        return accounts.check_session(database.cursor(), session_id)
    except AccountError:
        st.session_state.pop(SESSION_KEY, None)
        st.session_state[NOTICE_KEY] = "expired"
        return None


def signed_in_user() -> User | None:
    """Check this browser session's sign-in against the database and remember the answer for the run."""
    user = _check_user()
    st.session_state[USER_KEY] = user
    return user


def _session_cookie() -> str | None:
    try:
        value = st.context.cookies.get(accounts.SESSION_COOKIE)
    except Exception:  # no browser (bare mode)
        return None
    return value if isinstance(value, str) else None


def _cookie_sign_in() -> str | None:
    """A reloaded tab (or a new one) of a browser that signed in through the form: its session cookie leads
    back to the user_sessions row. Looked at once per browser session, so the audit row session_resumed is
    written once per page load, not per rerun; st.context.cookies holds what the browser sent when the page
    loaded, so looking again would find the same."""
    if st.session_state.get(SIGNED_OUT_KEY) or st.session_state.get(COOKIE_TRIED_KEY):
        return None
    st.session_state[COOKIE_TRIED_KEY] = True
    token = _session_cookie()
    if not token:
        return None
    try:
        session_id, _ = accounts.resume_session(database.cursor(), token, client=client_address())
    except AccountError:  # ended, expired or unknown: the form, and the dead cookie goes
        st.session_state[CLEAR_COOKIE_KEY] = secrets.token_hex(8)
        return None
    st.session_state[SESSION_KEY] = session_id
    return session_id


_COOKIE_JS = """
export default function ({ data }) {
  // Streamlit may render the element again on every run: one request per code (or clearing) and page load
  const once = `${data.method} ${data.nonce}`;
  if (window.__onemapSessionCookie === once) return;
  window.__onemapSessionCookie = once;
  const init = { method: data.method, credentials: "same-origin" };
  if (data.code) {
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify({ code: data.code });
  }
  fetch(data.url, init).catch(() => { window.__onemapSessionCookie = undefined; });
}
"""


def session_cookie_sync() -> None:
    """After a sign-in through the form: the browser trades the one-time code for the HttpOnly session cookie.
    After signing out (or finding a dead cookie): the browser asks for the cookie to be cleared. Both through
    a few lines of JavaScript (components v2, no iframe) calling web/session.py; nothing is drawn."""
    handoff = st.session_state.get(HANDOFF_KEY)
    if handoff and time.monotonic() >= handoff[1]:
        st.session_state.pop(HANDOFF_KEY, None)
        handoff = None
    clear = st.session_state.get(CLEAR_COOKIE_KEY)
    if handoff:
        data = {"method": "POST", "url": SESSION_ROUTE, "code": handoff[0], "nonce": handoff[0][:12]}
    elif clear and current_user() is None:
        data = {"method": "DELETE", "url": SESSION_ROUTE, "nonce": clear}
    else:
        return
    # registering an identical definition again is a no-op; it keeps each AppTest runtime supplied
    component = st.components.v2.component("onemap_session_cookie", js=_COOKIE_JS)
    with st.sidebar:
        component(data=data, key="onemap_session_cookie", height=0)


def oidc_configured() -> bool:
    """An identity provider is set up for st.login ([auth] in .streamlit/secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _oidc_sign_in() -> str | None:
    """A browser that signed in at the identity provider (st.login) gets the local account named by the
    configured claim ([auth] oidc_username_claim in onemap.toml; default: the part of the e-mail before @).
    Only when OIDC is configured, so nothing else can pose as a provider's user."""
    if not oidc_configured() or st.session_state.get(SIGNED_OUT_KEY):
        return None
    info = st.user.to_dict()
    if info.get("is_logged_in") is not True:
        return None
    claim = settings.load().get("auth", {}).get("oidc_username_claim", "email")
    value = str(info.get(claim) or "")
    username = value.split("@")[0] if claim == "email" else value
    con = database.cursor()
    try:
        user = accounts.external_user(con, username, "oidc", client=client_address())
    except AccountError as exc:
        st.session_state[NOTICE_KEY] = f"oidc_{exc.code}"
        return None
    session_id = accounts.start_session(con, user, client=client_address(), source="oidc")
    st.session_state[SESSION_KEY] = session_id
    return session_id


def _demo_auto_sign_in() -> str | None:
    """ONEMAP_DEMO_AUTO_SIGN_IN=<role> (browser tests, screenshots): sign this browser in as that role's demo
    account, ?demo_role=<role> choosing another. Honoured only on a demo database, whose demo passwords are
    published in README.md anyway, so it opens nothing that was closed; elsewhere it is ignored."""
    wanted = os.environ.get(AUTO_SIGN_IN_ENV)
    if not wanted or st.session_state.get(SIGNED_OUT_KEY):  # signing out means it, here too
        return None
    wanted = st.query_params.get("demo_role") or wanted
    con = database.cursor()
    demo = {r: (u, p) for u, p, r, _ in accounts.DEMO_ACCOUNTS}
    if wanted not in demo or not accounts.is_demo_database(con):
        return None
    try:
        user = accounts.authenticate(con, *demo[wanted], client=client_address())
    except AccountError:  # changed or locked demo account: the form it is
        return None
    session_id = accounts.start_session(con, user, client=client_address())
    st.session_state[SESSION_KEY] = session_id
    return session_id


def enforce(page: str) -> User:
    """Sign-in gate and page permission (data/roles.py; an unknown page key is an error, never open).
    Returns the user; otherwise shows the form or a refusal and stops."""
    user = signed_in_user()
    if user is None:
        sign_in_form()
        st.stop()
    if not roles.may_open(user.role, page):
        st.error(t("auth.forbidden_page"))
        st.stop()
    return user


def sign_in_form() -> None:
    st.title(t("auth.sign_in_title", title=county.title()))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.warning(t(f"auth.notice.{notice}"))
    if st.query_params.get("screen") == "wall":
        st.info(t("auth.wall_needs_token"))
        return
    if oidc_configured():
        if st.session_state.get(SIGNED_OUT_KEY) and st.user.to_dict().get("is_logged_in") is True:
            st.logout()  # signing out of OneMap also ends the provider sign-in held in this browser's cookie
        if st.button(t("auth.oidc_sign_in"), key="oidc_sign_in", type="primary"):
            st.login()
        st.caption(t("auth.or_local"))
    with st.form("sign_in", clear_on_submit=False):
        username = st.text_input(t("auth.username"), key="sign_in_username")
        password = st.text_input(t("auth.password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("auth.sign_in"), type="primary")
    if submitted:
        if not username.strip() or not password:
            st.error(t("auth.error.missing"))
            return
        con = database.cursor()
        try:
            user = accounts.authenticate(con, username, password, client=client_address())
        except AccountError as exc:
            st.error(t(f"auth.error.{exc.code}", minutes=accounts.LOCK_MINUTES, n=accounts.MAX_FAILURES))
            return
        session_id = accounts.start_session(con, user, client=client_address())
        st.session_state[SESSION_KEY] = session_id
        st.session_state[USER_KEY] = user
        st.session_state[HANDOFF_KEY] = (accounts.issue_handoff(con, session_id),
                                         time.monotonic() + accounts.HANDOFF_SECONDS)
        st.session_state.pop(CLEAR_COOKIE_KEY, None)
        st.rerun()  # the same page (a shared link's), with the URL's query parameters, now signed in


def sign_out() -> None:
    session_id = st.session_state.pop(SESSION_KEY, None)
    if session_id:
        accounts.end_session(database.cursor(), session_id, client=client_address())
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(HANDOFF_KEY, None)
    st.session_state[NOTICE_KEY] = "signed_out"
    st.session_state[SIGNED_OUT_KEY] = True
    # the session ended above, so the cookie is dead already; the browser still drops it (session_cookie_sync)
    st.session_state[CLEAR_COOKIE_KEY] = secrets.token_hex(8)


def sidebar_user_box() -> None:
    """Who is signed in, as which role, and the sign-out button (not on a wall screen: nobody types there)."""
    user = current_user()
    if user is None or user.role == "wall":
        return
    st.sidebar.caption(t("auth.signed_in_as", name=user.display_name, role=t(f"auth.role.{user.role}")))
    # a callback runs before the next script run starts, so a click made while the map is still drawing
    # (that run gets interrupted) still signs out
    st.sidebar.button(t("auth.sign_out"), key="sign_out", on_click=sign_out)
