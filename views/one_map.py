"""The One Map deck for a window: runs the named queries, builds the layers; the incidents as points or squares
by the rule of views/incident_map.py.

No Streamlit here, so the page, the tests and the benchmark build exactly the same map:
    fetch = lambda name, **p: runner.run(con, name, **p)
    built = build_map(fetch, MapRequest(start, end, now, lang="zh-CN"), settings.load()["map"])
    built.payload_bytes   # bytes of the JSON the browser receives
The page passes ui.database.query as fetch, so every query is cached on the data version."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd
import pydeck as pdk

import i18n
from data.domain import SEVERITY_ROMAN
from layers import base, grid, incidents, legend, resources, theme
from views import incident_map, map_view

Fetch = Callable[..., pd.DataFrame]
WINDOWS = ("24h", "today", "7d")
LAYERS = ("incidents", "grid", "alarms", "reservoirs", "teams", "shelters", "cameras")
DEFAULT_LAYERS = ("incidents", "grid", "alarms", "reservoirs", "teams", "shelters")
# The county layer (data/county, python -m data.county load) a map layer draws: when its table is empty the page
# says the layer is not loaded yet instead of drawing nothing. Incidents and alarms arrive by ingest, not here.
COUNTY_LAYERS = {"grid": "grid_cells", "reservoirs": "reservoirs", "teams": "rescue_teams", "shelters": "shelters",
                 "cameras": "cameras"}


def window_bounds(window: str, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of a named window ending now (end one minute ahead, so the current minute is in)."""
    end = now + timedelta(minutes=1)
    if window == "today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0), end
    if window == "7d":
        return now - timedelta(days=7), end
    if window == "24h":
        return now - timedelta(hours=24), end
    raise ValueError(f"unknown window {window!r}; expected one of {WINDOWS}")


@dataclass(frozen=True)
class MapRequest:
    start: datetime
    end: datetime
    now: datetime
    lang: str = i18n.DEFAULT_LANGUAGE
    hazards: tuple[str, ...] | None = None  # None: every hazard type
    open_only: bool = False
    layers: tuple[str, ...] = DEFAULT_LAYERS
    zoom: float | None = None  # None: map.zoom, else fitted to the county (the wall screen passes wall.zoom)
    wall: bool = False  # the wall screen: its initial view is fitted to the wall's map size
    highlight: tuple[float, float] | None = None  # (lon, lat) of the incident open in the side panel
    view_reset: int = 0       # presses of the home button (map_view.initial_view: back to the whole county)
    map_width: int | None = None  # the map's width in the browser (CSS px) when known: the county fits it


@dataclass
class MapBuild:
    deck: pdk.Deck
    mode: str                 # "points" or "cells"
    total: int                # incidents matching the filters in the database
    approximate: int          # of which placed at a village/township seat
    open: int
    drawn: int                # incidents represented on the map (points, or the sum of the squares)
    payload_bytes: int
    legend: list[tuple[str, list[dict]]] = field(default_factory=list)
    events: int = 0           # in points mode: cross-channel events drawn once ...
    folded: int = 0           # ... standing for this many more of their reports
    missing: tuple[str, ...] = ()  # county layers (data/county names) asked for but not loaded yet
    event_total: int = 0      # events among the filtered reports (data/macros.sql event_key: linked ones once)


def _time_text(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.strftime("%m-%d %H:%M")


def _hazard_params(hazards_table: pd.DataFrame, lang: str) -> dict:
    """Hazard codes in colour order (layers.incidents.hazard_codes) and their names in the UI language."""
    order = list(incidents.hazard_codes(hazards_table))
    names = i18n.code_names(hazards_table, lang)
    return {"hazard_order": order, "hazard_names": [names[code] for code in order]}


def point_query_params(hazards_table: pd.DataFrame, statuses: pd.DataFrame, channels: pd.DataFrame,
                       lang: str) -> dict:
    """The labels onemap_incident_points needs to write each point's tooltip in the UI language
    (hazard · severity · status · time (· approximate) (· event: reports and channels)) and its hazard colour
    code (layers.incidents.hazard_codes)."""
    t = lambda key: i18n.translate(key, lang)  # noqa: E731
    return {**_hazard_params(hazards_table, lang),
            "status_codes": list(statuses["code"]), "status_names": list(statuses[i18n.label_column(lang)]),
            "roman": [SEVERITY_ROMAN[level] for level in sorted(SEVERITY_ROMAN)],
            "level_suffix": t("one_map.tip.level_suffix"),
            "approximate": t("one_map.tip.approximate"),
            "channel_codes": list(channels["code"]), "channel_names": list(channels[i18n.label_column(lang)]),
            "channel_sep": t("one_map.tip.channel_sep"), "event_tip": t("one_map.tip.event")}


def cell_query_params(hazards_table: pd.DataFrame, lang: str) -> dict:
    """The labels onemap_incident_cells needs to write each square's tooltip in the UI language (incidents,
    open · major · approximate, main hazard); a main-hazard tie goes to the hazard first in hazard_codes order."""
    return {**_hazard_params(hazards_table, lang),
            **{f"tip_{k}": i18n.translate(f"one_map.tip.cell_{k}", lang)
               for k in ("total", "open", "major", "approx", "top")}}


def build_map(fetch: Fetch, req: MapRequest, map_cfg: dict) -> MapBuild:
    """The deck for the request; the incidents as points or as squares counted in DuckDB (views/incident_map)."""
    t = lambda key, **kw: i18n.translate(key, req.lang, **kw)  # noqa: E731
    hazards_table = fetch("hazard_types")
    severities = fetch("severity_levels")
    statuses = fetch("onemap_incident_statuses")
    chosen = list(req.hazards) if req.hazards else list(hazards_table["code"])
    filters = {"start": req.start, "end": req.end, "hazards": chosen, "open_only": req.open_only}
    counts = fetch("onemap_incident_count", **filters).iloc[0]
    total = int(counts["total"])

    missing: list[str] = []
    # Drawing order, bottom to top (deck.gl picks the top-most object under the pointer): the base map and grid
    # cells, the resources, the alarm halos, the incidents (the most severe last), then labels that pick nothing.
    # An incident is never hidden under a team, shelter, reservoir or camera marker.
    below = (_base_layers(fetch, req, map_cfg, t, missing) + _resource_layers(fetch, req, t, missing)
             + _alarm_layers(fetch, req, t))
    labels_layer = [base.township_label_layer(fetch("township_boundaries"))]
    if req.highlight:
        labels_layer.insert(0, incidents.selected_marker(*req.highlight))
    # Fixed per screen kind and county, never derived from the filters: a changed initial view would snap the
    # viewer back on every refresh.
    size = map_view.WALL_MAP if req.wall else map_view.DESK_MAP
    if req.map_width:
        size = (int(req.map_width), size[1])
    view = map_view.initial_view(fetch, map_cfg, size, req.zoom, reset=req.view_reset)
    extent = map_view.county_extent(fetch)
    if extent is not None:
        labels_layer = base.scale_bar_layers(extent, t("one_map.controls.scale_bar", km="{km}")) + labels_layer

    def points(max_rows: int) -> incident_map.Drawn:
        # Rows, tooltips and their JSON are made in DuckDB; the deck takes the text as it is.
        rows = fetch("onemap_incident_points", **filters, max_rows=max_rows,
                     **point_query_params(hazards_table, statuses, fetch("onemap_channels"), req.lang))
        return incident_map.points_from_json(rows, hazards_table, severities)

    def cells(step: float) -> incident_map.Drawn:
        # Squares, tooltips and their JSON are made in DuckDB; the browser colours them by count.
        return incident_map.cells_from_json(fetch("onemap_incident_cells", **filters, step=step,
                                                  **cell_query_params(hazards_table, req.lang)))

    def frame(incident_layers: list[pdk.Layer]) -> pdk.Deck:
        return base.make_deck(below + incident_layers + labels_layer, view, theme.tooltip(), controls=not req.wall)

    drawn = incident_map.build(total, map_cfg, points, cells, frame, show="incidents" in req.layers)
    build = MapBuild(drawn.deck, drawn.mode, total, int(counts["approximate"]), int(counts["open"]), drawn.drawn,
                     drawn.payload_bytes, events=drawn.events, folded=drawn.folded, missing=tuple(missing),
                     event_total=int(counts["events"]))
    build.legend = legend_sections(req, build.mode, hazards_table, severities)
    return build


def _base_layers(fetch: Fetch, req: MapRequest, map_cfg: dict, t, missing: list[str]) -> list[pdk.Layer]:
    townships = fetch("township_boundaries")
    layers = []
    bbox = map_view.tile_bbox(map_view.county_extent(fetch), map_cfg) if map_cfg.get("tile_url") else None
    if bbox:
        layers.extend(base.tile_layers(map_cfg["tile_url"], bbox, int(map_cfg.get("tile_zoom", 11))))
    outline = fetch("county_outline").iloc[0]["geojson"]
    if isinstance(outline, str):
        # Over raster tiles the county is a light veil, so the tiles show through.
        layers.append(base.county_layer(outline, fill_alpha=90 if map_cfg.get("tile_url") else 255))
    if "grid" in req.layers:
        cells = fetch("onemap_grid_cells", start=req.start, end=req.end)
        if cells.empty:
            missing.append(COUNTY_LAYERS["grid"])
        else:
            tip = (cells["township"] + " " + cells["name"] + "\n" + t("one_map.tip.grid_open") + " "
                   + cells["open_n"].astype(str) + " · " + t("one_map.tip.cell_major") + " "
                   + cells["major_open_n"].astype(str))
            layers.append(grid.grid_layer(cells, "open_n", tip))
    if townships.empty:
        missing.insert(0, "townships")
    else:
        layers.append(base.township_layer(townships))
    roads = fetch("onemap_roads").iloc[0]
    if int(roads["n"]):
        layers.append(base.road_layer(roads["geojson"]))
    rivers = fetch("onemap_rivers").iloc[0]
    if int(rivers["n"]):
        layers.append(base.river_layer(rivers["geojson"]))
    return layers


def _resource_layers(fetch: Fetch, req: MapRequest, t, missing: list[str]) -> list[pdk.Layer]:
    layers = []

    def loaded(layer: str, frame: pd.DataFrame) -> bool:
        if frame.empty:
            missing.append(COUNTY_LAYERS[layer])
        return not frame.empty

    if "cameras" in req.layers and loaded("cameras", cams := fetch("onemap_cameras")):
        state = cams["online"].map({True: t("one_map.tip.online"), False: t("one_map.tip.offline")})
        layers.append(resources.camera_layer(cams, tip=t("one_map.tip.camera") + " " + cams["name"] + " · " + state))
    if "reservoirs" in req.layers and loaded("reservoirs", res := fetch("onemap_reservoirs", now=req.now)):
        status = res["status"].map(lambda s: t(f"one_map.reservoir_status.{s}"))
        tip = (res["name"] + " · " + status + "\n" + t("one_map.tip.level") + " "
               + res["level_m"].map(lambda v: "-" if pd.isna(v) else f"{v:.2f}") + " m · "
               + t("one_map.tip.limit") + " " + res["limit_m"].map(lambda v: "-" if pd.isna(v) else f"{v:.2f}") + " m")
        layers.append(resources.reservoir_layer(res, tip=tip))
    if "shelters" in req.layers and loaded("shelters", sh := fetch("onemap_shelters")):
        tip = (sh["name"] + "\n" + t("one_map.tip.capacity") + " " + sh["capacity"].astype(str) + " · "
               + t("one_map.tip.free") + " " + sh["free_places"].astype(str))
        layers.append(resources.shelter_layer(sh, tip=tip))
    if "teams" in req.layers and loaded("teams", teams := fetch("onemap_teams")):
        specialties = fetch("onemap_team_specialties")
        spec = teams["specialty"].map(i18n.code_names(specialties, req.lang)).fillna(teams["specialty"])
        tip = (teams["name"] + "\n" + spec + " · " + t("one_map.tip.headcount") + " " + teams["headcount"].astype(str))
        layers.append(resources.team_layer(teams, tip=tip))
    return layers


def _alarm_layers(fetch: Fetch, req: MapRequest, t) -> list[pdk.Layer]:
    """Sensor and AI-video alarms: a wide red halo drawn over the resources and under the incident dots, so the
    alarm's own incident dot (and any other) is picked before the halo around it."""
    if "alarms" not in req.layers:
        return []
    alarms = fetch("onemap_alarms", start=req.start, end=req.end)
    if not len(alarms):
        return []
    channels = fetch("onemap_channels")
    tip = (t("one_map.tip.alarm") + " · " + alarms["channel"].map(i18n.code_names(channels, req.lang)) + "\n"
           + alarms["device_id"].fillna("") + " · " + _time_text(alarms["received_at"]))
    return [resources.alarm_layer(alarms, tip=tip)]


def legend_sections(req: MapRequest, mode: str, hazards_table: pd.DataFrame,
                    severities: pd.DataFrame) -> list[tuple[str, list[dict]]]:
    t = lambda key: i18n.translate(key, req.lang)  # noqa: E731
    sections = incident_map.legend_sections(mode, hazards_table, severities, req.lang)
    if "grid" in req.layers:
        sections.append((t("one_map.legend.grid"), legend.grid_ramp_entries(legend.ramp_labels(t))))
    wanted = set(req.layers)
    entries = [e for e in legend.resource_entries(t) if _legend_layer(e["label"], t) in wanted]
    if entries:
        sections.append((t("one_map.legend.resources"), entries))
    return sections


def _legend_layer(label: str, t) -> str:
    """Which toggle a resource legend entry belongs to (so hidden layers leave the legend too)."""
    for layer, keys in {"cameras": ("camera_online", "camera_offline"),
                        "reservoirs": ("reservoir_above", "reservoir_near", "reservoir_normal"),
                        "teams": ("team_professional", "team_technical", "team_volunteer", "team_other"),
                        "shelters": ("shelter_free", "shelter_filling", "shelter_full"),
                        "alarms": ("alarm",)}.items():
        if label in {t(f"one_map.legend.{k}") for k in keys}:
            return layer
    return ""


def kpis(fetch: Fetch, start: datetime, end: datetime, now: datetime) -> pd.Series:
    return fetch("onemap_kpis", start=start, end=end, now=now).iloc[0]
