"""Shared fixtures: one small demo database per test session, and a live app server for browser tests.

The database is real (the generator at a small scale), built once into a temp folder; ONEMAP_DB points
the app and AppTest at it, so no test touches data/onemap.duckdb."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_SCALE = 0.05  # ~16 k incidents: every code path, seconds to build
TEST_SEED = 7
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    from data import demo
    path = tmp_path_factory.mktemp("db") / "test.duckdb"
    demo.build(path, scale=TEST_SCALE, seed=TEST_SEED)
    os.environ["ONEMAP_DB"] = str(path)
    return path


@pytest.fixture(scope="session")
def demo_now(demo_db_path) -> datetime:
    """The 'now' the test database was built at (its history ends here)."""
    from data import db
    con = db.connect(demo_db_path, read_only=True)
    try:
        value = con.execute("SELECT value FROM meta WHERE key = 'demo_now'").fetchone()[0]
    finally:
        con.close()
    return datetime.fromisoformat(value)


@pytest.fixture()
def con(demo_db_path):
    """A read-only connection to the session's demo database."""
    from data import db
    connection = db.connect(demo_db_path, read_only=True)
    yield connection
    connection.close()


@pytest.fixture()
def app_test(demo_db_path):
    """Factory: AppTest of a script against the test database (streamlit caches cleared between tests)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def make(script: str = "app.py", **query_params) -> AppTest:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / script), default_timeout=60)
        for key, value in query_params.items():
            at.query_params[key] = value
        return at

    return make


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(demo_db_path):
    """A real `streamlit run app.py` on a free local port, against the test database."""
    port = _free_port()
    env = {**os.environ, "ONEMAP_DB": str(demo_db_path)}
    log = open(ARTIFACTS.parent / ".app_server.log", "w") if ARTIFACTS.parent.exists() else subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1",
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
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
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
