"""python -m bench.county_load [--rows N] [--format csv|xlsx|gpkg]: how long a county's 100,000-row camera or
village file takes to load (python -m data.county load), first load and an unchanged re-load, with the time
per stage. Builds the second county (tests/packs/ebian) in a temporary folder and a synthetic file inside it.
Not part of the test suite; prints the numbers."""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from data import db
from data.county import pack
from data.county.load import load

PACK = Path(__file__).resolve().parent.parent / "tests" / "packs" / "ebian"


def synthetic_file(con, rows: int, layer: str, fmt: str, folder: Path, seed: int = 7) -> Path:
    """rows points spread over the county's townships (positions inside the boundary), headers as counties write."""
    rng = np.random.default_rng(seed)
    county = shapely.from_wkb(bytes(con.execute("SELECT ST_AsWKB(geom) FROM county").fetchone()[0]))
    x0, y0, x1, y1 = county.bounds
    lon, lat = rng.uniform(x0, x1, rows * 2), rng.uniform(y0, y1, rows * 2)
    inside = shapely.contains_xy(county, lon, lat)
    lon, lat = lon[inside][:rows], lat[inside][:rows]
    if layer == "cameras":
        frame = pd.DataFrame({"设备名称": [f"监控点{i}" for i in range(rows)],
                              "设备编码": [f"5111329999132{i:07d}" for i in range(rows)],
                              "类型": rng.choice(["枪机", "球机", "AI智能"], rows), "经度": lon.round(6),
                              "纬度": lat.round(6),
                              "调阅地址": [f"rtsp://10.20.{i % 250}.{i % 200}/ch1" for i in range(rows)]})
    else:
        frame = pd.DataFrame({"村名称": [f"村{i}" for i in range(rows)],
                              "村代码": [f"511132{i:06d}" for i in range(rows)],
                              "经度": lon.round(6), "纬度": lat.round(6), "人口": rng.integers(50, 3000, rows)})
    path = folder / f"{layer}_{rows}.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False, encoding="utf-8")
    elif fmt == "xlsx":
        frame.to_excel(path, index=False)
    else:
        import geopandas as gpd
        points = shapely.points(lon, lat)
        gpd.GeoDataFrame(frame.drop(columns=["经度", "纬度"]), geometry=points, crs=4490).to_file(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.county_load")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--layer", choices=["cameras", "villages"], default="cameras")
    parser.add_argument("--format", choices=["csv", "xlsx", "gpkg"], default="csv")
    args = parser.parse_args(argv)
    if args.layer == "villages" and args.rows > 30_000:
        parser.error("village ids are SMALLINT (a county has hundreds): use --layer cameras for large files")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = folder / "county.duckdb"
        pack.build(PACK, out)
        con = db.connect(out)
        path = synthetic_file(con, args.rows, args.layer, args.format, folder)
        print(f"{args.layer}: {args.rows:,} rows, {args.format}, {path.stat().st_size / 1e6:.1f} MB")
        for label in ("first load", "unchanged re-load"):
            t0 = time.perf_counter()
            result = load(con, args.layer, path)
            seconds = time.perf_counter() - t0
            print(f"  {label:<18} {seconds:6.2f} s  {args.rows / seconds:>9,.0f} rows/s  {result.summary()}")
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
