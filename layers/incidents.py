"""Incidents on a map: points coloured by hazard and outlined by severity colour, or squares coloured by count.
Pure functions, DataFrames (or rows DuckDB has already serialised) in, pydeck layers out; no queries, no
Streamlit. views/incident_map.py picks between points and squares for every map of incidents."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pydeck as pdk

from layers import theme
from layers.base import RawJson, hex_to_rgb

# Points: one compact row per incident (one-letter keys, 4-decimal coordinates, colours computed in the browser
# from small codes), because the deck travels to the browser as one JSON string that must stay under 2 MB.
# Squares: one row per square {p polygon, n count, tip}, coloured in the browser from n.

OPEN_HALO_RGBA = [255, 255, 255, 200]
SELECTED_RGBA = hex_to_rgb(theme.WHITE)
CELL_LINE_RGBA = hex_to_rgb(theme.BACKGROUND, 160)
# Marker radius (pixels) by severity, I biggest: big enough to read across a room on the wall screen.
SEVERITY_RADIUS = {1: 14, 2: 12, 3: 9, 4: 7}
# Counts per square, light = many, readable by colour-blind viewers.
COUNT_RAMP = theme.VIRIDIS
COUNT_ALPHA = 200


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
    tip the tooltip text (already in the UI language). The same rows queries/onemap_incident_points.sql writes."""
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


def drawing_order(points: pd.DataFrame) -> np.ndarray:
    """Positions of the incidents in the order they are drawn: deck.gl draws and picks a layer's rows in order,
    the last on top, so the least severe come first and the most severe (I) last; within a level the oldest
    first (as queries/onemap_incident_points.sql orders its JSON rows)."""
    keys = [points["severity"].astype("int64").to_numpy() * -1]  # np.lexsort: the last key sorts first
    if "received_at" in points:
        keys.insert(0, pd.to_datetime(points["received_at"]).to_numpy())
    if "incident_id" in points:
        keys.insert(0, points["incident_id"].astype("int64").to_numpy())
    return np.lexsort(keys)


def point_layers_from_frame(points: pd.DataFrame, tip: pd.Series, hazards: pd.DataFrame,
                            severities: pd.DataFrame) -> list[pdk.Layer]:
    """The point layers (see point_layers) from incidents as a frame: incident_id, hazard, severity, is_open,
    lon, lat and, when known, location_precision (without it every incident counts as exact). The rows are
    compact_points' without o."""
    order = drawing_order(points)
    points, tip = points.iloc[order], tip.iloc[order]
    rows = compact_points(points, hazards, tip)
    exact = (points["location_precision"].to_numpy() == "exact") if "location_precision" in points \
        else np.ones(len(rows), dtype=bool)
    open_rows = rows[rows["o"] == 1]
    halo = open_rows[["x", "y", "s"]] if len(open_rows) else None
    rows = rows.drop(columns="o")  # the halo shows which are open; o would only add bytes
    return point_layers(rows[exact], rows[~exact], halo, hazards, severities)


def point_layers_from_json(points: pd.DataFrame, hazards: pd.DataFrame, severities: pd.DataFrame) -> list[pdk.Layer]:
    """The point layers (see point_layers) from rows DuckDB has already serialised
    (queries/onemap_incident_points.sql: one row with exact_rows/approx_rows/open_rows JSON arrays and their
    counts exact_n/approx_n/open_n). The text goes into the deck JSON unchanged (base.RawJson)."""
    def rows(name: str) -> RawJson:
        return RawJson(_cell(points, f"{name}_rows"), _cell(points, f"{name}_n"))

    halo = rows("open") if _cell(points, "open_n") else None
    return point_layers(rows("exact"), rows("approx"), halo, hazards, severities)


def point_count(points: pd.DataFrame) -> int:
    """Incidents represented by point_layers_from_json: its points (exact and approximate; the halo repeats open
    ones) and the reports folded into an event's one point."""
    return int(_cell(points, "exact_n")) + int(_cell(points, "approx_n")) + int(_cell(points, "folded_n"))


def _cell(frame: pd.DataFrame, column: str):
    """The first row's value of one column. (frame.iloc[0] would turn every string column of the row into a
    Python string, several times over for megabytes of JSON.)"""
    return frame[column].iat[0]


def point_layers(exact, approx, halo, hazards: pd.DataFrame, severities: pd.DataFrame) -> list[pdk.Layer]:
    """Incidents as dots: fill = hazard colour, outline = severity warning colour, radius by severity. Open
    incidents get a white halo underneath (halo None when nothing is open). Incidents placed at a village or
    township seat (no exact coordinates) are a separate layer of hollow rings: drawn and counted, never dropped.
    Layer ids incidents_open_halo, incidents_approx, incidents, in drawing order: the exactly placed dots on
    top (deck.gl picks the top-most layer), the rings of approximate places under them. Within a layer the rows
    come least severe first (drawing_order), so a severe incident is drawn and picked above the others. The
    pages' click-to-select reads field i of a picked object in incidents or incidents_approx.
    Data: compact rows as a frame, or RawJson."""
    codes = hazard_codes(hazards)
    colour_of = dict(zip(hazards["code"], hazards["colour"]))
    fill = _js_lookup("c", {i: hex_to_rgb(colour_of[h], 235) for h, i in codes.items()}, [128, 128, 128, 235])
    line = _js_lookup("s", {int(r.level): hex_to_rgb(r.colour) for r in severities.itertuples()}, [128, 128, 128, 255])
    radius = _js_lookup("s", SEVERITY_RADIUS, 7)
    layers = []
    if halo is not None:
        layers.append(pdk.Layer("ScatterplotLayer", data=halo, id="incidents_open_halo",
                                get_position="[x, y]", get_radius=f"({radius}) + 5", radius_units="'pixels'",
                                filled=False, stroked=True, get_line_color=OPEN_HALO_RGBA,
                                line_width_min_pixels=2, pickable=False))
    layers.append(pdk.Layer("ScatterplotLayer", data=approx, id="incidents_approx", get_position="[x, y]",
                            get_fill_color=[0, 0, 0, 0], get_line_color=fill, get_radius=f"({radius}) + 3",
                            radius_units="'pixels'", stroked=True, filled=False, line_width_min_pixels=3,
                            pickable=True, auto_highlight=True))
    layers.append(pdk.Layer("ScatterplotLayer", data=exact, id="incidents", get_position="[x, y]",
                            get_fill_color=fill, get_line_color=line, get_radius=radius, radius_units="'pixels'",
                            stroked=True, line_width_min_pixels=2, pickable=True, auto_highlight=True))
    return layers


def cell_ramp_step(n: int, max_n: int) -> int:
    """Step of COUNT_RAMP for a square with n incidents on a log scale up to max_n (log: a few hot spots must not
    wash out the rest of the county)."""
    if max_n <= 1:
        step = len(COUNT_RAMP) - 1 if n >= 1 else 0
    else:
        step = round(math.log(max(n, 1)) / math.log(max_n) * (len(COUNT_RAMP) - 1))
    return min(max(step, 0), len(COUNT_RAMP) - 1)


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
    """A deck.gl accessor expression giving each square the COUNT_RAMP colour of cell_ramp_step(n, max_n) in the
    browser from its n, so the rows carry no colour."""
    colours = [hex_to_rgb(c, COUNT_ALPHA) for c in COUNT_RAMP]
    expr = str(colours[0])
    for k, threshold in enumerate(cell_ramp_thresholds(max_n), start=1):
        expr = f"n >= {threshold} ? {colours[k]} : ({expr})"
    return expr


def cell_polygons(cells: pd.DataFrame, step: float, tip: pd.Series) -> pd.DataFrame:
    """Squares counted per (gx, gy) of `step` degrees as the rows the browser draws: p polygon, n count, tip.
    The same rows queries/onemap_incident_cells.sql writes."""
    x0 = (cells["gx"] * step).round(5)
    y0 = (cells["gy"] * step).round(5)
    x1 = ((cells["gx"] + 1) * step).round(5)
    y1 = ((cells["gy"] + 1) * step).round(5)
    return pd.DataFrame({
        "n": cells["n"].astype("int64").to_numpy(),
        "p": [[[a, b], [c, b], [c, d], [a, d]] for a, b, c, d in zip(x0, y0, x1, y1)],
        "tip": tip.to_numpy(),
    })


def cell_layer_from_frame(cells: pd.DataFrame, step: float, tip: pd.Series) -> pdk.Layer:
    """The squares layer (see cell_layer) from counts per square as a frame: gx, gy, n."""
    return cell_layer(cell_polygons(cells, step, tip), int(cells["n"].max()) if len(cells) else 0)


def cell_layer_from_json(cells: pd.DataFrame) -> pdk.Layer:
    """The squares layer (see cell_layer) from squares DuckDB has already serialised
    (queries/onemap_incident_cells.sql: one row with rows, the JSON array of {n, p, tip}, cells and max_n)."""
    return cell_layer(RawJson(_cell(cells, "rows"), _cell(cells, "cells")), int(_cell(cells, "max_n")))


def cell_layer(rows, max_n: int) -> pdk.Layer:
    """Aggregated incidents: squares coloured by count in the browser (cell_fill_expression), open, major and
    approximate counts in the tooltip. Layer id incident_cells. Data: rows {n, p, tip} as a frame, or RawJson."""
    return pdk.Layer("PolygonLayer", data=rows, id="incident_cells", get_polygon="p",
                     get_fill_color=cell_fill_expression(max_n), get_line_color=CELL_LINE_RGBA,
                     line_width_min_pixels=1, stroked=True, filled=True, pickable=True, auto_highlight=True)


def selected_marker(lon: float, lat: float) -> pdk.Layer:
    """A wide white double ring around the incident shown in the side panel, so the eye finds it on the map."""
    data = [{"x": round(float(lon), 5), "y": round(float(lat), 5), "r": r} for r in (20, 26)]
    return pdk.Layer("ScatterplotLayer", data=data, id="selected_incident", get_position="[x, y]", get_radius="r",
                     radius_units="'pixels'", filled=False, stroked=True, get_line_color=SELECTED_RGBA,
                     line_width_min_pixels=3, pickable=False)


def density_layer(cells: pd.DataFrame, step: float) -> pdk.Layer:
    """Where incidents concentrate, as a heat map of the squares DuckDB counted (gx, gy, n): the browser gets one
    weighted point per square, never the incidents themselves, so a year of a county draws as fast as a day."""
    data = pd.DataFrame({"lon": (cells["gx"].astype(float) + 0.5) * step,
                         "lat": (cells["gy"].astype(float) + 0.5) * step, "n": cells["n"].astype(int)})
    return pdk.Layer("HeatmapLayer", data=data, id="incident_density", get_position="[lon, lat]", get_weight="n",
                     radius_pixels=40, intensity=1, threshold=0.03, opacity=0.85, aggregation="'SUM'",
                     color_range=[hex_to_rgb(c)[:3] for c in COUNT_RAMP])
