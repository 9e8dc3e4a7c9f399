"""Resource layers: cameras, reservoirs, rescue teams, shelters, sensor/AI alarms. Pure functions, no queries.

Shapes tell resources from incidents at a glance (incidents are dots): teams are triangles, shelters are
squares (IconLayer with one inline SVG sprite sheet as a data: URL, so nothing is fetched), reservoirs are large rings.
Colours come from the Okabe-Ito set (safe for the common colour-vision deficiencies) and every marker has a
dark or light outline so it reads on the dark wall screen."""
from __future__ import annotations

import base64
import math

import pandas as pd
import pydeck as pdk

from layers import theme
from layers.base import hex_to_rgb
from layers.theme import GREY, OK_BLUE, OK_GREEN, OK_ORANGE, OK_SKY, OK_VERMILION, OK_YELLOW, WHITE

OUTLINE_DARK = hex_to_rgb(theme.BACKGROUND)

CAMERA_COLOURS = {True: OK_GREEN, False: GREY}
# Reservoir status from queries/onemap_reservoirs.sql: above the applicable limit, within 0.5 m of it, below.
RESERVOIR_COLOURS = {"above": OK_VERMILION, "near": OK_YELLOW, "normal": OK_BLUE, "no_reading": GREY}
# Shelter status by free places: plenty (> 20 % free), filling, full.
SHELTER_COLOURS = {"free": OK_GREEN, "filling": OK_YELLOW, "full": OK_VERMILION}
# "other": a kind a county's file names outside the three (stored as other by data/county)
TEAM_COLOURS = {"professional": WHITE, "technical": OK_SKY, "volunteer": OK_YELLOW, "other": OK_ORANGE}
ALARM_RGBA = hex_to_rgb(theme.ALARM_RED)
WAREHOUSE_COLOUR = "#CC79A7"  # Okabe-Ito reddish purple: no other resource wears it


def _svg_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _triangle_svg(colour: str, x: int) -> str:
    return (f'<polygon points="{x + 32},4 {x + 60},58 {x + 4},58" fill="{colour}" stroke="{theme.BACKGROUND}" '
            'stroke-width="6"/>')


def _square_svg(colour: str, x: int) -> str:
    return (f'<rect x="{x + 6}" y="6" width="52" height="52" rx="6" fill="{colour}" stroke="{theme.BACKGROUND}" '
            'stroke-width="6"/>')


def _diamond_svg(colour: str, x: int) -> str:
    return (f'<polygon points="{x + 32},3 {x + 61},32 {x + 32},61 {x + 3},32" fill="{colour}" '
            f'stroke="{theme.BACKGROUND}" stroke-width="6"/>')


def icon_atlas() -> tuple[str, dict]:
    """One inline SVG sprite sheet (a data: URL, so nothing is fetched) holding every resource icon, and the
    IconLayer mapping from icon name to its 64x64 cell. Rows then carry only the short icon name."""
    shapes, mapping = [], {}
    cells = [(f"team_{kind}", _triangle_svg, colour) for kind, colour in TEAM_COLOURS.items()]
    cells += [(f"shelter_{status}", _square_svg, colour) for status, colour in SHELTER_COLOURS.items()]
    cells += [("warehouse", _diamond_svg, WAREHOUSE_COLOUR)]
    for i, (name, draw, colour) in enumerate(cells):
        shapes.append(draw(colour, 64 * i))
        mapping[name] = {"x": 64 * i, "y": 0, "width": 64, "height": 64, "anchorY": 32, "mask": False}
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{64 * len(cells)}" height="64">'
           + "".join(shapes) + "</svg>")
    return _svg_url(svg), mapping


def _with_labels(data: pd.DataFrame, labels: dict[str, dict] | None, tip: pd.Series | None = None) -> pd.DataFrame:
    """Adds <column>_label columns (UI-language names of codes) and the tooltip text column tip."""
    for column, mapping in (labels or {}).items():
        data[f"{column}_label"] = data[column].map(mapping).fillna(data[column].astype(str))
    if tip is not None:
        data["tip"] = tip.to_numpy()
    return data


def _drawn_only(data: pd.DataFrame, keep: list[str], tip: pd.Series | None) -> pd.DataFrame:
    """With a ready tooltip the browser needs only the drawing columns, the id and tip: every extra column
    is repeated in the map JSON once per row."""
    if tip is None:
        return data
    return data[[c for c in keep if c in data.columns] + ["tip"]]


def camera_layer(cameras: pd.DataFrame, labels: dict[str, dict] | None = None,
                 tip: pd.Series | None = None) -> pdk.Layer:
    """Cameras as small dots: green online, grey offline (offline ones also drawn slightly larger)."""
    data = cameras[["camera_id", "code", "name", "kind", "online", "lon", "lat"]].copy()
    data["online"] = data["online"].astype(bool)
    data["fill"] = data["online"].map(lambda on: hex_to_rgb(CAMERA_COLOURS[on], 230))
    data["radius"] = data["online"].map({True: 3, False: 4})
    data = _drawn_only(_with_labels(data, labels, tip), ["camera_id", "lon", "lat", "fill", "radius"], tip)
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


def reservoir_layer(reservoirs: pd.DataFrame, labels: dict[str, dict] | None = None,
                 tip: pd.Series | None = None) -> pdk.Layer:
    """Reservoirs as thick rings coloured by status (level vs flood-limit level in flood season, vs normal
    level outside it), sized by capacity on a log scale so the big one does not swamp the small ponds."""
    columns = ["reservoir_id", "name", "scale", "capacity_mcm", "level_m", "limit_m", "status", "lon", "lat"]
    data = reservoirs[columns].copy()
    data["line"] = data["status"].map(lambda s: hex_to_rgb(RESERVOIR_COLOURS.get(s, GREY)))
    data["fill"] = data["status"].map(lambda s: hex_to_rgb(RESERVOIR_COLOURS.get(s, GREY), 90))
    # a county's file may leave the capacity empty: the smallest ring
    data["radius"] = data["capacity_mcm"].map(lambda c: round(7 + 3 * math.log10(1 + 10 * (0 if pd.isna(c) else
                                                                                         float(c))), 1))
    data["level_m"] = data["level_m"].round(2)
    data["over_m"] = (data["level_m"] - data["limit_m"]).round(2)
    data = _drawn_only(_with_labels(data, labels, tip), ["reservoir_id", "lon", "lat", "fill", "line", "radius"], tip)
    return pdk.Layer("ScatterplotLayer", data=data, id="reservoirs", get_position="[lon, lat]",
                     get_fill_color="fill", get_line_color="line", get_radius="radius", radius_units="'pixels'",
                     stroked=True, filled=True, line_width_min_pixels=4, pickable=True)


def team_layer(teams: pd.DataFrame, labels: dict[str, dict] | None = None,
                 tip: pd.Series | None = None) -> pdk.Layer:
    """Rescue teams as triangles coloured by kind (professional / technical / volunteer), sized by headcount."""
    data = teams[["team_id", "name", "kind", "specialty", "headcount", "lon", "lat"]].copy()
    data["icon"] = "team_" + data["kind"].astype(str)
    data["size"] = data["headcount"].map(lambda h: round(9 + math.sqrt(max(int(h), 1)), 1))
    data = _drawn_only(_with_labels(data, labels, tip), ["team_id", "lon", "lat", "icon", "size"], tip)
    atlas, mapping = icon_atlas()
    return pdk.Layer("IconLayer", data=data, id="rescue_teams", get_position="[lon, lat]", get_icon="icon",
                     icon_atlas=f"'{atlas}'", icon_mapping=mapping, get_size="size", size_units="'pixels'",
                     pickable=True)


def shelter_status(capacity: int, occupancy: int) -> str:
    free = capacity - occupancy
    if free <= 0:
        return "full"
    return "free" if free > 0.2 * capacity else "filling"


def shelter_layer(shelters: pd.DataFrame, labels: dict[str, dict] | None = None,
                 tip: pd.Series | None = None) -> pdk.Layer:
    """Shelters as squares coloured by free places (green plenty, yellow filling, vermilion full),
    sized by capacity."""
    data = shelters[["shelter_id", "name", "level", "capacity", "occupancy", "is_open", "lon", "lat"]].copy()
    data["free_places"] = data["capacity"] - data["occupancy"]
    data["status"] = [shelter_status(int(c), int(o)) for c, o in zip(data["capacity"], data["occupancy"])]
    data["icon"] = "shelter_" + data["status"].astype(str)  # astype: an empty frame's column is not text
    data["size"] = data["capacity"].map(lambda c: round(5 + 1.5 * math.log10(max(int(c), 1)), 1))
    data = _drawn_only(_with_labels(data, labels, tip), ["shelter_id", "lon", "lat", "icon", "size"], tip)
    atlas, mapping = icon_atlas()
    return pdk.Layer("IconLayer", data=data, id="shelters", get_position="[lon, lat]", get_icon="icon",
                     icon_atlas=f"'{atlas}'", icon_mapping=mapping, get_size="size", size_units="'pixels'",
                     pickable=True)


def warehouse_layer(warehouses: pd.DataFrame, tip: pd.Series | None = None) -> pdk.Layer:
    """Supply depots as diamonds, sized by how many kinds of supplies and equipment they hold."""
    data = warehouses[["warehouse_id", "name", "items", "lon", "lat"]].copy()
    data["icon"] = "warehouse"
    data["size"] = data["items"].map(lambda n: round(14 + 2 * math.sqrt(max(int(n), 0)), 1))
    data = _drawn_only(_with_labels(data, None, tip), ["warehouse_id", "lon", "lat", "icon", "size"], tip)
    atlas, mapping = icon_atlas()
    return pdk.Layer("IconLayer", data=data, id="warehouses", get_position="[lon, lat]", get_icon="icon",
                     icon_atlas=f"'{atlas}'", icon_mapping=mapping, get_size="size", size_units="'pixels'",
                     pickable=True)


def alarm_layer(alarms: pd.DataFrame, labels: dict[str, dict] | None = None,
                 tip: pd.Series | None = None) -> pdk.Layer:
    """Open IoT-sensor and AI-video alarms as a wide red halo around the point, so a smoke/fire detection
    stands out (drawn over the resources and under the incident dots, which pick first)."""
    data = alarms[["incident_id", "channel", "hazard", "severity", "status", "device_id", "lon", "lat"]].copy()
    if "received_at" in alarms:
        data["received_at"] = alarms["received_at"].astype(str).str.slice(0, 16)
    data = _drawn_only(_with_labels(data, labels, tip), ["incident_id", "lon", "lat"], tip)
    return pdk.Layer("ScatterplotLayer", data=data, id="alarms", get_position="[lon, lat]",
                     get_fill_color=ALARM_RGBA[:3] + [60], get_line_color=ALARM_RGBA, get_radius=18,
                     radius_units="'pixels'", stroked=True, filled=True, line_width_min_pixels=4, pickable=True)
