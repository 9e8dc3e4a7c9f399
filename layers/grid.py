"""Grid cells (网格) shaded by a value: open incidents now, a risk score later. Pure functions, no queries."""
from __future__ import annotations

import pandas as pd
import pydeck as pdk

from layers import theme
from layers.base import feature_collection, hex_to_rgb

# Colour-blind-safe sequential ramp (light yellow to dark red, distinct in lightness).
GRID_RAMP = theme.YLORRD
EMPTY_RGBA = [0, 0, 0, 0]


def shade(value: float, max_value: float) -> list[int]:
    """Fill colour of a cell: transparent at 0, then five steps of the ramp up to max_value."""
    if value <= 0 or max_value <= 0:
        return EMPTY_RGBA
    step = min(int((value / max_value) * len(GRID_RAMP)), len(GRID_RAMP) - 1)
    return hex_to_rgb(GRID_RAMP[step], 95)


def grid_layer(cells: pd.DataFrame, value_column: str = "open_n", tip: pd.Series | None = None) -> pdk.Layer:
    """Grid polygons (GeoJSON in column geojson) filled by value_column; the outline stays faint so the
    389 cells read as texture, not as noise."""
    frame = cells[["grid_cell_id", "name", value_column, "geojson"]].copy()
    max_value = float(frame[value_column].max()) if len(frame) else 0.0
    frame["fill"] = [shade(float(v), max_value) for v in frame[value_column]]
    if tip is not None:
        frame["tip"] = tip.to_numpy()
    data = feature_collection(frame)
    return pdk.Layer("GeoJsonLayer", data=data, id="grid_cells", stroked=True, filled=True,
                     get_fill_color="properties.fill", get_line_color=[120, 150, 200, 60],
                     line_width_min_pixels=1, pickable=True, auto_highlight=True)
