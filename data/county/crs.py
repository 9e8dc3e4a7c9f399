"""Which coordinate system a county file is in, and its coordinates in WGS84 lon/lat (what the database stores).

A file's own CRS (.prj, GeoPackage srs, GeoJSON crs) wins; --crs says it for files that state none (CSV and
Excel lon/lat columns, GCJ-02 and BD-09 from web maps). --crs that contradicts the file is an error naming
both. A file with neither whose numbers look projected (metres, not degrees) is refused, never guessed."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Transformer

from data import coords
from data.county.read import ReadError

WGS84 = CRS.from_epsg(4326)
WEB_MAP_SYSTEMS = ("gcj02", "bd09")  # offset lon/lat of Chinese web maps: no EPSG code, converted by data.coords


@dataclass(frozen=True)
class Crs:
    label: str  # what to tell the user: EPSG:4543, GCJ-02, ...
    epsg: CRS | None  # None for the web-map systems
    web_map: str | None = None

    @property
    def geographic(self) -> bool:
        return self.web_map is not None or bool(self.epsg and self.epsg.is_geographic)


def parse(text: str) -> Crs:
    """'EPSG:4549', '4549', 'wgs84', 'cgcs2000', 'gcj02', 'BD-09' ... -> Crs; unknown -> ReadError."""
    system = coords.normalise_system(text)
    if system in WEB_MAP_SYSTEMS:
        return Crs({"gcj02": "GCJ-02", "bd09": "BD-09"}[system], None, system)
    if system == "wgs84":
        return of(WGS84)
    if system == "cgcs2000":
        return of(CRS.from_epsg(4490))
    try:
        value = text.strip()
        return of(CRS.from_epsg(int(value)) if value.isdigit() else CRS.from_user_input(value))
    except Exception as exc:
        raise ReadError("unknown_crs", crs=text) from exc


def of(crs: CRS) -> Crs:
    epsg = crs.to_epsg()
    return Crs(f"EPSG:{epsg}" if epsg else crs.name, crs)


def resolve(declared: CRS | None, given: str | None, sample_x: np.ndarray, sample_y: np.ndarray,
            file_name: str) -> Crs:
    """The CRS to read the file's coordinates in (see the module docstring for the rules)."""
    told = parse(given) if given else None
    if declared is not None:
        mine = of(declared)
        if told is not None and not _same(mine, told):
            raise ReadError("crs_conflict", file=file_name, declared=mine.label, given=told.label)
        return mine
    if told is not None:
        return told
    x, y = sample_x[np.isfinite(sample_x)], sample_y[np.isfinite(sample_y)]
    if len(x) and (np.abs(x).max() > 180 or np.abs(y).max() > 90):
        raise ReadError("crs_needed", file=file_name, x=f"{x[0]:.1f}", y=f"{y[0]:.1f}")
    return of(WGS84)


def _same(a: Crs, b: Crs) -> bool:
    if a.web_map or b.web_map:
        return a.web_map == b.web_map
    return a.epsg.equals(b.epsg, ignore_axis_order=True)


def to_wgs84_xy(x: np.ndarray, y: np.ndarray, crs: Crs) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if crs.web_map:
        with warnings.catch_warnings():  # a swapped or foreign row is judged by the county checks, not here
            warnings.simplefilter("ignore", UserWarning)
            return coords.to_wgs84(x, y, crs.web_map)
    if crs.epsg.equals(WGS84, ignore_axis_order=True) or crs.epsg.to_epsg() == 4490:
        return x.copy(), y.copy()  # CGCS2000 and WGS84 differ by well under a metre in a county
    lon, lat = _transformer(crs.epsg).transform(x, y)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def to_wgs84(geometry: np.ndarray, crs: Crs) -> np.ndarray:
    """Shapely geometries (None allowed) in crs -> WGS84."""
    def move(xy: np.ndarray) -> np.ndarray:
        lon, lat = to_wgs84_xy(xy[:, 0], xy[:, 1], crs)
        return np.column_stack([lon, lat])
    return shapely.transform(geometry, move)


def _transformer(crs: CRS) -> Transformer:
    return Transformer.from_crs(crs, WGS84, always_xy=True)
