"""python -m bench [--rows N] [--out FILE]: time every page data path at N incidents against the bare DuckDB
floor and the geopandas-in-memory peer; payload bytes, page reruns, memory, build and cold-start times.

Prints a table and writes JSON (default bench/results/latest.json) in the shape other tools read."""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import paths as bench_paths
from bench.variants import variants
from data import db

ROOT = Path(__file__).resolve().parent.parent
ROWS_AT_SCALE_1 = 331_000  # incidents of the default demo (seed 20261124)
DATA_DIR = Path(os.environ.get("ONEMAP_BENCH_DIR", ROOT / "bench" / "data"))


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ensure_database(rows: int) -> tuple[Path, float | None]:
    """Reuse bench/data/onemap_<rows>.duckdb when it is complete; else build it (and time the build)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"onemap_{rows}.duckdb"
    if db.is_built(path):
        con = db.connect(path, read_only=True)
        row = con.execute("SELECT value FROM meta WHERE key = 'build_seconds'").fetchone()
        con.close()
        return path, float(row[0]) if row else None
    from data import demo
    stats = demo.build(path, scale=rows / ROWS_AT_SCALE_1, progress=lambda f, s: print(
        f"\r  building {rows:,}: {f * 100:5.1f}% {s:<30}", end="", file=sys.stderr))
    print(file=sys.stderr)
    return path, stats["seconds"]


def machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GiB, "
            f"Python {platform.python_version()}")


def time_ours(path: Path, runs: list[dict], repeats: int) -> dict:
    con = db.connect(path, read_only=True)
    out = {}
    for p in bench_paths.all_paths():
        if not bench_paths.available(p):
            print(f"  {p.name}: skipped (its page's queries are not there yet)", file=sys.stderr)
            continue
        p.run(con, runs[0])  # warm the file pages once, as a running app would be
        ours, floor = [], []
        for _ in range(repeats):
            for v in runs:
                t = time.perf_counter()
                p.run(con, v)
                ours.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                p.floor(con, v)
                floor.append((time.perf_counter() - t) * 1000)
        out[p.name] = {"p50_ms": round(percentile(ours, 0.5), 2), "p95_ms": round(percentile(ours, 0.95), 2),
                       "floor_p95_ms": round(percentile(floor, 0.95), 2), "peer": p.peer}
        if p.name in ("onemap.map", "onemap.deck"):
            out[p.name]["payload_bytes_max"] = max(p.run(con, v) for v in runs)
    con.close()
    return out


def time_peer(path: Path, runs: list[dict], repeats: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump([{**v, "start": v["start"].isoformat(), "end": v["end"].isoformat()} for v in runs], fh)
    done = subprocess.run([sys.executable, "-m", "bench.peer", "--db", str(path), "--variants", fh.name,
                           "--repeats", str(repeats)], capture_output=True, text=True, cwd=ROOT)
    os.unlink(fh.name)
    if done.returncode != 0:
        raise RuntimeError(f"peer failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def time_pages(path: Path) -> dict:
    """Whole-page rerun times and peak RSS of an app process (AppTest in a subprocess)."""
    done = subprocess.run([sys.executable, "-m", "bench.pages", "--db", str(path)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "ONEMAP_DB": str(path)})
    if done.returncode != 0:
        raise RuntimeError(f"page timing failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    ap.add_argument("--repeats", type=int, default=2, help="passes over the 24 filter variants per path")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-pages", action="store_true")
    ap.add_argument("--no-cold-start", action="store_true")
    args = ap.parse_args(argv)

    path, build_s = ensure_database(args.rows)
    con = db.connect(path, read_only=True)
    rows = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
    now = con.execute("SELECT max(received_at) FROM incidents").fetchone()[0]
    con.close()
    runs = variants(now)
    print(f"{rows:,} incidents in {path}", file=sys.stderr)

    ours = time_ours(path, runs, args.repeats)
    peer = None if args.no_peer else time_peer(path, runs, args.repeats)
    pages = None if args.no_pages else time_pages(path)
    cold_s = None
    if not args.no_cold_start:
        from bench.coldstart import cold_start_seconds
        cold_s = round(cold_start_seconds(path), 1)

    result = {"rows": rows, "machine": machine(), "paths": {}, "map_payload_bytes": None, "page_rerun_ms": {},
              "rss_mb": None, "peer_rss_mb": None, "build_s": build_s, "cold_start_s": cold_s}
    for name, r in ours.items():
        entry = {k: r[k] for k in ("p50_ms", "p95_ms", "floor_p95_ms")}
        entry["peer_p95_ms"] = (round(percentile(peer["timings_ms"][r["peer"]], 0.95), 2)
                                if peer and r["peer"] else None)
        result["paths"][name] = entry
        if "payload_bytes_max" in r:  # the largest deck the browser gets, whole wall screen included
            result["map_payload_bytes"] = max(result["map_payload_bytes"] or 0, r["payload_bytes_max"])
    if peer:
        result["peer_rss_mb"] = round(peer["rss_mb"], 1)
        result["peer_load_s"] = round(peer["load_s"], 2)
    if pages:
        result["page_rerun_ms"] = pages["rerun_ms"]
        result["page_first_run_ms"] = pages["first_run_ms"]
        result["page_refresh_ms"] = pages["refresh_ms"]  # rerun after a data-version bump (caches empty)
        result["page_apptest_ms"] = pages["apptest_ms"]  # the same runs timed around AppTest.run()
        result["rss_mb"] = round(pages["rss_mb"], 1)

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print_table(result)
    print(f"\nwritten {args.out}")
    return 0


def print_table(r: dict) -> None:
    print(f"\n{r['rows']:,} incidents; {r['machine']}")
    print(f"{'path':<28}{'p50 ms':>10}{'p95 ms':>10}{'floor p95':>11}{'peer p95':>10}{'x floor':>9}{'x peer':>8}")
    for name, p in r["paths"].items():
        vs_floor = p["p95_ms"] / p["floor_p95_ms"] if p["floor_p95_ms"] else float("nan")
        vs_peer = f"{p['peer_p95_ms'] / p['p95_ms']:.1f}" if p["peer_p95_ms"] else "-"
        peer = f"{p['peer_p95_ms']:.1f}" if p["peer_p95_ms"] else "-"
        print(f"{name:<28}{p['p50_ms']:>10.1f}{p['p95_ms']:>10.1f}{p['floor_p95_ms']:>11.1f}{peer:>10}"
              f"{vs_floor:>9.2f}{vs_peer:>8}")
    print(f"map payload (largest variant): {r['map_payload_bytes']:,} bytes" if r["map_payload_bytes"] else "")
    apptest = r.get("page_apptest_ms") or {}
    for page, ms in (r.get("page_rerun_ms") or {}).items():
        around = (f"   (AppTest.run: {apptest['rerun'][page]:.0f} / {apptest['refresh'][page]:.0f} / "
                  f"{apptest['first'][page]:.0f} ms)" if apptest else "")
        print(f"page {page:<14} rerun {ms:>7.0f} ms   after new data {r['page_refresh_ms'][page]:>7.0f} ms   "
              f"first run {r['page_first_run_ms'][page]:>7.0f} ms{around}")
    print(f"app RSS {r['rss_mb']} MB; peer RSS {r['peer_rss_mb']} MB; build {r['build_s']} s; "
          f"cold start to first map {r.get('cold_start_s')} s")


if __name__ == "__main__":
    sys.exit(main())
