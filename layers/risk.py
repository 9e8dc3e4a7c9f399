"""Grid cells shaded by risk score, and the coverage/decision overlays (villages beyond reach, affected-area
ring, suggested teams' lines). Pure functions: DataFrames in, pydeck layers out; no queries, no Streamlit."""
from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk

from layers import theme
from layers.base import _plain, hex_to_rgb

# ColorBrewer YlOrRd, 5 classes: a sequential scale that stays readable for the common colour-vision
# deficiencies and on the dark base map. Score classes are fixed (0-20, ..., 80-100) so two dates compare.
RISK_CLASSES = list(zip((0, 20, 40, 60, 80), theme.YLORRD))
GAP_RGBA = hex_to_rgb(theme.ALARM_RED)
COVERED_RGBA = hex_to_rgb(theme.OK_GREEN, 200)
RING_RGBA = hex_to_rgb(theme.OK_YELLOW)


# Opacity rises with the class so quiet cells let the dark base map through and hot cells stand out.
RISK_ALPHA = [50, 110, 170, 210, 235]


def risk_colour(score: float) -> list[int]:
    """Fill colour of a score on the fixed 5-class scale."""
    index = 0
    for i, (lower, _) in enumerate(RISK_CLASSES):
        if score >= lower:
            index = i
    return hex_to_rgb(RISK_CLASSES[index][1], RISK_ALPHA[index])


def risk_legend() -> list[tuple[str, str]]:
    """(range label, CSS colour) pairs for the page legend: the cells' own colour and opacity, so a swatch on the
    dark page looks like the fill on the dark map (full-strength swatches matched no cell)."""
    bounds = [lower for lower, _ in RISK_CLASSES] + [100]
    out = []
    for i in range(len(RISK_CLASSES)):
        r, g, b, a = risk_colour(bounds[i])
        out.append((f"{bounds[i]}–{bounds[i + 1]}", f"rgba({r},{g},{b},{a / 255:.2f})"))
    return out


def risk_cell_layer(cells: pd.DataFrame, highlight_ids: set[int] | None = None) -> pdk.Layer:
    """Each grid cell filled by its score class; the highlighted (top-ranked) cells get a white outline. The
    tooltip field tip is "name · score"."""
    highlight_ids = highlight_ids or set()
    keep = ["grid_cell_id", "rank", "name", "township", "score", "members"]
    features = []
    for row in cells[keep + ["geojson"]].to_dict("records"):
        props = {k: _plain(row[k]) for k in keep}
        props["score"] = round(float(row["score"]), 1)
        props["tip"] = f"{props['name']} · {props['score']}"
        props["fill"] = risk_colour(float(row["score"]))
        props["line"] = [255, 255, 255, 255] if row["grid_cell_id"] in highlight_ids else [40, 40, 40, 120]
        props["line_width"] = 3 if row["grid_cell_id"] in highlight_ids else 1
        features.append({"type": "Feature", "geometry": json.loads(row["geojson"]), "properties": props})
    data = {"type": "FeatureCollection", "features": features}
    return pdk.Layer("GeoJsonLayer", data=data, id="risk_cells", stroked=True, filled=True,
                     get_fill_color="properties.fill", get_line_color="properties.line",
                     get_line_width="properties.line_width", line_width_units="'pixels'",
                     pickable=True, auto_highlight=True)


def coverage_village_layer(villages: pd.DataFrame) -> pdk.Layer:
    """Villages as dots: red with a size growing with the number of gaps, green when everything is in reach.
    Expects one row per village with columns village, township, population, gaps, gap_list, lon, lat."""
    data = villages[["village", "township", "population", "gaps", "gap_list", "lon", "lat"]].copy()
    data["fill"] = [GAP_RGBA if g > 0 else COVERED_RGBA for g in data["gaps"]]
    data["radius"] = [4 + 2 * int(g) for g in data["gaps"]]
    return pdk.Layer("ScatterplotLayer", data=data, id="coverage_villages", get_position="[lon, lat]",
                     get_fill_color="fill", get_line_color=[11, 18, 32, 255], get_radius="radius",
                     radius_units="'pixels'", stroked=True, line_width_min_pixels=1, pickable=True)


def affected_ring_layer(lon: float, lat: float, radius_m: float) -> pdk.Layer:
    """The affected-area buffer as a translucent ring in metres (scales with zoom, unlike pixel markers)."""
    data = [{"lon": lon, "lat": lat, "radius": radius_m}]
    return pdk.Layer("ScatterplotLayer", data=data, id="affected_area", get_position="[lon, lat]",
                     get_radius="radius", radius_units="'meters'", filled=True, stroked=True,
                     get_fill_color=RING_RGBA[:3] + [40], get_line_color=RING_RGBA, line_width_min_pixels=2,
                     pickable=False)


def incident_marker_layer(lon: float, lat: float) -> pdk.Layer:
    """The selected incident: a large white-ringed red dot, drawn above everything."""
    return pdk.Layer("ScatterplotLayer", data=[{"lon": lon, "lat": lat}], id="selected_incident",
                     get_position="[lon, lat]", get_radius=10, radius_units="'pixels'",
                     get_fill_color=GAP_RGBA, get_line_color=[255, 255, 255, 255], stroked=True,
                     line_width_min_pixels=3, pickable=False)


def team_route_layer(lon: float, lat: float, teams: pd.DataFrame) -> pdk.Layer:
    """Straight lines from each suggested team to the incident (solid for the teams to send)."""
    data = teams[["name", "lon", "lat", "send", "travel_min"]].copy()
    data["to_lon"], data["to_lat"] = lon, lat
    data["colour"] = [[255, 255, 255, 220] if s else [138, 148, 166, 140] for s in data["send"]]
    return pdk.Layer("LineLayer", data=data, id="team_routes", get_source_position="[lon, lat]",
                     get_target_position="[to_lon, to_lat]", get_color="colour", get_width=2,
                     width_units="'pixels'", pickable=False)


# Sensors feed the alarms component of the risk score; drawn as dots coloured by type
# (Okabe-Ito), offline ones grey, so the resources map shows which sensing is live.
SENSOR_COLOURS = {"rain_gauge": theme.OK_SKY, "water_level": theme.OK_BLUE, "geo_monitor": theme.OK_ORANGE,
                  "smoke_fire_ai": theme.OK_VERMILION}
OFFLINE_RGBA = hex_to_rgb(theme.GREY, 230)


def sensor_layer(sensors: pd.DataFrame) -> pdk.Layer:
    """Sensors as outlined dots coloured by type; grey when offline."""
    data = sensors[["sensor_id", "device_code", "name", "sensor_type", "online", "lon", "lat"]].copy()
    data["online"] = data["online"].astype(bool)
    data["fill"] = [hex_to_rgb(SENSOR_COLOURS.get(kind, theme.WHITE), 240) if on else OFFLINE_RGBA
                    for kind, on in zip(data["sensor_type"], data["online"])]
    return pdk.Layer("ScatterplotLayer", data=data, id="sensors", get_position="[lon, lat]", get_fill_color="fill",
                     get_line_color=[255, 255, 255, 220], get_radius=5, radius_units="'pixels'", stroked=True,
                     line_width_min_pixels=1, pickable=True)
