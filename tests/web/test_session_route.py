"""web/session.py through Starlette's TestClient: a handoff code becomes an HttpOnly, SameSite=Strict session
cookie (Secure behind https), once; other sites cannot ask; clearing spares a cookie that is still live."""
import pytest

pytest.importorskip("httpx2")  # Starlette's TestClient needs it (requirements-dev.txt)

from starlette.applications import Starlette  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from data import accounts  # noqa: E402
from ui import auth  # noqa: E402
from web import session  # noqa: E402

ORIGIN = {"Origin": "http://testserver"}


@pytest.fixture()
def client(demo_db_path):
    return TestClient(Starlette(routes=session.routes()))


@pytest.fixture()
def handoff(con):
    """A fresh sign-in of the demo commander and the code its page would hand the browser."""
    user = accounts.authenticate(con, "commander", "demo-commander-2026")
    session_id = accounts.start_session(con, user)
    return session_id, accounts.issue_handoff(con, session_id)


def _set_cookie(response) -> str:
    return "; ".join(v for k, v in response.headers.multi_items() if k == "set-cookie")


def test_the_page_and_the_route_agree_on_the_path():
    assert auth.SESSION_ROUTE == session.PATH


def test_a_handoff_code_becomes_an_http_only_strict_cookie_once(client, handoff):
    session_id, code = handoff
    response = client.post(session.PATH, json={"code": code}, headers=ORIGIN)
    assert response.status_code == 204
    header = _set_cookie(response)
    assert header.startswith(f"{accounts.SESSION_COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/", f"Max-Age={accounts.MAX_SESSION_HOURS * 3600}"):
        assert attribute in header, header
    assert "Secure" not in header, "plain http: a Secure cookie would never come back"
    token = response.cookies[accounts.SESSION_COOKIE]
    assert token not in (code, session_id), "the cookie is a token of its own"
    again = client.post(session.PATH, json={"code": code}, headers=ORIGIN)
    assert again.status_code == 400 and not _set_cookie(again)


def test_behind_an_https_proxy_the_cookie_is_secure(client, handoff):
    response = client.post(session.PATH, json={"code": handoff[1]},
                           headers={**ORIGIN, "X-Forwarded-Proto": "https"})
    assert response.status_code == 204
    assert "Secure" in _set_cookie(response)


@pytest.mark.parametrize("headers", [{}, {"Origin": "https://elsewhere.example"}])
def test_another_site_cannot_plant_a_session(client, handoff, headers):
    response = client.post(session.PATH, json={"code": handoff[1]}, headers=headers)
    assert response.status_code == 403 and not _set_cookie(response)


def test_a_form_post_is_refused(client, handoff):
    """Only JSON: a cross-site HTML form cannot send it without the browser asking first (CORS preflight)."""
    response = client.post(session.PATH, data={"code": handoff[1]}, headers=ORIGIN)
    assert response.status_code == 403


def test_clearing_drops_a_dead_cookie_and_spares_a_live_one(client, con, handoff):
    session_id, code = handoff
    client.post(session.PATH, json={"code": code}, headers=ORIGIN)
    live = client.delete(session.PATH, headers=ORIGIN)
    assert live.status_code == 204 and not _set_cookie(live), "a newer sign-in of another tab stays"
    accounts.end_session(con, session_id)  # what signing out does first
    dead = client.delete(session.PATH, headers=ORIGIN)
    assert dead.status_code == 204
    assert _set_cookie(dead).startswith(f'{accounts.SESSION_COOKIE}=""') and "Max-Age=0" in _set_cookie(dead)
    assert client.delete(session.PATH).status_code == 403, "other sites cannot clear it either"
