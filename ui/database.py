"""The app's DuckDB file: where it is, the demo built on first start, the one connection per process (schema
brought up to date when it opens), a cursor per session, and named queries cached on the data version."""
from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import settings
from data import accounts, db, demo
from data.ingest import inbox
from queries import runner
from ui.language import t

_build_lock = threading.Lock()
_ready_paths: set[str] = set()  # checked once per process, before the long-lived connection opens


def path() -> Path:
    return db.resolve_db_path(settings.load()["database"]["path"] or None)


def _build_demo_if_missing(target: Path) -> None:
    """First start: build the demo county (with a progress bar) when there is no database file at all.

    An existing file is never replaced, whatever it holds: it may be a real deployment's data, or a demo
    another process has open (the generator writes elsewhere and renames, so a file here is complete)."""
    if target.exists():
        return
    with _build_lock:  # two browser sessions on a fresh install must not both build
        if target.exists():
            return
        bar = st.progress(0.0, text=t("app.building_demo"))
        cfg = settings.load()["demo"]
        demo.build(target, scale=float(cfg["scale"]), seed=int(cfg["seed"]),
                   progress=lambda f, step: bar.progress(min(f, 1.0), text=t("app.build_step", step=step)))
        bar.empty()


@st.cache_resource(show_spinner=False)
def _connection(target: str) -> duckdb.DuckDBPyConnection:
    """One DuckDB instance per process; each thread (browser session) takes its own cursor from it.

    Opening it is the one place the schema of an older database is brought up to date and a demo database
    gets its sign-in accounts, so pages and queries can rely on every table. From then on the app is the
    file's one writer: CLI imports queue in the inbox and this process imports them (data/ingest/inbox.py)."""
    con = db.connect(target)
    db.upgrade(con)
    created = accounts.ensure_demo_accounts(con)
    if created:  # the operator at the terminal learns the demo sign-ins (README lists them too)
        print(accounts.demo_accounts_text(created), flush=True)
    inbox.start_watcher(con, target, float(settings.load()["wall"]["refresh_seconds"]))
    return con


def cursor() -> duckdb.DuckDBPyConnection:
    target = path()
    if str(target) not in _ready_paths:
        _build_demo_if_missing(target)
        _ready_paths.add(str(target))
    return _connection(str(target)).cursor()


def data_version() -> int:
    return db.data_version(cursor())


@st.cache_data(max_entries=512, ttl=3600, show_spinner=False)
def _cached_query(name: str, params: tuple, version: int) -> pd.DataFrame:
    del version  # part of the cache key only: a new import or edit makes every entry stale
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in params}
    return runner.run(cursor(), name, **values)


def query(name: str, **params) -> pd.DataFrame:
    """queries/<name>.sql with bound parameters, cached until the data version changes."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _cached_query(name, frozen, data_version())
