"""Where every map opens: on the county's extent (the county table, else its townships) fitted to the map's size
in pixels, unless onemap.toml says otherwise ([map] centre_lon / centre_lat / zoom, [wall] zoom, [map] tile_bbox).
Also the extent the optional raster tiles cover. No Streamlit here: pages pass ui.database.query as fetch, so
the extent is read once per data version.

    view = map_view.initial_view(fetch, settings.load()["map"], map_view.WIDE_MAP)
The initial view depends on the county only, never on what a filter shows: a deck whose initial view changed
would snap the viewer back on every refresh."""
from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
import pydeck as pdk

from layers import base

Fetch = Callable[..., pd.DataFrame]
Extent = tuple[float, float, float, float]  # west, south, east, north (WGS84 degrees)

# Map sizes in CSS pixels (width, height) the zoom is fitted to. Streamlit stretches a deck to its column, so the
# width is the column's on a 1920-pixel screen: One Map's map is 5 of 7 columns beside the sidebar, the wall's
# 3 of 4 with no sidebar, and Resources, Risk and Analysis draw theirs across the page.
DESK_MAP = (850, 620)
WALL_MAP = (1400, 850)
WIDE_MAP = (1150, 560)
FIT_MARGIN = 0.04   # of the extent's width and height, kept clear on each side of the county
TILE_MARGIN = 0.2   # tiles cover the county and this much of its span on each side (what a desk map shows around it)
MIN_ZOOM, MAX_ZOOM = 3.0, 16.0
CHINA_VIEW = (104.0, 35.0, 3.5)  # nothing loaded and nothing configured: the whole country
TILE_SIZE = 512  # deck.gl's world is 512 pixels wide at zoom 0


def county_extent(fetch: Fetch) -> Extent | None:
    """The county's extent (queries/county_extent.sql); None when neither the county nor a township is loaded."""
    row = fetch("county_extent")
    if row.empty or row.iloc[0].isna().any():
        return None
    r = row.iloc[0]
    return float(r["min_lon"]), float(r["min_lat"]), float(r["max_lon"]), float(r["max_lat"])


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))


def fit_zoom(extent: Extent, width: int, height: int, margin: float = FIT_MARGIN) -> float:
    """The largest Web Mercator zoom at which extent, with margin on each side, fits width x height pixels."""
    west, south, east, north = extent
    span_x = max(east - west, 1e-6) * (1 + 2 * margin) / 360.0
    span_y = max(_mercator_y(north) - _mercator_y(south), 1e-8) * (1 + 2 * margin) / (2 * math.pi)
    zoom = min(math.log2(width / (TILE_SIZE * span_x)), math.log2(height / (TILE_SIZE * span_y)))
    return round(min(max(zoom, MIN_ZOOM), MAX_ZOOM), 2)


def _centre(extent: Extent) -> tuple[float, float]:
    """The middle of the extent on the Mercator map (latitude halfway in Mercator y, as the map draws it)."""
    west, south, east, north = extent
    y = (_mercator_y(south) + _mercator_y(north)) / 2
    return (west + east) / 2, math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _set(value) -> bool:
    return value is not None and value != ""


def view_of(extent: Extent | None, map_cfg: dict, size: tuple[int, int] = DESK_MAP,
            zoom: float | None = None) -> tuple[float, float, float]:
    """(lon, lat, zoom) a map of size opens on: [map] centre_lon/centre_lat when both are set, else the extent's
    middle; `zoom` (the wall's [wall] zoom) or [map] zoom when set, else the zoom that fits the extent."""
    if _set(map_cfg.get("centre_lon")) and _set(map_cfg.get("centre_lat")):
        lon, lat = float(map_cfg["centre_lon"]), float(map_cfg["centre_lat"])
    elif extent is not None:
        lon, lat = _centre(extent)
    else:
        lon, lat = CHINA_VIEW[:2]
    if _set(zoom):
        chosen = float(zoom)
    elif _set(map_cfg.get("zoom")):
        chosen = float(map_cfg["zoom"])
    elif extent is not None:
        chosen = fit_zoom(extent, *size)
    else:
        chosen = CHINA_VIEW[2]
    return lon, lat, chosen


# A home button asks the browser to go back to the initial view: Streamlit keeps the viewer's view while the
# deck's initial view stays the same and snaps back only the fields that changed, so every press moves all three
# fields by this much (about 0.1 m, 1/100000 of a zoom step: nothing a viewer can see) and back on the next one.
RESET_NUDGE = 1e-6


def initial_view(fetch: Fetch, map_cfg: dict, size: tuple[int, int] = DESK_MAP,
                 zoom: float | None = None, reset: int = 0) -> pdk.ViewState:
    """The deck's initial view for a map of size (see view_of); reset counts the home button's presses."""
    lon, lat, chosen = view_of(county_extent(fetch), map_cfg, size, zoom)
    nudge = RESET_NUDGE * (reset % 2)
    return base.view_state(lon + nudge, lat + nudge, chosen + nudge)


def tile_bbox(extent: Extent | None, map_cfg: dict) -> Extent | None:
    """What the raster tiles cover: [map] tile_bbox when set, else the extent and TILE_MARGIN of its span on each
    side; None (no tiles) when neither is known."""
    if map_cfg.get("tile_bbox"):
        west, south, east, north = (float(v) for v in map_cfg["tile_bbox"])
        return west, south, east, north
    if extent is None:
        return None
    west, south, east, north = extent
    dx, dy = (east - west) * TILE_MARGIN, (north - south) * TILE_MARGIN
    return west - dx, south - dy, east + dx, north + dy
