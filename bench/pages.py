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


def run_page(name: str, reruns: int = 3) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=300)
    at.session_state["_navigation_ready"] = True
    for key, value in bench_session().items():
        at.session_state[key] = value
    t = time.perf_counter()
    at.run()
    first = (time.perf_counter() - t) * 1000
    if at.exception:
        raise RuntimeError(f"{name}: {at.exception}")
    samples = []
    for _ in range(reruns):
        t = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - t) * 1000)
    return first, statistics.median(samples)


def bench_session() -> dict:
    """Session state a signed-in analyst would have (sign-in is outside what is measured)."""
    try:
        from ui import auth
        return auth.test_session("analyst") if hasattr(auth, "test_session") else {}
    except ImportError:
        return {}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.parse_args()
    first, rerun = {}, {}
    for name in PAGES:
        if not (ROOT / "pages" / f"{name}.py").exists():
            continue
        f, r = run_page(name)
        first[name], rerun[name] = round(f, 1), round(r, 1)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first_run_ms": first, "rerun_ms": rerun, "rss_mb": rss_mb}))


if __name__ == "__main__":
    main()
