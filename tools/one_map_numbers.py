"""Closing numbers of the One Map page: map payload bytes and server time per window, at any database.

    python -m tools.one_map_numbers --db /tmp/demo1.duckdb            # the deck per window, read-only
    python -m tools.one_map_numbers --db /tmp/copy.duckdb --apptest   # plus full page reruns under AppTest

The deck is built by views.one_map.build_map, the same function the page calls (bench/map_path.py uses it
too); "data s" is the page's data work per refresh without Streamlit's cache: KPIs + latest list + map."""
from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path

import settings
from data import accounts, db
from queries import runner
from views import one_map as view

ROOT = Path(__file__).resolve().parent.parent


def measure_deck(path: str, repeats: int = 3) -> list[dict]:
    con = db.connect(path, read_only=True)
    now = datetime.fromisoformat(con.execute("SELECT value FROM meta WHERE key = 'demo_now'").fetchone()[0])
    fetch = lambda name, **p: runner.run(con, name, **p)  # noqa: E731
    cfg = settings.load()["map"]
    hazards = list(fetch("hazard_types")["code"])
    windows = [(w, *view.window_bounds(w, now)) for w in view.WINDOWS]
    windows.append(("30d", now - timedelta(days=30), now + timedelta(minutes=1)))
    rows = []
    for name, start, end in windows:
        times, built = [], None
        for _ in range(repeats):
            t0 = time.perf_counter()
            view.kpis(fetch, start, end, now)
            fetch("onemap_latest_incidents", start=start, end=end, hazards=hazards, limit=30)
            built = view.build_map(fetch, view.MapRequest(start, end, now), cfg)
            times.append(time.perf_counter() - t0)
        rows.append({"window": name, "mode": built.mode, "total": built.total, "drawn": built.drawn,
                     "approximate": built.approximate, "payload_bytes": built.payload_bytes,
                     "data_s": statistics.median(times)})
    incidents = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
    con.close()
    for row in rows:
        row["incidents_in_db"] = incidents
    return rows


def measure_apptest(path: str, reruns: int = 3) -> dict:
    """First run and reruns of the page under AppTest (Streamlit's cache warm on reruns, as on the wall)."""
    os.environ["ONEMAP_DB"] = str(Path(path).resolve())
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "pages" / "one_map.py"), default_timeout=300)
    at.query_params["screen"] = "wall"
    at.query_params["token"] = accounts.DEMO_WALL_TOKEN
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(at.exception)
    times = []
    for _ in range(reruns):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    payload = len(at.get("deck_gl_json_chart")[0].proto.json.encode()) if at.get("deck_gl_json_chart") else 0
    return {"first_run_s": first, "rerun_s": statistics.median(times), "payload_bytes": payload}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--apptest", action="store_true", help="also time the page under AppTest (opens read-write)")
    args = ap.parse_args()
    print(f"{'window':<7} {'mode':<7} {'incidents':>10} {'drawn':>10} {'approx':>8} {'payload B':>11} {'data s':>7}")
    for r in measure_deck(args.db, args.repeats):
        print(f"{r['window']:<7} {r['mode']:<7} {r['total']:>10,} {r['drawn']:>10,} {r['approximate']:>8,} "
              f"{r['payload_bytes']:>11,} {r['data_s']:>7.2f}")
    print(f"(database holds {r['incidents_in_db']:,} incidents)")
    if args.apptest:
        a = measure_apptest(args.db)
        print(f"page (wall, 24 h) under AppTest: first run {a['first_run_s']:.2f} s, rerun {a['rerun_s']:.2f} s, "
              f"deck {a['payload_bytes']:,} B")


if __name__ == "__main__":
    main()
