"""Resource layers: cameras, reservoirs, rescue teams, shelters, sensor/AI alarms. Pure functions, no queries.

Shapes tell resources from incidents at a glance (incidents are dots): teams are triangles, shelters are
squares (both IconLayer with inline SVG data: URLs, so nothing is fetched), reservoirs are large rings.
Colours come from the Okabe-Ito set (safe for the common colour-vision deficiencies) and every marker has a
dark or light outline so it reads on the dark wall screen."""
from __future__ import annotations

import base64
import math

import pandas as pd
import pydeck as pdk

from layers.base import hex_to_rgb

# Okabe-Ito colours, used for status scales across the resource layers.
OK_GREEN = "#009E73"
OK_YELLOW = "#F0E442"
OK_VERMILION = "#D55E00"
OK_BLUE = "#0072B2"
OK_SKY = "#56B4E9"
GREY = "#8A94A6"
WHITE = "#FFFFFF"
OUTLINE_DARK = [11, 18, 32, 255]

CAMERA_COLOURS = {True: OK_GREEN, False: GREY}
# Reservoir status from queries/onemap_reservoirs.sql: above the applicable limit, within 0.5 m of it, below.
RESERVOIR_COLOURS = {"above": OK_VERMILION, "near": OK_YELLOW, "normal": OK_BLUE, "no_reading": GREY}
# Shelter status by free places: plenty (> 20 % free), filling, full.
SHELTER_COLOURS = {"free": OK_GREEN, "filling": OK_YELLOW, "full": OK_VERMILION}
TEAM_COLOURS = {"professional": WHITE, "technical": OK_SKY, "volunteer": OK_YELLOW}
ALARM_RGBA = hex_to_rgb("#E5202A")


def _svg_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def triangle_icon(colour: str) -> dict:
    """An upward triangle with a dark outline, as an IconLayer icon definition (inline: no request)."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
           f'<polygon points="32,4 60,58 4,58" fill="{colour}" stroke="#0B1220" stroke-width="6"/></svg>')
    return {"url": _svg_url(svg), "width": 64, "height": 64, "anchorY": 32, "mask": False}


def square_icon(colour: str) -> dict:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
           f'<rect x="6" y="6" width="52" height="52" rx="6" fill="{colour}" stroke="#0B1220" stroke-width="6"/>'
           '</svg>')
    return {"url": _svg_url(svg), "width": 64, "height": 64, "anchorY": 32, "mask": False}


def _with_labels(data: pd.DataFrame, labels: dict[str, dict] | None) -> pd.DataFrame:
    """Adds <column>_label columns (UI-language names of codes) for the tooltip."""
    for column, mapping in (labels or {}).items():
        data[f"{column}_label"] = data[column].map(mapping).fillna(data[column].astype(str))
    return data


def camera_layer(cameras: pd.DataFrame, labels: dict[str, dict] | None = None) -> pdk.Layer:
    """Cameras as small dots: green online, grey offline (offline ones also drawn slightly larger)."""
    data = cameras[["camera_id", "code", "name", "kind", "online", "lon", "lat"]].copy()
    data["online"] = data["online"].astype(bool)
    data["fill"] = data["online"].map(lambda on: hex_to_rgb(CAMERA_COLOURS[on], 230))
    data["radius"] = data["online"].map({True: 3, False: 4})
    data = _with_labels(data, labels)
    return pdk.Layer("ScatterplotLayer", data=data, id="cameras", get_position="[lon, lat]",
                     get_fill_color="fill", get_line_color=OUTLINE_DARK, get_radius="radius",
                     radius_units="'pixels'", stroked=True, line_width_min_pixels=1, pickable=True)


def reservoir_status(level_m: float | None, limit_m: float) -> str:
    """above / near (within 0.5 m below) / normal, against the limit that applies today; the SQL computes
    the same for the map, this mirror serves tests and callers holding a single reading."""
    if level_m is None or (isinstance(level_m, float) and math.isnan(level_m)):
        return "no_reading"
    if level_m > limit_m:
        return "above"
    if level_m >= limit_m - 0.5:
        return "near"
    return "normal"


def reservoir_layer(reservoirs: pd.DataFrame, labels: dict[str, dict] | None = None) -> pdk.Layer:
    """Reservoirs as thick rings coloured by status (level vs flood-limit level in flood season, vs normal
    level outside it), sized by capacity on a log scale so the big one does not swamp the small ponds."""
    columns = ["reservoir_id", "name", "scale", "capacity_mcm", "level_m", "limit_m", "status", "lon", "lat"]
    data = reservoirs[columns].copy()
    data["line"] = data["status"].map(lambda s: hex_to_rgb(RESERVOIR_COLOURS.get(s, GREY)))
    data["fill"] = data["status"].map(lambda s: hex_to_rgb(RESERVOIR_COLOURS.get(s, GREY), 90))
    data["radius"] = data["capacity_mcm"].map(lambda c: 7 + 3 * math.log10(1 + 10 * float(c)))
    data["level_m"] = data["level_m"].round(2)
    data["over_m"] = (data["level_m"] - data["limit_m"]).round(2)
    data = _with_labels(data, labels)
    return pdk.Layer("ScatterplotLayer", data=data, id="reservoirs", get_position="[lon, lat]",
                     get_fill_color="fill", get_line_color="line", get_radius="radius", radius_units="'pixels'",
                     stroked=True, filled=True, line_width_min_pixels=4, pickable=True)


def team_layer(teams: pd.DataFrame, labels: dict[str, dict] | None = None) -> pdk.Layer:
    """Rescue teams as triangles coloured by kind (professional / technical / volunteer), sized by headcount."""
    data = teams[["team_id", "name", "kind", "specialty", "headcount", "lon", "lat"]].copy()
    icons = {kind: triangle_icon(colour) for kind, colour in TEAM_COLOURS.items()}
    data["icon"] = data["kind"].map(icons)
    data["size"] = data["headcount"].map(lambda h: 14 + 4 * math.sqrt(max(int(h), 1)) / 2)
    data = _with_labels(data, labels)
    return pdk.Layer("IconLayer", data=data, id="rescue_teams", get_position="[lon, lat]", get_icon="icon",
                     get_size="size", size_units="'pixels'", pickable=True)


def shelter_status(capacity: int, occupancy: int) -> str:
    free = capacity - occupancy
    if free <= 0:
        return "full"
    return "free" if free > 0.2 * capacity else "filling"


def shelter_layer(shelters: pd.DataFrame, labels: dict[str, dict] | None = None) -> pdk.Layer:
    """Shelters as squares coloured by free places (green plenty, yellow filling, vermilion full),
    sized by capacity."""
    data = shelters[["shelter_id", "name", "level", "capacity", "occupancy", "is_open", "lon", "lat"]].copy()
    data["free_places"] = data["capacity"] - data["occupancy"]
    data["status"] = [shelter_status(int(c), int(o)) for c, o in zip(data["capacity"], data["occupancy"])]
    icons = {status: square_icon(colour) for status, colour in SHELTER_COLOURS.items()}
    data["icon"] = data["status"].map(icons)
    data["size"] = data["capacity"].map(lambda c: 10 + 3 * math.log10(max(int(c), 1)))
    data = _with_labels(data, labels)
    return pdk.Layer("IconLayer", data=data, id="shelters", get_position="[lon, lat]", get_icon="icon",
                     get_size="size", size_units="'pixels'", pickable=True)


def alarm_layer(alarms: pd.DataFrame, labels: dict[str, dict] | None = None) -> pdk.Layer:
    """Open IoT-sensor and AI-video alarms as a wide red halo around the point, so a smoke/fire detection
    stands out over everything else (drawn above the incident dots)."""
    data = alarms[["incident_id", "channel", "hazard", "severity", "status", "device_id", "lon", "lat"]].copy()
    if "received_at" in alarms:
        data["received_at"] = alarms["received_at"].astype(str).str.slice(0, 16)
    data = _with_labels(data, labels)
    return pdk.Layer("ScatterplotLayer", data=data, id="alarms", get_position="[lon, lat]",
                     get_fill_color=ALARM_RGBA[:3] + [60], get_line_color=ALARM_RGBA, get_radius=18,
                     radius_units="'pixels'", stroked=True, filled=True, line_width_min_pixels=4, pickable=True)
