"""Whole-page run times through streamlit.testing (AppTest) and this process's peak RSS, as JSON on the
last stdout line. Run by bench/__main__.py in a subprocess with ONEMAP_DB set.

Two clocks per run: the page script's own body (start to end of the script, timed inside the run: what a
browser waits for) and AppTest.run() around it, which adds AppTest's own polling for widget deltas (0.7 s of
the duty desk's roster editor, whose body takes ~20 ms)."""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

import bench

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["one_map", "analysis", "daily_report", "duty_desk", "resources", "risk"]
# The wrapper script below, which AppTest runs in this process, appends each body's time here. It lives on the
# bench package: this file runs as __main__, so `bench.pages` imported by the wrapper would be another module.
bench.PAGE_BODY_MS = BODY_MS = []

_WRAPPER = """
import runpy, time
import bench
_t = time.perf_counter()
try:
    runpy.run_path({path!r}, run_name="__main__")
finally:  # st.stop() and st.rerun() end a run by raising
    bench.PAGE_BODY_MS.append((time.perf_counter() - _t) * 1000)
"""


def run_page(name: str, reruns: int = 3) -> dict[str, float]:
    """First run, median warm rerun and median rerun after the data changed, in ms, signed in as a commander:
    each as the script body's time (first/rerun/refresh) and as AppTest.run()'s (*_apptest)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_string(_WRAPPER.format(path=str(ROOT / "pages" / f"{name}.py")), default_timeout=300)
    sign_in(at, "commander")

    def timed() -> tuple[float, float]:
        BODY_MS.clear()
        t = time.perf_counter()
        at.run()
        wall = (time.perf_counter() - t) * 1000
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception}")
        return sum(BODY_MS), wall  # a fragment or st.rerun may run the body more than once

    first = timed()
    if not at.title or at.title[0].value == "":
        raise RuntimeError(f"{name}: the page did not render (sign-in form?)")
    warm, refreshed = [], []
    for _ in range(reruns):
        warm.append(timed())
        st.cache_data.clear()  # what a new import or live incident (a data-version bump) does to the caches
        refreshed.append(timed())
    med = lambda runs, k: round(statistics.median(r[k] for r in runs), 1)  # noqa: E731
    return {"first": round(first[0], 1), "rerun": med(warm, 0), "refresh": med(refreshed, 0),
            "first_apptest": round(first[1], 1), "rerun_apptest": med(warm, 1), "refresh_apptest": med(refreshed, 1)}


def sign_in(at, role: str) -> None:
    """A real server-side session of the role's demo account (sign-in itself is not what is measured)."""
    from data import accounts
    from ui import auth, database
    con = database.cursor()
    username, password = next((u, p) for u, p, r, _ in accounts.DEMO_ACCOUNTS if r == role)
    at.session_state[auth.SESSION_KEY] = accounts.start_session(con, accounts.authenticate(con, username, password))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.parse_args()
    out: dict[str, dict] = {}
    for name in PAGES:
        for key, ms in run_page(name).items():
            out.setdefault(key, {})[name] = ms
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first_run_ms": out["first"], "rerun_ms": out["rerun"], "refresh_ms": out["refresh"],
                      "apptest_ms": {k: out[f"{k}_apptest"] for k in ("first", "rerun", "refresh")},
                      "rss_mb": rss_mb}))


if __name__ == "__main__":
    main()
