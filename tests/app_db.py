"""Fixtures for tests that read the demo database in a session where AppTest may already have opened it.

DuckDB refuses a read-only connection to a file this process already holds read-write (the app's own
connection, opened by any AppTest), so these tests share the app's connection instead. Import the fixtures
into a test module to override conftest's `con` and `demo_now` there."""
from datetime import datetime

import pytest


@pytest.fixture()
def con(demo_db_path):
    from ui import database
    return database.cursor()


@pytest.fixture()
def demo_now(con) -> datetime:
    return datetime.fromisoformat(con.execute("SELECT value FROM meta WHERE key = 'demo_now'").fetchone()[0])


def private_copy(demo_db_path, tmp_path_factory, name: str):
    """A read-only connection to a private copy of the demo database (with its log), independent of the app
    connection other tests hold on the original. For module fixtures: `yield from private_copy(...)`."""
    import shutil

    from data import db as database
    copy = tmp_path_factory.mktemp(name) / "copy.duckdb"
    shutil.copy(demo_db_path, copy)
    wal = demo_db_path.with_name(demo_db_path.name + ".wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + ".wal"))
    con = database.connect(copy, read_only=True)
    yield con
    con.close()
