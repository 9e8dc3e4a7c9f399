"""Incident points coloured by hazard, outlined by severity colour. Pure functions, no queries."""
from __future__ import annotations

import math

import pandas as pd
import pydeck as pdk

from layers.base import RawJson, hex_to_rgb

# Marker radius (pixels) by severity: I biggest.
SEVERITY_RADIUS = {1: 12, 2: 10, 3: 7, 4: 5}


def incident_points(incidents: pd.DataFrame, hazards: pd.DataFrame, severities: pd.DataFrame,
                    labels: dict[str, dict[str, str]] | None = None) -> pdk.Layer:
    """One dot per incident: fill = hazard colour, outline = severity warning colour."""
    fill = {row.code: hex_to_rgb(row.colour, 230) for row in hazards.itertuples()}
    line = {int(row.level): hex_to_rgb(row.colour) for row in severities.itertuples()}
    data = incidents[["incident_id", "hazard", "severity", "status", "lon", "lat"]].copy()
    data["received_at"] = incidents["received_at"].astype(str).str.slice(0, 16)
    data["fill"] = data["hazard"].map(fill)
    data["line"] = data["severity"].astype(int).map(line)
    data["radius"] = data["severity"].astype(int).map(SEVERITY_RADIUS)
    for column, mapping in (labels or {}).items():
        data[f"{column}_label"] = data[column].map(mapping)
    return pdk.Layer("ScatterplotLayer", data=data, id="incidents", get_position="[lon, lat]",
                     get_fill_color="fill", get_line_color="line", get_radius="radius", radius_units="'pixels'",
                     stroked=True, line_width_min_pixels=2, pickable=True, auto_highlight=True)


# ---------------------------------------------------------------- One Map level of detail
# Below the point threshold the map gets one compact row per incident; above it, grid squares counted in
# DuckDB. Rows are kept short (one-letter keys, 4-decimal coordinates, colours computed in the browser from
# small codes) because the deck travels to the browser as one JSON string that must stay under 2 MB.

APPROX_LINE_RGBA = [230, 237, 247, 255]
OPEN_HALO_RGBA = [255, 255, 255, 200]
# Radii on the wall screen: big enough to read across a room, I biggest (the foundation's SEVERITY_RADIUS
# stays for incident_points).
WALL_RADIUS = {1: 14, 2: 12, 3: 9, 4: 7}
# A sequential ramp readable by colour-blind viewers (viridis end points, light = many): counts per square.
COUNT_RAMP = ["#30123B", "#3E5BA9", "#1FA187", "#9FDA3A", "#FDE725"]


def _js_lookup(key: str, mapping: dict, default) -> str:
    """A deck.gl JSON accessor expression picking a value by a small code: nested conditionals, which the
    JSON converter's expression evaluator supports (it cannot call Python)."""
    expr = str(default)
    for code, value in reversed(list(mapping.items())):
        expr = f"{key} == {code} ? {value} : ({expr})"
    return expr


def hazard_codes(hazards: pd.DataFrame) -> dict[str, int]:
    """hazard code -> small integer sent per point (the colour is looked up in the browser)."""
    return {code: i for i, code in enumerate(hazards.sort_values("sort_order")["code"])}


def compact_points(points: pd.DataFrame, hazards: pd.DataFrame, tip: pd.Series) -> pd.DataFrame:
    """The per-incident rows the browser receives: i id, c hazard code, s severity, o open, x/y lon/lat,
    tip the tooltip text (already in the UI language)."""
    codes = hazard_codes(hazards)
    return pd.DataFrame({
        "i": points["incident_id"].astype("int64").to_numpy(),
        "c": points["hazard"].map(codes).astype("int64").to_numpy(),
        "s": points["severity"].astype("int64").to_numpy(),
        "o": points["is_open"].astype("int64").to_numpy(),
        "x": points["lon"].round(4).to_numpy(),
        "y": points["lat"].round(4).to_numpy(),
        "tip": tip.to_numpy(),
    })


def incident_point_layers(rows: pd.DataFrame, precision: pd.Series, hazards: pd.DataFrame,
                          severities: pd.DataFrame) -> list[pdk.Layer]:
    """Incidents as dots: fill = hazard colour, outline = severity warning colour, radius by severity.
    Open incidents get a white halo underneath. Incidents placed at a village/township seat (no exact
    coordinates) are a separate layer of hollow rings: drawn and counted, never dropped."""
    exact = precision.to_numpy() == "exact"
    open_rows = rows[rows["o"] == 1]
    return _point_layers(rows[exact], rows[~exact], open_rows[["x", "y", "s"]] if len(open_rows) else None,
                         hazards, severities)


def point_layers_from_json(points: pd.DataFrame, hazards: pd.DataFrame, severities: pd.DataFrame) -> list[pdk.Layer]:
    """The same three layers as incident_point_layers, from rows DuckDB has already serialised
    (queries/onemap_incident_points.sql: one row with exact_rows/approx_rows/open_rows JSON arrays and their
    counts exact_n/approx_n/open_n). The text goes into the deck JSON unchanged (base.RawJson)."""
    def rows(name: str) -> RawJson:
        return RawJson(_cell(points, f"{name}_rows"), _cell(points, f"{name}_n"))

    halo = rows("open") if _cell(points, "open_n") else None
    return _point_layers(rows("exact"), rows("approx"), halo, hazards, severities)


def point_count(points: pd.DataFrame) -> int:
    """Incidents represented by point_layers_from_json: its points (exact and approximate; the halo repeats open
    ones) and the reports folded into an event's one point."""
    return int(_cell(points, "exact_n")) + int(_cell(points, "approx_n")) + int(_cell(points, "folded_n"))


def _cell(frame: pd.DataFrame, column: str):
    """The first row's value of one column. (frame.iloc[0] would turn every string column of the row into a
    Python string, several times over for megabytes of JSON.)"""
    return frame[column].iat[0]


def _point_layers(exact, approx, halo, hazards: pd.DataFrame, severities: pd.DataFrame) -> list[pdk.Layer]:
    """Layer ids incidents_open_halo (only when something is open), incidents, incidents_approx; the page's
    click-to-select reads field i of a picked object in incidents or incidents_approx."""
    codes = hazard_codes(hazards)
    colour_of = dict(zip(hazards["code"], hazards["colour"]))
    fill = _js_lookup("c", {i: hex_to_rgb(colour_of[h], 235) for h, i in codes.items()}, [128, 128, 128, 235])
    line = _js_lookup("s", {int(r.level): hex_to_rgb(r.colour) for r in severities.itertuples()}, [128, 128, 128, 255])
    radius = _js_lookup("s", WALL_RADIUS, 7)
    layers = []
    if halo is not None:
        layers.append(pdk.Layer("ScatterplotLayer", data=halo, id="incidents_open_halo",
                                get_position="[x, y]", get_radius=f"({radius}) + 5", radius_units="'pixels'",
                                filled=False, stroked=True, get_line_color=OPEN_HALO_RGBA,
                                line_width_min_pixels=2, pickable=False))
    layers.append(pdk.Layer("ScatterplotLayer", data=exact, id="incidents", get_position="[x, y]",
                            get_fill_color=fill, get_line_color=line, get_radius=radius, radius_units="'pixels'",
                            stroked=True, line_width_min_pixels=2, pickable=True, auto_highlight=True))
    layers.append(pdk.Layer("ScatterplotLayer", data=approx, id="incidents_approx", get_position="[x, y]",
                            get_fill_color=[0, 0, 0, 0], get_line_color=fill, get_radius=f"({radius}) + 3",
                            radius_units="'pixels'", stroked=True, filled=False, line_width_min_pixels=3,
                            pickable=True, auto_highlight=True))
    return layers


def cell_ramp_step(n: int, max_n: int) -> int:
    """Step of COUNT_RAMP for a square with n incidents on a log scale up to max_n (log: a few hot spots must not
    wash out the rest of the county)."""
    if max_n <= 1:
        step = len(COUNT_RAMP) - 1 if n >= 1 else 0
    else:
        step = round(math.log(max(n, 1)) / math.log(max_n) * (len(COUNT_RAMP) - 1))
    return min(max(step, 0), len(COUNT_RAMP) - 1)


def cell_ramp_colour(n: int, max_n: int) -> list[int]:
    """Colour of a square with n incidents (see cell_ramp_step)."""
    return hex_to_rgb(COUNT_RAMP[cell_ramp_step(n, max_n)], 200)


def cell_ramp_thresholds(max_n: int) -> list[int]:
    """For each ramp step k >= 1, the smallest n >= 1 whose cell_ramp_step is at least k (the step only grows
    with n, so a binary search over 1..max_n finds it; a step never reached gets max_n + 1)."""
    out = []
    for k in range(1, len(COUNT_RAMP)):
        lo, hi = 1, max(max_n, 1) + 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cell_ramp_step(mid, max_n) >= k:
                hi = mid
            else:
                lo = mid + 1
        out.append(lo)
    return out


def cell_fill_expression(max_n: int) -> str:
    """A deck.gl accessor expression giving each square cell_ramp_colour(n, max_n) in the browser from its n,
    so the rows carry no colour."""
    colours = [hex_to_rgb(c, 200) for c in COUNT_RAMP]
    expr = str(colours[0])
    for k, threshold in enumerate(cell_ramp_thresholds(max_n), start=1):
        expr = f"n >= {threshold} ? {colours[k]} : ({expr})"
    return expr


def cell_polygons(cells: pd.DataFrame, step: float, tip: pd.Series) -> pd.DataFrame:
    """Grid squares (from queries/onemap_incident_cells.sql) as polygon rows with a colour by count."""
    max_n = int(cells["n"].max()) if len(cells) else 0
    x0 = (cells["gx"] * step).round(5)
    y0 = (cells["gy"] * step).round(5)
    x1 = ((cells["gx"] + 1) * step).round(5)
    y1 = ((cells["gy"] + 1) * step).round(5)
    return pd.DataFrame({
        "p": [[[a, b], [c, b], [c, d], [a, d]] for a, b, c, d in zip(x0, y0, x1, y1)],
        "n": cells["n"].astype("int64").to_numpy(),
        "f": [cell_ramp_colour(int(n), max_n) for n in cells["n"]],
        "tip": tip.to_numpy(),
    })


def incident_cell_layer(polygons: pd.DataFrame) -> pdk.Layer:
    """Aggregated incidents: squares coloured by count (open, major and approximate counts in the tooltip)."""
    return pdk.Layer("PolygonLayer", data=polygons, id="incident_cells", get_polygon="p", get_fill_color="f",
                     get_line_color=[11, 18, 32, 160], line_width_min_pixels=1, stroked=True, filled=True,
                     pickable=True, auto_highlight=True)


def cell_layer_from_json(cells: pd.DataFrame) -> pdk.Layer:
    """incident_cell_layer from squares DuckDB has already serialised (queries/onemap_incident_cells.sql: one row
    with rows, the JSON array of {n, p, tip}, cells and max_n); the fill colour is cell_fill_expression."""
    return pdk.Layer("PolygonLayer", data=RawJson(_cell(cells, "rows"), _cell(cells, "cells")), id="incident_cells",
                     get_polygon="p", get_fill_color=cell_fill_expression(int(_cell(cells, "max_n"))),
                     get_line_color=[11, 18, 32, 160], line_width_min_pixels=1, stroked=True, filled=True,
                     pickable=True, auto_highlight=True)


SELECTED_RGBA = [255, 255, 255, 255]


def selected_marker(lon: float, lat: float) -> pdk.Layer:
    """A wide white double ring around the incident shown in the side panel, so the eye finds it on the map."""
    data = [{"x": round(float(lon), 5), "y": round(float(lat), 5), "r": r} for r in (20, 26)]
    return pdk.Layer("ScatterplotLayer", data=data, id="selected_incident", get_position="[x, y]", get_radius="r",
                     radius_units="'pixels'", filled=False, stroked=True, get_line_color=SELECTED_RGBA,
                     line_width_min_pixels=3, pickable=False)
