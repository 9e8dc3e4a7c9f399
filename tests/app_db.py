"""Fixtures for tests that read the demo database in a session where AppTest may already have opened it.

DuckDB refuses a read-only connection to a file this process already holds read-write (the app's own
connection, opened by any AppTest), so these tests share the app's connection instead. Import the fixtures
into a test module to override conftest's `con` and `demo_now` there."""
from datetime import datetime

import pytest


@pytest.fixture()
def con(demo_db_path):
    from ui import state
    return state.cursor()


@pytest.fixture()
def demo_now(con) -> datetime:
    return datetime.fromisoformat(con.execute("SELECT value FROM meta WHERE key = 'demo_now'").fetchone()[0])
