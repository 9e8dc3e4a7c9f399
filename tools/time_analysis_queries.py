"""Time every query of the analysis page on a database (the slowest one bounds a page rerun without cache).

python -m tools.time_analysis_queries --db /tmp/demo1.duckdb [--repeat 3]
Prints one line per (scenario, query) with the median milliseconds, then the slowest of each scenario."""
from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime

from data import db
from queries import runner
from ui import filters as flt

SCENARIOS = {
    "default (last 30 days)": flt.Filters(),
    "all history": flt.Filters(period="all"),
    "all history, 3 hazards, 2 townships": flt.Filters(period="all", hazards=("flood", "geological", "forest_fire"),
                                                       townships=(1, 2)),
    "all history, text search": flt.Filters(period="all", text="山火"),
    "all history, overdue only": flt.Filters(period="all", overdue_only=True),
}
EXTRA = {  # the page's own settings (pages/analysis.py)
    "analysis_summary": {},
    "analysis_over_time": {"granularity": "day"},
    "analysis_by_township": {},
    "analysis_hour_weekday": {},
    "analysis_channel_mix": {},
    "analysis_response_times": {"min_dispatches": 5, "max_units": 15},
    "analysis_map_points": {"max_rows": 30000},
    "analysis_map_squares": {"step": 0.01},
    "analysis_table_page": {"lang": "zh-CN", "show_personal": False, "page_size": 50, "page_offset": 0},
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    con = db.connect(args.db, read_only=True)
    now = datetime.fromisoformat(con.execute("SELECT value FROM meta WHERE key = 'demo_now'").fetchone()[0])
    rows = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
    print(f"{args.db}: {rows:,} incidents, now = {now}")
    for label, filters in SCENARIOS.items():
        params = filters.sql_params(now)
        timings = {}
        for name, extra in EXTRA.items():
            runs = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                con.execute(runner.sql_text(name), {**params, **extra}).fetchall()
                runs.append((time.perf_counter() - start) * 1000)
            timings[name] = statistics.median(runs)
        slowest = max(timings, key=timings.get)
        total = sum(timings.values())
        print(f"\n{label}: slowest {slowest} {timings[slowest]:.0f} ms; all queries {total:.0f} ms")
        for name, ms in sorted(timings.items(), key=lambda kv: -kv[1]):
            print(f"  {name:28s} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
