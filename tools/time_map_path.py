"""Time the onemap.map benchmark path alone, exactly as `python -m bench` times it:

    python -m tools.time_map_path [--db bench/data/onemap_10000000.duckdb] [--repeats 2] [--passes 1]
                                  [--fresh] [--profile N] [--path map|deck]

Same database (read-only), same 24 filter variants (bench/variants.py, ending at the newest incident), same
warm-up run of the first variant, same `--repeats` passes over the variants through
bench/map_path.onemap_map_payload with its query memo (the page's st.cache_data: a second pass over the same
variant reuses the query results). Prints p50/p95 of wall time AND of CPU time (time.process_time, which
another process on the machine does not inflate), the 1-minute load before and after, the largest payload and
the per-variant detail (mode, total, bytes). --fresh clears the query memo before every build (every query runs,
the worst case). --passes K repeats the whole measurement K times. --profile N prints the top N functions of a
cProfile over one pass of the 24 variants.

    python -m tools.time_map_path --dump DIR      # every variant's deck JSON and build facts into DIR
    python -m tools.time_map_path --compare DIR   # today's builds against a dump: same JSON (parsed), same facts

A dump covers each variant four ways (incident map in Chinese, in English, open incidents only, and the whole
wall deck), so a change to the map path can be checked to draw exactly what it drew before."""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import time
from pathlib import Path

from bench import map_path
from bench.__main__ import percentile
from bench.variants import variants
from data import db

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "bench" / "data" / "onemap_10000000.duckdb"


def _mode_of(con, v, path_fn) -> dict:
    """Mode and total of a variant's map (one more build, outside the timings)."""
    import settings
    from views.one_map import DEFAULT_LAYERS, MapRequest, build_map
    layers = ("incidents",) if path_fn is map_path.onemap_map_payload else DEFAULT_LAYERS
    req = MapRequest(start=v["start"], end=v["end"], now=v["end"], hazards=tuple(v["hazards"]) or None,
                     layers=layers)
    built = build_map(map_path._fetch(con), req, settings.load()["map"])
    return {"mode": built.mode, "total": built.total, "bytes": built.payload_bytes}


def _builds(con, runs: list[dict]):
    """(name, MapBuild) for every variant four ways: incidents zh, incidents en, open only, whole deck."""
    import settings
    from views.one_map import DEFAULT_LAYERS, MapRequest, build_map
    cfg = settings.load()["map"]
    fetch = map_path._fetch(con)
    for k, v in enumerate(runs):
        base = dict(start=v["start"], end=v["end"], now=v["end"], hazards=tuple(v["hazards"]) or None)
        for kind, extra in (("zh", {"layers": ("incidents",)}), ("en", {"layers": ("incidents",), "lang": "en"}),
                            ("open", {"layers": ("incidents",), "open_only": True}),
                            ("deck", {"layers": DEFAULT_LAYERS})):
            yield f"v{k:02d}_{kind}", build_map(fetch, MapRequest(**base, **extra), cfg)


def _facts(built) -> dict:
    return {"mode": built.mode, "total": built.total, "approximate": built.approximate, "open": built.open,
            "drawn": built.drawn, "payload_bytes": built.payload_bytes, "legend": built.legend}


def dump(con, runs: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, built in _builds(con, runs):
        (folder / f"{name}.json").write_text(built.deck.to_json(), encoding="utf-8")
        (folder / f"{name}.facts.json").write_text(json.dumps(_facts(built), ensure_ascii=False), encoding="utf-8")
    print(f"dumped {len(list(folder.glob('*.facts.json')))} builds into {folder}")


def _eval_ramp(expr: str, n: int) -> list:
    """Evaluate a cell_fill_expression ('n >= T ? [r, g, b, a] : (...)') for one n, as the browser would."""
    import re
    expr = expr.removeprefix("@@=")  # pydeck marks a string accessor as an expression
    while True:
        m = re.fullmatch(r"n >= (\d+) \? (\[[^\]]*\]) : \((.*)\)", expr)
        if not m:
            return json.loads(expr.strip("()"))
        if n >= int(m.group(1)):
            return json.loads(m.group(2))
        expr = m.group(3)


def _drawn_cells(deck: dict) -> tuple[dict, int]:
    """A deck with its incident squares written as the browser sees them (fill colour per square, from the
    row's f or from the layer's colour expression) and the tooltips' last line (the main hazard: a tie between
    hazards may be named differently) set aside; returns (deck, number of squares)."""
    for layer in deck["layers"]:
        if layer["id"] != "incident_cells":
            continue
        expr = layer.pop("getFillColor")
        layer["data"] = [{"n": r["n"], "p": r["p"], "tip": r["tip"].rsplit("\n", 1)[0],
                          "f": r["f"] if "f" in r else _eval_ramp(expr, r["n"])} for r in layer["data"]]
        return deck, len(layer["data"])
    return deck, 0


def _main_hazards(deck: dict) -> list[str]:
    return [r["tip"].rsplit("\n", 1)[-1] for la in deck["layers"] if la["id"] == "incident_cells" for r in la["data"]]


def compare(con, runs: list[dict], folder: Path) -> int:
    """0 when every build parses to the same deck and has the same facts as the dump; lists differences."""
    bad = identical = ties = cells = 0
    for name, built in _builds(con, runs):
        before = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        text = built.deck.to_json()
        facts_before = json.loads((folder / f"{name}.facts.json").read_text(encoding="utf-8"))
        facts = json.loads(json.dumps(_facts(built), ensure_ascii=False))
        identical += text == (folder / f"{name}.json").read_text(encoding="utf-8")
        after = json.loads(text)
        named = sum(a != b for a, b in zip(_main_hazards(before), _main_hazards(after)))
        before, squares = _drawn_cells(before)
        after, _ = _drawn_cells(after)
        same_deck = after == before
        if squares:
            facts.pop("payload_bytes")
            facts_before.pop("payload_bytes")
            ties += named
            cells += squares
        same_facts = facts == facts_before
        if not (same_deck and same_facts):
            bad += 1
            diff = {k: (facts_before[k], facts[k]) for k in facts if facts[k] != facts_before.get(k)}
            layers = {la["id"] for la in before["layers"]} ^ {la["id"] for la in after["layers"]}
            print(f"  DIFFERENT {name}: deck same={same_deck} facts {diff} layer ids not in both {layers}")
    print(f"compared {len(runs) * 4} builds: {bad} different, {identical} byte for byte identical; "
          f"{cells:,} squares compared by colour drawn, {ties} of them name another main hazard (check: ties)")
    return 1 if bad else 0


def measure(con, runs: list[dict], repeats: int, fresh: bool, path_fn) -> dict:
    path_fn(con, runs[0])  # warm the file pages once, as bench/__main__.time_ours does
    wall, cpu, per_variant = [], [], {}
    for _ in range(repeats):
        for k, v in enumerate(runs):
            if fresh:
                map_path._memo.clear()
            w, c = time.perf_counter(), time.process_time()
            path_fn(con, v)
            wall.append((time.perf_counter() - w) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            per_variant.setdefault(k, []).append(wall[-1])
    return {"wall": wall, "cpu": cpu, "per_variant": per_variant}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.time_map_path")
    ap.add_argument("--db", default=str(DEFAULT_DB))
    ap.add_argument("--repeats", type=int, default=2, help="passes over the 24 variants (bench default 2)")
    ap.add_argument("--passes", type=int, default=1, help="repeat the whole measurement")
    ap.add_argument("--fresh", action="store_true", help="clear the query memo before every build")
    ap.add_argument("--profile", type=int, default=0, help="cProfile one pass; print the top N by cumulative")
    ap.add_argument("--path", choices=("map", "deck"), default="map")
    ap.add_argument("--detail", action="store_true", help="per-variant times, modes and payloads")
    ap.add_argument("--dump", help="write every variant's deck JSON and facts into this folder, then stop")
    ap.add_argument("--compare", help="compare today's builds with a --dump folder, then stop")
    args = ap.parse_args(argv)
    path_fn = map_path.onemap_map_payload if args.path == "map" else map_path.onemap_deck_payload

    con = db.connect(args.db, read_only=True)
    rows, now = con.execute("SELECT count(*), max(received_at) FROM incidents").fetchone()
    runs = variants(now)
    print(f"{rows:,} incidents, {len(runs)} variants x {args.repeats}, path onemap.{args.path}"
          f"{' (fresh queries)' if args.fresh else ''}")

    if args.dump:
        dump(con, runs, Path(args.dump))
        return 0
    if args.compare:
        return compare(con, runs, Path(args.compare))

    if args.profile:
        path_fn(con, runs[0])
        map_path._memo.clear()
        prof = cProfile.Profile()
        prof.enable()
        for v in runs:
            path_fn(con, v)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
        return 0

    for n in range(args.passes):
        map_path._memo.clear()
        load_before = os.getloadavg()[0]
        r = measure(con, runs, args.repeats, args.fresh, path_fn)
        load_after = os.getloadavg()[0]
        print(f"pass {n + 1}: wall p50 {percentile(r['wall'], 0.5):7.1f} ms  p95 {percentile(r['wall'], 0.95):7.1f} ms"
              f"  max {max(r['wall']):7.1f} | cpu p50 {percentile(r['cpu'], 0.5):7.1f} ms"
              f"  p95 {percentile(r['cpu'], 0.95):7.1f} ms | load {load_before:.2f} -> {load_after:.2f}")
    sizes = [_mode_of(con, v, path_fn) for v in runs]
    print(f"payload bytes max {max(s['bytes'] for s in sizes):,}; modes "
          f"{ {m: sum(s['mode'] == m for s in sizes) for m in {s['mode'] for s in sizes}} }")
    if args.detail:
        for k, v in enumerate(runs):
            times = " ".join(f"{t:7.1f}" for t in r["per_variant"][k])
            print(f"  {k:2d} {v['window_days']:2d}d {','.join(v['hazards']) or 'all':<26} {sizes[k]['mode']:<6} "
                  f"{sizes[k]['total']:>8,} {sizes[k]['bytes']:>10,} B  {times} ms")
    con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
