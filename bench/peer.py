"""The peer: the way Streamlit map tutorials do it. Load the incidents into a GeoDataFrame once, filter with
pandas, build the pydeck layer from the filtered frame. Run in its own process so its memory is its own.

python -m bench.peer --db PATH --variants FILE.json --repeats N  -> JSON on stdout."""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import datetime

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from data import db


def load(path: str) -> gpd.GeoDataFrame:
    con = db.connect(path, read_only=True)
    frame = con.execute("SELECT incident_id, channel, hazard, severity, status, received_at, on_scene_at, "
                        "dispatched_at, township_id, lon, lat FROM incidents").df()
    con.close()
    for col in ("channel", "hazard", "status"):
        frame[col] = frame[col].astype("category")  # what a careful tutorial reader would do
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")


def filtered(gdf: gpd.GeoDataFrame, v: dict) -> gpd.GeoDataFrame:
    mask = (gdf["received_at"] >= v["start"]) & (gdf["received_at"] < v["end"])
    if v["hazards"]:
        mask &= gdf["hazard"].isin(v["hazards"])
    return gdf[mask]


def map_path(gdf, v) -> int:
    sub = filtered(gdf, v)
    data = pd.DataFrame({"lon": sub.geometry.x, "lat": sub.geometry.y, "hazard": sub["hazard"].astype(str),
                         "severity": sub["severity"]})
    layer = pdk.Layer("ScatterplotLayer", data=data, get_position="[lon, lat]", get_radius=60, pickable=True)
    return len(pdk.Deck(layers=[layer], map_provider=None).to_json())


def counts_by_hazard(gdf, v) -> int:
    return len(filtered(gdf, v).groupby("hazard", observed=True).size())


def counts_by_township(gdf, v) -> int:
    return len(filtered(gdf, v).groupby("township_id").size())


def over_time(gdf, v) -> int:
    sub = filtered(gdf, v)
    return len(sub.groupby([sub["received_at"].dt.floor("D"), "hazard"], observed=True).size())


def response_times(gdf, v) -> int:
    sub = filtered(gdf, v)
    minutes = (sub["on_scene_at"] - sub["dispatched_at"]).dt.total_seconds() / 60
    return len(minutes.groupby(sub["township_id"]).quantile([0.5, 0.9]))


PEER_PATHS = {"map": map_path, "by_hazard": counts_by_hazard, "by_township": counts_by_township,
              "over_time": over_time, "response_times": response_times}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--variants", required=True)
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    variants = json.load(open(args.variants))
    for v in variants:
        v["start"], v["end"] = datetime.fromisoformat(v["start"]), datetime.fromisoformat(v["end"])
    t0 = time.perf_counter()
    gdf = load(args.db)
    load_s = time.perf_counter() - t0
    timings = {}
    for name, fn in PEER_PATHS.items():
        samples = []
        for _ in range(args.repeats):
            for v in variants:
                t = time.perf_counter()
                fn(gdf, v)
                samples.append((time.perf_counter() - t) * 1000)
        timings[name] = samples
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump({"load_s": load_s, "rss_mb": rss_mb, "timings_ms": timings}, sys.stdout)


if __name__ == "__main__":
    main()
