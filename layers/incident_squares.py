"""Incidents summed into lon/lat squares (the level-of-detail form above the point threshold). Pure, no queries.

Input: one row per square from DuckDB (gx, gy = floor(lon or lat / cell_deg), incidents); the square's corners
are rebuilt here, so the browser receives a few thousand small polygons whatever the incident count."""
from __future__ import annotations

import math

import pandas as pd
import pydeck as pdk

# Sequential, colour-blind-safe ramp (ColorBrewer YlOrRd), light = few, dark = many.
RAMP = [[255, 255, 178], [254, 217, 118], [254, 178, 76], [253, 141, 60], [240, 59, 32], [189, 0, 38]]


def ramp_index(count: int, top: int) -> int:
    """Log scale: a square with 10x the incidents sits a few steps darker, not off the scale."""
    if count <= 1 or top <= 1:
        return 0
    return min(len(RAMP) - 1, int(len(RAMP) * math.log(count) / math.log(top + 1)))


def square_polygons(squares: pd.DataFrame, cell_deg: float) -> pd.DataFrame:
    top = int(squares["incidents"].max()) if len(squares) else 1
    data = squares[["gx", "gy", "incidents"]].copy()
    data["polygon"] = [[[gx * cell_deg, gy * cell_deg], [(gx + 1) * cell_deg, gy * cell_deg],
                        [(gx + 1) * cell_deg, (gy + 1) * cell_deg], [gx * cell_deg, (gy + 1) * cell_deg]]
                       for gx, gy in zip(data["gx"], data["gy"])]
    data["fill"] = [RAMP[ramp_index(int(n), top)] + [200] for n in data["incidents"]]
    return data


def incident_square_layer(squares: pd.DataFrame, cell_deg: float) -> pdk.Layer:
    data = square_polygons(squares, cell_deg)[["incidents", "polygon", "fill"]]
    return pdk.Layer("PolygonLayer", data=data, id="incident_squares", get_polygon="polygon",
                     get_fill_color="fill", get_line_color=[11, 18, 32, 120], line_width_min_pixels=0.5,
                     stroked=True, filled=True, pickable=True, auto_highlight=True)
