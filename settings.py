"""Deployment settings: one TOML file (ONEMAP_CONFIG or ./onemap.toml); defaults work with no file."""
from __future__ import annotations

import copy
import os
import tomllib
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CONFIG_ENV = "ONEMAP_CONFIG"

DEFAULTS: dict = {
    "database": {"path": ""},  # empty: ONEMAP_DB or data/onemap.duckdb
    "county": {"boundary_file": ""},  # the demo's boundary; a real county's is in its database (data.county init)
    "map": {
        # An XYZ/WMTS template such as "http://tiles.intranet/{z}/{x}/{y}.png". Empty: no tiles, no requests.
        "tile_url": "",
        "tile_zoom": 11,  # the tiles covering the county at this XYZ zoom are drawn (about 70 m a pixel)
        "point_threshold": 30000,  # above this many incidents the map draws DuckDB-side aggregates
        # Where the maps open. Unset (None): on the county's extent from its database (the county table), at the
        # zoom that fits each map (views/map_view.py); set them to override.
        "centre_lon": None, "centre_lat": None, "zoom": None,
        "tile_bbox": None,  # [west, south, east, north] the tiles cover; unset: the county and a margin
        "max_payload_bytes": 1_900_000,  # points fall back to squares if the map JSON would exceed this
        "cell_step_deg": 0.01,  # side of the aggregate squares (about 1 km here)
    },
    "wall": {"refresh_seconds": 30, "zoom": None},  # zoom unset: the wall's map fitted to the county
    "demo": {"seed": 20261124, "scale": 1.0, "live_feed": False, "live_feed_seconds": 5},
}


def merge(base: dict, override: dict) -> dict:
    """override laid over base, table by table (a copy; neither input changes)."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=4)
def load(path: str | None = None) -> dict:
    """Settings merged over the defaults. A missing file is not an error; a malformed one is."""
    chosen = Path(path or os.environ.get(CONFIG_ENV) or ROOT / "onemap.toml")
    if not chosen.exists():
        return copy.deepcopy(DEFAULTS)
    with chosen.open("rb") as fh:
        return merge(DEFAULTS, tomllib.load(fh))
