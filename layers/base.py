"""The offline base map: county and township boundaries and township names. Pure functions, no queries."""
from __future__ import annotations

import functools
import importlib
import json
import math
import secrets

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from layers import theme

# A CJK font the project installs (fonts-wqy-microhei); the browser falls back to Noto if present.
CJK_FONT = "'\"WenQuanYi Micro Hei\", \"Noto Sans CJK SC\", \"Microsoft YaHei\", sans-serif'"
BOUNDARY_RGBA = [150, 190, 255, 220]
TOWNSHIP_LINE_RGBA = [120, 150, 200, 150]
LAND_RGBA = [22, 34, 54, 255]
RIVER_RGBA = [86, 180, 233, 200]


# pydeck's Deck() asks has_jupyter_extra() up to five times, and without the Jupyter extra each answer is a
# failed import (about 0.5 ms): a few ms on every map build. The answer cannot change while the process runs.
_pydeck_deck = importlib.import_module("pydeck.bindings.deck")
if not hasattr(_pydeck_deck.has_jupyter_extra, "cache_info"):
    _pydeck_deck.has_jupyter_extra = functools.lru_cache(maxsize=1)(_pydeck_deck.has_jupyter_extra)


def hex_to_rgb(colour: str, alpha: int = 255) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


LABEL_RGBA = hex_to_rgb(theme.TEXT, 230)
LABEL_OUTLINE_RGBA = hex_to_rgb(theme.BACKGROUND)
# deck.gl's clear colour is RGBA in 0..1.
CLEAR_COLOUR = [round(c / 255, 3) for c in hex_to_rgb(theme.BACKGROUND)[:3]] + [1]


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


class RawJson:
    """Layer data already serialised as JSON text (a JSON array of row objects, e.g. built by DuckDB):
    CompactDeck.to_json puts the text into the deck JSON as it is, so thousands of rows cost no Python dicts
    and no encoding. count = number of rows (len() of the data, as for a list)."""
    __slots__ = ("text", "count")

    def __init__(self, text: str, count: int):
        self.text, self.count = text, int(count)

    def __len__(self) -> int:
        return self.count

    def rows(self) -> list:
        """The rows as Python objects (for tests and callers that need to read them; slow for big data)."""
        return json.loads(self.text)

    def __repr__(self) -> str:
        return f"RawJson({self.count} rows, {len(self.text):,} chars)"


def feature_collection_json(frame: pd.DataFrame, geojson_column: str = "geojson") -> RawJson:
    """feature_collection as JSON text for a layer's data: each geometry is the GeoJSON text DuckDB wrote
    (ST_AsGeoJSON), put in as it is instead of parsed and written again on every map build."""
    props = [c for c in frame.columns if c != geojson_column]
    features = [_feature_json(row[geojson_column], {c: _plain(row[c]) for c in props})
                for row in frame.to_dict("records")]
    return RawJson('{"features":[' + ",".join(features) + '],"type":"FeatureCollection"}', len(features))


def _feature_json(geometry_json: str, properties: dict) -> str:
    """One GeoJSON Feature as text, keys in the order json.dumps(sort_keys=True) writes them."""
    return ('{"geometry":' + geometry_json.strip() + ',"properties":'
            + json.dumps(properties, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + ',"type":"Feature"}')


def county_layer(outline_geojson: str, fill_alpha: int = 255) -> pdk.Layer:
    """The county filled as land, so the map reads as a map with no tiles (lower fill_alpha over tiles)."""
    data = RawJson('{"features":[' + _feature_json(outline_geojson, {}) + '],"type":"FeatureCollection"}', 1)
    return pdk.Layer("GeoJsonLayer", data=data, id="county", stroked=True, filled=True,
                     get_fill_color=LAND_RGBA[:3] + [fill_alpha], get_line_color=BOUNDARY_RGBA, line_width_min_pixels=3,
                     pickable=False)


def township_layer(townships: pd.DataFrame) -> pdk.Layer:
    """Township boundaries (approximate in the demo) as thin lines."""
    data = feature_collection_json(townships[["name", "geojson"]])
    return pdk.Layer("GeoJsonLayer", data=data, id="townships", stroked=True, filled=False,
                     get_line_color=TOWNSHIP_LINE_RGBA, line_width_min_pixels=1, pickable=False)


def township_label_layer(townships: pd.DataFrame, size: int = 16) -> pdk.Layer:
    """Township names at their seats; character_set 'auto' lets deck.gl build glyphs for Chinese."""
    data = townships[["name", "seat_lon", "seat_lat"]].to_dict("records")
    return pdk.Layer("TextLayer", data=data, id="township_labels", get_position="[seat_lon, seat_lat]",
                     get_text="name", get_size=size, get_color=LABEL_RGBA, character_set="'auto'",
                     font_family=CJK_FONT, get_text_anchor="'middle'", get_alignment_baseline="'bottom'",
                     get_pixel_offset=[0, -8], outline_width=2, outline_color=LABEL_OUTLINE_RGBA,
                     font_settings={"sdf": True}, pickable=False)


def view_state(lon: float, lat: float, zoom: float) -> pdk.ViewState:
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom, pitch=0, bearing=0)


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation and keeps Chinese as UTF-8: pydeck's own to_json indents by 2 and
    escapes every CJK character as \\uXXXX, which more than doubles the payload of a map with many points.
    Layer data given as RawJson is spliced in as it is (each one replaces a placeholder string made unique
    per call, so no text in the deck can be mistaken for one)."""

    def to_json(self) -> str:
        raw: list[str] = []
        tag = f"@@raw-{secrets.token_hex(8)}-"

        def default(obj):
            if isinstance(obj, RawJson):
                raw.append(obj.text)
                return f"{tag}{len(raw) - 1}@@"
            return default_serialize(obj)

        text = json.dumps(self, sort_keys=True, default=default, separators=(",", ":"), ensure_ascii=False)
        if not raw:
            return text
        parts = text.split(f'"{tag}')
        out = [parts[0]]
        for part in parts[1:]:
            index, rest = part.split('@@"', 1)
            out.append(raw[int(index)])
            out.append(rest)
        return "".join(out)


def river_layer(rivers_geojson: str) -> pdk.Layer:
    """Rivers (coarse lines from data/geo, as GeoJSON text put into the deck as it is) for orientation on the
    offline map."""
    return pdk.Layer("GeoJsonLayer", data=RawJson(rivers_geojson, 1), id="rivers", stroked=True, filled=False,
                     get_line_color=RIVER_RGBA, line_width_min_pixels=2, pickable=False)


def road_layer(roads_geojson: str) -> pdk.Layer:
    """Roads by class (colour and width in each feature, from road_classes) under the incidents."""
    return pdk.Layer("GeoJsonLayer", data=RawJson(roads_geojson, 1), id="roads", stroked=True, filled=False,
                     get_line_color="properties.colour", get_line_width="properties.width",
                     line_width_units="'pixels'", pickable=False)


def tile_index(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ (Web Mercator) tile holding a point at zoom z."""
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def tile_bounds(x: int, y: int, z: int) -> list[float]:
    """[west, south, east, north] of an XYZ tile in degrees."""
    n = 2 ** z
    lat = lambda row: math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))  # noqa: E731
    return [x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y)]


def tile_layers(url_template: str, bbox: tuple[float, float, float, float], z: int = 11,
                opacity: float = 0.9) -> list[pdk.Layer]:
    """Raster tiles of the unit's own tile server (XYZ template with {z} {x} {y}) covering bbox
    (west, south, east, north) at zoom z, one BitmapLayer per tile, under everything else.

    deck.gl's TileLayer needs a JavaScript renderSubLayers callback that pydeck's JSON cannot carry, and the
    TerrainLayer route fetches a loader worker from a CDN; fixed BitmapLayers need neither. The browser asks
    the tile server for these tiles only, and only when a template is configured."""
    west, south, east, north = bbox
    x0, y0 = tile_index(west, north, z)
    x1, y1 = tile_index(east, south, z)
    layers = []
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            url = url_template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
            layers.append(pdk.Layer("BitmapLayer", data=None, id=f"tile_{z}_{x}_{y}",
                                    image="'" + url.replace("'", "%27") + "'",  # quoted: a literal, not an expression
                                    bounds=tile_bounds(x, y, z), opacity=opacity, pickable=False))
    return layers


# How the map answers the mouse: drag to pan, double-click or the keyboard's +/- to zoom, and the zoom buttons;
# the wheel scrolls the page (deck.gl has no "wheel with a modifier" option, so wheel zoom is off: a page
# scrolled past the map must not zoom it). No rotation or tilt: a north-up plan map.
CONTROLLER = {"scrollZoom": False, "dragPan": True, "dragRotate": False, "doubleClickZoom": True,
              "touchZoom": True, "touchRotate": False, "keyboard": True}
# A base-map style with one background layer and no sources, fonts or sprites: the browser loads nothing for
# it, and Streamlit draws its zoom buttons (+ / -) over any deck that has a base-map style. It sits under the
# deck's own background (clearColor), in the same colour.
LOCAL_STYLE = {"version": 8, "name": "onemap-offline", "sources": {},
               "layers": [{"id": "background", "type": "background",
                           "paint": {"background-color": theme.BACKGROUND}}]}


def make_deck(layers: list[pdk.Layer], view: pdk.ViewState, tooltip: dict | bool = False,
              controls: bool = True) -> pdk.Deck:
    """A deck with no base-map provider: with map_provider=None the browser fetches nothing from outside.
    controls: zoom buttons (the LOCAL_STYLE base map) and CONTROLLER; False (the wall screen, which nobody
    touches) leaves deck.gl's default controller and no buttons."""
    deck = CompactDeck(layers=layers, initial_view_state=view, map_provider=None,
                       views=[pdk.View(type="MapView", controller=CONTROLLER if controls else True)],
                       tooltip=tooltip, parameters={"clearColor": CLEAR_COLOUR})
    if controls:
        # Streamlit passes the first style of a list to its base map as it is (an object, not a URL to fetch).
        deck.map_style = [LOCAL_STYLE]
    return deck


def scale_bar_km(extent: tuple[float, float, float, float]) -> float:
    """A round length (1, 2 or 5 times a power of ten, km) about a fifth of the extent's width."""
    west, south, east, north = extent
    width_km = (east - west) * 111.32 * math.cos(math.radians((south + north) / 2))
    target = max(width_km / 5, 0.001)
    power = 10 ** math.floor(math.log10(target))
    return max(step * power for step in (1, 2, 5) if step * power <= target)


def scale_bar_layers(extent: tuple[float, float, float, float], label: str) -> list[pdk.Layer]:
    """A scale bar drawn on the ground at the south-west of the extent: a line of scale_bar_km kilometres with end
    ticks and its length (label: a template with {km}). Being on the map, it stays true at every zoom (it
    grows and shrinks with the map) and needs nothing but deck.gl layers. Picks nothing."""
    west, south, east, north = extent
    km = scale_bar_km(extent)
    dx = km / (111.32 * math.cos(math.radians(south)))
    x0, y0 = west + 0.03 * (east - west), south + 0.03 * (north - south)
    tick = 0.012 * (north - south)
    path = [[round(x, 5), round(y, 5)] for x, y in
            ((x0, y0 + tick), (x0, y0), (x0 + dx, y0), (x0 + dx, y0 + tick))]
    text = label.format(km=f"{km:g}")
    return [pdk.Layer("PathLayer", data=[{"path": path}], id="scale_bar", get_path="path", get_color=LABEL_RGBA,
                      get_width=3, width_units="'pixels'", pickable=False),
            pdk.Layer("TextLayer", data=[{"x": round(x0 + dx / 2, 5), "y": round(y0, 5), "t": text}],
                      id="scale_bar_label", get_position="[x, y]", get_text="t", get_size=14, get_color=LABEL_RGBA,
                      character_set="'auto'", font_family=CJK_FONT, get_text_anchor="'middle'",
                      get_alignment_baseline="'bottom'", get_pixel_offset=[0, -6], outline_width=2,
                      outline_color=LABEL_OUTLINE_RGBA, font_settings={"sdf": True}, pickable=False)]
