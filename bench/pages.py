"""Whole-page run times through streamlit.testing (AppTest) and this process's peak RSS, as JSON on the
last stdout line. Run by bench/__main__.py in a subprocess with ONEMAP_DB set."""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["one_map", "analysis", "daily_report", "duty_desk", "resources", "risk"]


def run_page(name: str, reruns: int = 3) -> tuple[float, float, float]:
    """(first run, median warm rerun, median rerun after the data changed) in ms, signed in as a commander."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=300)
    at.session_state["_navigation_ready"] = True
    sign_in(at, "commander")
    t = time.perf_counter()
    at.run()
    first = (time.perf_counter() - t) * 1000
    if at.exception:
        raise RuntimeError(f"{name}: {at.exception}")
    if not at.title or at.title[0].value == "":
        raise RuntimeError(f"{name}: the page did not render (sign-in form?)")
    warm, refreshed = [], []
    for _ in range(reruns):
        t = time.perf_counter()
        at.run()
        warm.append((time.perf_counter() - t) * 1000)
        st.cache_data.clear()  # what a new import or live incident (a data-version bump) does to the caches
        t = time.perf_counter()
        at.run()
        refreshed.append((time.perf_counter() - t) * 1000)
    return first, statistics.median(warm), statistics.median(refreshed)


def sign_in(at, role: str) -> None:
    """A real server-side session of the role's demo account (sign-in itself is not what is measured)."""
    from data import accounts
    from ui import auth
    con = auth._con()
    username, password = next((u, p) for u, p, r, _ in accounts.DEMO_ACCOUNTS if r == role)
    at.session_state[auth.SESSION_KEY] = accounts.start_session(con, accounts.authenticate(con, username, password))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.parse_args()
    first, rerun, refresh = {}, {}, {}
    for name in PAGES:
        f, r, c = run_page(name)
        first[name], rerun[name], refresh[name] = round(f, 1), round(r, 1), round(c, 1)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first_run_ms": first, "rerun_ms": rerun, "refresh_ms": refresh, "rss_mb": rss_mb}))


if __name__ == "__main__":
    main()
