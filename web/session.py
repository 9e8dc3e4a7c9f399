"""The browser's session cookie, so a reload (F5) keeps the sign-in.

A Streamlit page cannot set an HttpOnly cookie (its output travels over the websocket), so after a sign-in
the page hands its browser a one-time code (ui/auth.py) that the browser trades here:

    POST   /auth/session  {"code": "..."}  -> 204, Set-Cookie: onemap_session=<token>; HttpOnly; SameSite=Strict
    DELETE /auth/session                   -> 204, the cookie cleared, unless it still leads to a live session

The cookie is only a pointer: every page run re-checks its session in user_sessions (ui/auth.py), so signing
out, expiry and disabling an account end it on the server whatever the browser keeps."""
from __future__ import annotations

from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from data import accounts
from data.accounts import AccountError

PATH = "/auth/session"


def routes() -> list[Route]:
    return [Route(PATH, create, methods=["POST"]), Route(PATH, clear, methods=["DELETE"])]


def _is_https(request: Request) -> bool:
    """Served over https, directly or behind a proxy that says so: the cookie is then marked Secure."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _same_origin(request: Request) -> bool:
    """Only the app's own pages may ask: a cross-site page must not plant its session in a victim's browser
    (login CSRF). Browsers send Origin with every fetch POST/DELETE; its host must be this host."""
    origin = request.headers.get("origin")
    hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")} - {None}
    return origin is not None and urlsplit(origin).netloc in hosts


def _cursor():
    """The app's own connection, None before the app ever opened its database (nothing to sign in to)."""
    from ui import database  # at request time: imported with serve.py, its caches would predate the runtime
    if not database.path().exists():
        return None
    return database.cursor()


def _redeem(code: str) -> tuple[str, int] | None:
    con = _cursor()
    if con is None:
        return None
    try:
        return accounts.redeem_handoff(con, code)
    except AccountError:
        return None
    finally:
        con.close()


def _live(token: str | None) -> bool:
    con = _cursor()
    if con is None or not token:
        return False
    try:
        return accounts.cookie_is_live(con, token)
    finally:
        con.close()


async def create(request: Request) -> Response:
    if not _same_origin(request) or request.headers.get("content-type", "").split(";")[0] != "application/json":
        return Response(status_code=403)
    try:
        body = await request.json()
    except ValueError:
        return Response(status_code=400)
    code = body.get("code") if isinstance(body, dict) else None
    redeemed = await run_in_threadpool(_redeem, code) if isinstance(code, str) else None
    if redeemed is None:
        return Response(status_code=400)
    token, max_age = redeemed
    response = Response(status_code=204)
    response.set_cookie(accounts.SESSION_COOKIE, token, max_age=max_age, path="/", secure=_is_https(request),
                        httponly=True, samesite="strict")
    return response


async def clear(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    if await run_in_threadpool(_live, request.cookies.get(accounts.SESSION_COOKIE)):
        return Response(status_code=204)  # a newer sign-in in another tab of this browser: leave it
    response = Response(status_code=204)
    response.delete_cookie(accounts.SESSION_COOKIE, path="/", secure=_is_https(request), httponly=True,
                           samesite="strict")
    return response
