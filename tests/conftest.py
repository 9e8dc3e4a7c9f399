"""Shared fixtures: one small demo database per test session, and a live app server for browser tests.

The database is real (the generator at a small scale), built once into a temp folder; ONEMAP_DB points
the app and AppTest at it, so no test touches data/onemap.duckdb."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from data import clock

ROOT = Path(__file__).resolve().parent.parent
TEST_SCALE = 0.05  # ~16 k incidents: every code path, seconds to build
TEST_SEED = 7
ARTIFACTS = ROOT / "tests" / "artifacts"
# The one instant the suite lives at: the test database's history ends here and the app's clock (data/clock.py)
# is pinned to it, in this process and in the app servers it starts, so no result depends on the day or hour
# the suite runs. tests/data/test_demo_calendar.py builds the demo at the instants that break calendars.
PACK_DIR = Path(__file__).resolve().parent / "packs" / "ebian"
TEST_NOW = datetime(2026, 11, 25, 10, 37)  # after the sample exports in data/formats; a Wednesday, off the hour
os.environ[clock.PIN_VARIABLE] = TEST_NOW.isoformat(sep=" ")


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    from data import demo
    path = tmp_path_factory.mktemp("db") / "test.duckdb"
    demo.build(path, scale=TEST_SCALE, seed=TEST_SEED, now=TEST_NOW)
    os.environ["ONEMAP_DB"] = str(path)
    return path


@pytest.fixture(scope="session")
def demo_now(demo_db_path) -> datetime:
    """The 'now' the test database was built at (its history ends here), and the app's clock."""
    return TEST_NOW


@pytest.fixture()
def con(demo_db_path):
    """A cursor of the app's own connection to the session's demo database. DuckDB gives a process one
    configuration per file, and AppTests open the app's connection in this process: every test shares it.
    A test that writes takes a copy (db_copy)."""
    from ui import database
    return database.cursor()


@pytest.fixture(scope="session")
def db_copy(demo_db_path, tmp_path_factory):
    """Factory: a private copy of the demo database (with its log) in a fresh folder, for a test that writes or
    needs a connection of its own; returns the copy's path."""
    def make(name: str = "copy") -> Path:
        copy = tmp_path_factory.mktemp(name) / f"{name}.duckdb"
        shutil.copyfile(demo_db_path, copy)
        wal = Path(str(demo_db_path) + ".wal")
        if wal.exists():
            shutil.copyfile(wal, str(copy) + ".wal")
        return copy

    return make


@pytest.fixture(scope="module")
def snapshot(db_copy, request):
    """A read-only connection to a private copy of the demo database for one test module: the answers it
    compares cannot move while other tests write to the shared database."""
    from data import db
    connection = db.connect(db_copy(request.module.__name__.rsplit(".", 1)[-1]), read_only=True)
    yield connection
    connection.close()


def sign_in_as(at, role: str | None) -> None:
    """Put a real signed-in session of the demo account with this role into an AppTest (server-side record
    in user_sessions, as the sign-in form makes it). role "wall" uses the demo wall token in the URL;
    None leaves the AppTest signed out."""
    if role is None:
        return
    from data import accounts
    from ui import auth, database
    con = database.cursor()  # the app's own connection: creates the demo accounts when it opens
    if role == "wall":
        at.query_params["screen"] = "wall"
        at.query_params["token"] = accounts.DEMO_WALL_TOKEN
        return
    username, password = next((u, p) for u, p, r, _ in accounts.DEMO_ACCOUNTS if r == role)
    user = accounts.authenticate(con, username, password)
    at.session_state[auth.SESSION_KEY] = accounts.start_session(con, user)


def default_role_for(script: str) -> str | None:
    """The first role in data/roles.py that may open this page (app.py: the commander)."""
    from data import roles
    page = Path(script).stem
    if page not in roles.PAGES:
        return "commander"
    return next(r for r in roles.ROLES if roles.may_open(r, page))


@pytest.fixture()
def memory_db():
    """An empty OneMap schema (code tables filled) in memory: for tests that build their own rows."""
    from data import db
    connection = db.connect(":memory:")
    db.create_schema(connection)
    yield connection
    connection.close()


@pytest.fixture()
def app_test(demo_db_path):
    """Factory: AppTest of a script against the test database (streamlit caches cleared between tests),
    signed in as `role` (default: the first role allowed on the page; None: signed out)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def make(script: str = "app.py", role: str | None = "default", **query_params) -> AppTest:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / script), default_timeout=60)
        for key, value in query_params.items():
            at.query_params[key] = value
        sign_in_as(at, default_role_for(script) if role == "default" else role)
        return at

    return make


def _free_port() -> int:
    """A free local port; ONEMAP_TEST_PORTS=8691-8699 keeps the app servers of a run within that range."""
    wanted = os.environ.get("ONEMAP_TEST_PORTS", "")
    candidates = range(int(wanted.split("-")[0]), int(wanted.split("-")[-1]) + 1) if wanted else [0]
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in ONEMAP_TEST_PORTS={wanted}")


@pytest.fixture(scope="session")
def app_url(demo_db_path):
    """The app as run.sh starts it (`streamlit run serve.py`) on a free local port, against the test database."""
    # Browser sessions start signed in as the commander's demo account (?demo_role=<role> picks another);
    # ui/auth.py honours this only on a demo database. Sign-in itself is tested in tests/test_auth_browser.py.
    # The server gets its own copy of the database: DuckDB lets one process write a file, and both the
    # server (sign-in sessions, audit rows) and this test process (AppTests, ingest tests) write.
    server_db = demo_db_path.with_name("server.duckdb")
    if not server_db.exists():
        for suffix in ("", ".wal"):
            source = Path(str(demo_db_path) + suffix)
            if source.exists():
                shutil.copyfile(source, str(server_db) + suffix)
    env = {**os.environ, "ONEMAP_DB": str(server_db), "ONEMAP_DEMO_AUTO_SIGN_IN": "commander"}
    log = open(ARTIFACTS.parent / ".app_server.log", "w") if ARTIFACTS.parent.exists() else subprocess.DEVNULL
    with serve_app(env, log) as url:
        yield url


@contextlib.contextmanager
def serve_app(env: dict, log=subprocess.DEVNULL):
    """`streamlit run serve.py` (app.py and the session-cookie routes of web/, as run.sh starts it) on a free
    local port with env (ONEMAP_DB ...); yields its URL, stops it after."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def county_pack_db(tmp_path_factory) -> Path:
    """The second county (tests/packs/ebian: 峨边彝族自治县, Sichuan) built from its files by data.county.pack:
    other formats and coordinate systems than the demo, so no test passes on Qingyuan-only assumptions."""
    from data.county import pack
    out = tmp_path_factory.mktemp("county_pack") / "ebian.duckdb"
    pack.build(PACK_DIR, out)
    return out


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
