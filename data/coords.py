"""Coordinate systems of the source exports, converted to WGS84 lon/lat (what the database stores).

- wgs84 / cgcs2000: geographic lon/lat; CGCS2000 and WGS84 differ by well under a metre here: kept as is.
- epsg4549: CGCS2000 3-degree Gauss-Kruger, central meridian 120 E, metres (x = easting, y = northing),
  through pyproj.
- gcj02 (Amap/Tencent) and bd09 (Baidu): through prcoords (public domain), its iterative exact inverse.

Arrays in, arrays out: callers hand over only the rows that need converting (a file of WGS84 rows never
gets here); rows whose input is not finite come back as NaN.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import prcoords
from pyproj import Transformer

SYSTEMS = ("wgs84", "cgcs2000", "epsg4549", "gcj02", "bd09")

# Spellings seen in exports -> system code (the mapping files may add more through their crs enum).
ALIASES = {
    "wgs84": "wgs84", "wgs-84": "wgs84", "wgs 84": "wgs84", "epsg:4326": "wgs84", "4326": "wgs84",
    "cgcs2000": "cgcs2000", "epsg:4490": "cgcs2000", "4490": "cgcs2000",
    "epsg:4549": "epsg4549", "4549": "epsg4549", "cgcs2000_3_degree_gk_cm_120e": "epsg4549",
    "gcj02": "gcj02", "gcj-02": "gcj02", "gcj": "gcj02", "amap": "gcj02",
    "bd09": "bd09", "bd-09": "bd09", "bd09ll": "bd09", "baidu": "bd09",
}


def normalise_system(name: str | None) -> str | None:
    """'GCJ-02', 'EPSG:4549', 'bd09' ... -> a code of SYSTEMS, or None when unknown."""
    if name is None:
        return None
    return ALIASES.get(str(name).strip().lower())


@lru_cache(maxsize=1)
def _gk_to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)


@lru_cache(maxsize=1)
def _wgs84_to_gk() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True)


def _each(fn, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """prcoords works on one (lat, lon) pair at a time; NaN in, NaN out."""
    lon = np.full(len(x), np.nan)
    lat = np.full(len(x), np.nan)
    ok = np.isfinite(x) & np.isfinite(y)
    for i in np.flatnonzero(ok):
        c = fn(prcoords.Coords(float(y[i]), float(x[i])), True)
        lon[i], lat[i] = c.lon, c.lat
    return lon, lat


def to_wgs84(x, y, system: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert arrays of (x, y) in `system` to WGS84 (lon, lat)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    code = normalise_system(system) or system
    if code in ("wgs84", "cgcs2000"):
        return x.copy(), y.copy()
    if code == "epsg4549":
        lon, lat = _gk_to_wgs84().transform(x, y)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if code == "gcj02":
        return _each(prcoords.gcj_wgs_bored, x, y)
    if code == "bd09":
        return _each(prcoords.bd_wgs_bored, x, y)
    raise ValueError(f"unknown coordinate system: {system!r}")


def from_wgs84(lon, lat, system: str) -> tuple[np.ndarray, np.ndarray]:
    """The forward direction, used by the demo export writer (sources hand us their own systems)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    code = normalise_system(system) or system
    if code in ("wgs84", "cgcs2000"):
        return lon.copy(), lat.copy()
    if code == "epsg4549":
        x, y = _wgs84_to_gk().transform(lon, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    fn = {"gcj02": prcoords.wgs_gcj, "bd09": prcoords.wgs_bd}.get(code)
    if fn is None:
        raise ValueError(f"unknown coordinate system: {system!r}")
    out_x, out_y = np.full(len(lon), np.nan), np.full(len(lon), np.nan)
    for i in np.flatnonzero(np.isfinite(lon) & np.isfinite(lat)):
        c = fn(prcoords.Coords(float(lat[i]), float(lon[i])), True)
        out_x[i], out_y[i] = c.lon, c.lat
    return out_x, out_y
