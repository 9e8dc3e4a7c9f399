"""Streamlit glue shared by the pages: the database, cached named queries, the UI language."""
from __future__ import annotations

import sys
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import i18n
import settings
from data import db, demo
from queries import runner

_build_lock = threading.Lock()
_ready_paths: set[str] = set()  # checked once per process, before the long-lived connection opens


def database_path():
    return db.resolve_db_path(settings.load()["database"]["path"] or None)


def ensure_database() -> None:
    """First start: build the demo county (with a progress bar) when there is no database file at all.

    An existing file is never replaced, whatever it holds: it may be a real deployment's data, or a demo
    another process has open (the generator writes elsewhere and renames, so a file here is complete)."""
    path = database_path()
    if path.exists():
        return
    with _build_lock:  # two browser sessions on a fresh install must not both build
        if path.exists():
            return
        bar = st.progress(0.0, text=t("app.building_demo"))
        cfg = settings.load()["demo"]
        demo.build(path, scale=float(cfg["scale"]), seed=int(cfg["seed"]),
                   progress=lambda f, step: bar.progress(min(f, 1.0), text=t("app.build_step", step=step)))
        bar.empty()


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """One DuckDB instance per process; each thread (browser session) takes its own cursor from it."""
    con = db.connect(path)
    # The app is the one writer while it runs: CLI imports queue in the inbox and this thread imports them
    # (data/ingest/inbox.py explains the sharing).
    from data.ingest import inbox
    inbox.start_watcher(con, path, float(settings.load()["wall"]["refresh_seconds"]))
    return con


def cursor() -> duckdb.DuckDBPyConnection:
    path = str(database_path())
    if path not in _ready_paths:
        ensure_database()
        _ready_paths.add(path)
    return _connection(path).cursor()


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


def lang() -> str:
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
        st.session_state["lang"] = wanted if wanted in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    return st.session_state["lang"]


def t(key: str, **values) -> str:
    return i18n.translate(key, lang(), **values)


def language_switch() -> str:
    """Sidebar selector; the choice also goes into the URL so a shared link keeps the language."""
    current = lang()
    options = list(i18n.LANGUAGES)
    chosen = st.sidebar.selectbox(t("app.language"), options, index=options.index(current),
                                  format_func=i18n.LANGUAGES.get, key="lang_select")
    if chosen != current:
        st.session_state["lang"] = chosen
        st.query_params["lang"] = chosen
        st.rerun()
    return chosen


def label(row: pd.Series | dict) -> str:
    """name_zh or name_en of a code-table row, by UI language."""
    return row[i18n.label_column(lang())]


def require_navigation(page: str | None = None) -> None:
    """Make a page opened by direct URL on a fresh server run under app.py's navigation, then enforce
    sign-in and the page permission (ui/auth.py; page defaults to the calling file's name in pages/).

    Streamlit's first session after start treats a folder named pages/ as old-style page files and runs
    the page without app.py (no page config, no language switch, file names as navigation). app.py sets
    a flag; a page that runs without it switches the process to app.py's navigation and reruns once."""
    if st.session_state.get("_navigation_ready"):
        from ui import auth  # late import: auth uses this module
        if page is None:  # the nearest file in pages/ up the stack (placeholders call from ui/)
            frame = sys._getframe(1)
            while frame is not None and Path(frame.f_code.co_filename).parent.name != "pages":
                frame = frame.f_back
            page = Path(frame.f_code.co_filename).stem if frame is not None else None
        auth.enforce(page)  # server-side: a direct URL to a page the role may not open stops here
        return
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False
    st.rerun()
