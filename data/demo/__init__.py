"""Build the demo county database: python -m data.demo --out PATH [--scale S] [--seed N].

Deterministic for a given seed and "today". Incidents are generated month by month, in time order, and
appended chunk by chunk, so a 10 M build never holds more than one month in memory and the table ends up
sorted by received_at (zone maps then prune time windows).

The parts, in build order: places (geography), responders (units, teams, shelters), resources (cameras,
reservoirs, sensors, hazard points), keepers (depots and their stock, responsible persons), incidents (model,
generation; lifecycle, dispatches, echoes), readings, roster; catalog holds the numbers and names they draw from.
The reference layers (places to keepers) go through data.county.load, the path a county's own files take."""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

import settings
from data import db, geography
from data.clock import now_cst
from data.demo import catalog as cat
from data.demo.common import Progress
from data.demo.echoes import LINKED_DAYS
from data.demo.incidents import write_incidents
from data.demo.keepers import write_keepers
from data.demo.places import County, write_places
from data.demo.readings import write_reservoir_readings
from data.demo.resources import write_resources
from data.demo.responders import write_units
from data.demo.roster import write_roster
from data.ingest import pipeline, raster


def build(out: str | Path, scale: float = 1.0, seed: int = 20261124, progress: Progress | None = None,
          now: datetime | None = None, boundary_path: str | Path | None = None) -> dict:
    """Write a complete demo database to out (replacing a partial one). Returns row counts and timings."""
    progress = progress or (lambda f, msg: None)
    out = Path(out)
    tmp = out.with_name(out.name + ".building")
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    now = now or now_cst()
    rng = np.random.default_rng(seed)
    progress(0.02, "geography")
    boundary_path = boundary_path or settings.load()["county"]["boundary_file"] or None
    county = County(geography.build_all(seed=seed, boundary_path=boundary_path))
    con = db.connect(tmp)
    # Fewer automatic checkpoints while the tables fill: each leaves a part-filled row group behind, which the
    # first real import's commit pays to merge (1.1 s of a 1 M-row import at scale 1). 256 MB of log covers a
    # whole default county (the final CHECKPOINT then writes full row groups) and bounds memory at 10 M.
    con.execute("SET checkpoint_threshold = '256MB'")
    try:
        db.create_schema(con)
        write_places(con, county, rng)
        units = write_units(con, county, rng)
        progress(0.15, "resources")
        res = write_resources(con, county, rng, now)
        write_keepers(con, county, res["reservoirs"], res["geo_hazard"], np.random.default_rng([seed, 1]))
        write_incidents(con, county, units, res["sensors"], seed, scale, now, progress)
        # Reports of one happening from several channels, linked as an import links them (the live weeks only:
        # the history stands for data already processed).
        pipeline.link_recent(con, now - timedelta(days=LINKED_DAYS))
        progress(0.88, "reservoir readings, roster")
        write_reservoir_readings(con, res["reservoirs"], cat.EVENTS, seed, now)
        write_roster(con, seed, now)
        progress(0.92, "indexes")
        db.create_indexes(con)
        raster.ensure(con)  # the first import should not pay for it (the county loader may have cut it already)
        con.execute("INSERT INTO meta VALUES ('demo_seed', ?), ('demo_scale', ?), ('demo_now', ?), "
                    "('build_complete', 'true')", [str(seed), str(scale), now.isoformat(sep=" ")])
        db.bump_data_version(con)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        con.execute("INSERT INTO meta VALUES ('build_seconds', ?)", [f"{time.perf_counter() - t0:.1f}"])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    out.unlink(missing_ok=True)
    tmp.rename(out)  # readers never see a half-built file
    progress(1.0, "done")
    return {"rows": counts, "seconds": round(time.perf_counter() - t0, 1), "bytes": out.stat().st_size,
            "path": str(out)}


TABLES = ["townships", "villages", "grid_cells", "grid_members", "linkage_units", "incidents", "dispatches",
          "info_reports", "cameras", "sensors", "reservoirs", "reservoir_readings", "geo_hazard_points",
          "rescue_teams", "shelters", "warehouses", "stock", "responsible_persons", "duty_roster"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.demo", description="Build the OneMap demo county database.")
    parser.add_argument("--out", default=None, help="database file (default: $ONEMAP_DB or data/onemap.duckdb)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies incident volume (10 M rows: about 30)")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--boundary", default=None, metavar="FILE",
                        help="the county boundary to build on (GeoJSON/GPKG/Shapefile; default: [county] "
                             "boundary_file in onemap.toml, else data/geo/qingyuan_county.geojson)")
    parser.add_argument("--exports", default=None, metavar="DIR",
                        help="also write sample exports of the N source systems into DIR (data/demo_exports.py); "
                             "an already built database is reused")
    parser.add_argument("--export-rows", type=int, default=2000, help="rows of the 110 export (others: a tenth)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    out = db.resolve_db_path(args.out)

    def show(fraction: float, step: str) -> None:
        print(f"\r[{fraction * 100:5.1f}%] {step:<40}", end="", file=sys.stderr, flush=True)

    if args.exports and db.is_built(out):
        return _write_exports(out, args)
    stats = build(out, scale=args.scale, seed=args.seed, progress=show, boundary_path=args.boundary)
    print(file=sys.stderr)
    print(f"built {stats['path']} in {stats['seconds']} s, {stats['bytes'] / 1e6:.1f} MB")
    for table, n in stats["rows"].items():
        print(f"  {table:<20} {n:>12,}")
    return _write_exports(out, args) if args.exports else 0


def _write_exports(out: Path, args) -> int:
    from data import demo_exports
    for source, path in demo_exports.write_exports(out, args.exports, rows=args.export_rows, seed=args.seed).items():
        print(f"  export {source:<12} {path}")
    return 0
