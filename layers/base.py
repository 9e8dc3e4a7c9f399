"""The offline base map: county and township boundaries and township names. Pure functions, no queries."""
from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

# A CJK font the project installs (fonts-wqy-microhei); the browser falls back to Noto if present.
CJK_FONT = "'\"WenQuanYi Micro Hei\", \"Noto Sans CJK SC\", \"Microsoft YaHei\", sans-serif'"
BOUNDARY_RGBA = [150, 190, 255, 220]
TOWNSHIP_LINE_RGBA = [120, 150, 200, 150]
LAND_RGBA = [22, 34, 54, 255]
RIVER_RGBA = [86, 180, 233, 200]


def hex_to_rgb(colour: str, alpha: int = 255) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def feature_collection(frame: pd.DataFrame, geojson_column: str = "geojson") -> dict:
    """GeoJSON FeatureCollection from a frame whose geometry is a GeoJSON string (from ST_AsGeoJSON)."""
    props = [c for c in frame.columns if c != geojson_column]
    features = [{"type": "Feature", "geometry": json.loads(row[geojson_column]),
                 "properties": {c: _plain(row[c]) for c in props}}
                for row in frame.to_dict("records")]
    return {"type": "FeatureCollection", "features": features}


def _plain(value):
    """JSON-safe scalar (numpy and pandas types do not serialise)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ", timespec="minutes")
    return value


def county_layer(outline_geojson: str) -> pdk.Layer:
    """The county filled as land, so the map reads as a map with no tiles."""
    geometry = json.loads(outline_geojson)
    data = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": geometry, "properties": {}}]}
    return pdk.Layer("GeoJsonLayer", data=data, id="county", stroked=True, filled=True,
                     get_fill_color=LAND_RGBA, get_line_color=BOUNDARY_RGBA, line_width_min_pixels=3,
                     pickable=False)


def township_layer(townships: pd.DataFrame) -> pdk.Layer:
    """Township boundaries (approximate in the demo) as thin lines."""
    data = feature_collection(townships[["name", "geojson"]])
    return pdk.Layer("GeoJsonLayer", data=data, id="townships", stroked=True, filled=False,
                     get_line_color=TOWNSHIP_LINE_RGBA, line_width_min_pixels=1, pickable=False)


def township_label_layer(townships: pd.DataFrame, size: int = 16) -> pdk.Layer:
    """Township names at their seats; character_set 'auto' lets deck.gl build glyphs for Chinese."""
    data = townships[["name", "seat_lon", "seat_lat"]].to_dict("records")
    return pdk.Layer("TextLayer", data=data, id="township_labels", get_position="[seat_lon, seat_lat]",
                     get_text="name", get_size=size, get_color=[230, 237, 247, 230], character_set="'auto'",
                     font_family=CJK_FONT, get_text_anchor="'middle'", get_alignment_baseline="'bottom'",
                     get_pixel_offset=[0, -8], outline_width=2, outline_color=[11, 18, 32, 255],
                     font_settings={"sdf": True}, pickable=False)


def view_state(lon: float, lat: float, zoom: float) -> pdk.ViewState:
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom, pitch=0, bearing=0)


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation and keeps Chinese as UTF-8: pydeck's own to_json indents by 2 and
    escapes every CJK character as \\uXXXX, which more than doubles the payload of a map with many points."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def river_layer(rivers_geojson: dict) -> pdk.Layer:
    """Rivers (coarse lines from data/geo) for orientation on the offline map."""
    return pdk.Layer("GeoJsonLayer", data=rivers_geojson, id="rivers", stroked=True, filled=False,
                     get_line_color=RIVER_RGBA, line_width_min_pixels=2, pickable=False)


def tile_layer(url_template: str, opacity: float = 0.85) -> pdk.Layer:
    """Raster tiles from the unit's own tile server (an XYZ template with {x} {y} {z}) under everything else.

    deck.gl's TileLayer needs a JavaScript renderSubLayers callback, which pydeck's JSON cannot carry; a
    TerrainLayer can: it tiles its texture from the same template, and an elevation decoder of all zeros keeps
    the mesh flat. The browser requests tiles only when a template is configured."""
    flat = {"rScaler": 0, "gScaler": 0, "bScaler": 0, "offset": 0}
    quoted = "'" + url_template.replace("'", "%27") + "'"  # pydeck reads unquoted strings as expressions
    return pdk.Layer("TerrainLayer", id="tiles", elevation_data=quoted, texture=quoted,
                     elevation_decoder=flat, mesh_max_error=100, opacity=opacity, pickable=False)


def make_deck(layers: list[pdk.Layer], view: pdk.ViewState, tooltip: dict | bool = False) -> pdk.Deck:
    """A deck with no base-map provider: with map_provider=None the browser fetches nothing from outside."""
    return CompactDeck(layers=layers, initial_view_state=view, map_provider=None,
                    tooltip=tooltip, parameters={"clearColor": [0.043, 0.071, 0.125, 1]})
