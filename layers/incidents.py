"""Incident points coloured by hazard, outlined by severity colour. Pure functions, no queries."""
from __future__ import annotations

import pandas as pd
import pydeck as pdk

from layers.base import hex_to_rgb

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
