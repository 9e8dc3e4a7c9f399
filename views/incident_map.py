"""Every map of incidents (One Map and its wall screen, Analysis, Risk's overlay) is built here, by one level of
detail rule: points while the filtered count is at most map.point_threshold and the deck's JSON stays within
map.max_payload_bytes; squares of map.cell_step_deg degrees otherwise, whose counts add up to the same total.

The caller says how to get the points and the squares (its own queries) and how to frame them (the layers
under and over the incidents); build() decides which, once. No Streamlit and no queries here:
    built = incident_map.build(total, map_cfg, points=lambda max_rows: incident_map.points_from_frame(...),
                               cells=lambda step: incident_map.cells_from_frame(...),
                               frame=lambda incident_layers: base.make_deck(below + incident_layers + above, ...))
Tooltips are in the UI language: DuckDB writes One Map's; point_tips and cell_tips write the same text for
incidents read as frames."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk

import i18n
from data.domain import SEVERITY_ROMAN
from layers import incidents, legend

TOOLTIP_KEYS = ("total", "open", "major", "approx", "top")


@dataclass(frozen=True)
class Drawn:
    """Incident layers and how many incidents they represent."""
    layers: list[pdk.Layer]
    drawn: int
    events: int = 0    # cross-channel events drawn as one point ...
    folded: int = 0    # ... standing for this many more of their reports


@dataclass
class IncidentMap:
    deck: pdk.Deck
    mode: str            # "points", "cells" or "none" (incidents not shown)
    drawn: int           # incidents represented on the map (points and folded reports, or the sum of the squares)
    payload_bytes: int   # bytes of the JSON the browser receives
    events: int = 0
    folded: int = 0
    cell_step: float = 0.0   # side of a square in degrees (mode "cells")


def payload_bytes(deck: pdk.Deck) -> int:
    return len(deck.to_json().encode("utf-8"))


def build(total: int, map_cfg: dict, points: Callable[[int], Drawn], cells: Callable[[float], Drawn],
          frame: Callable[[list[pdk.Layer]], pdk.Deck], show: bool = True) -> IncidentMap:
    """The deck of a map of `total` incidents. points(max_rows) is asked only when total <= map.point_threshold;
    cells(step) only when the points are too many or their deck too big. frame(incident_layers) makes the deck
    with the caller's other layers (its initial view must not depend on the data: a changed view would snap the
    viewer back on every refresh). show=False: the deck without incidents."""
    if not show:
        deck = frame([])
        return IncidentMap(deck, "none", 0, payload_bytes(deck))
    threshold = int(map_cfg.get("point_threshold", 30000))
    if total <= threshold:
        shown = points(threshold)
        deck = frame(shown.layers)
        size = payload_bytes(deck)
        if size <= int(map_cfg.get("max_payload_bytes", 1_900_000)):
            return IncidentMap(deck, "points", shown.drawn, size, shown.events, shown.folded)
    step = float(map_cfg.get("cell_step_deg", 0.01))
    shown = cells(step)
    deck = frame(shown.layers)
    return IncidentMap(deck, "cells", shown.drawn, payload_bytes(deck), cell_step=step)


def legend_sections(mode: str, hazards: pd.DataFrame, severities: pd.DataFrame,
                    lang: str) -> list[tuple[str, list[dict]]]:
    """The legend of the incidents as drawn (layers/legend.incident_sections in the UI language)."""
    return legend.incident_sections(mode, hazards, severities, i18n.label_column(lang),
                                    lambda key: i18n.translate(key, lang))


# ---------------------------------------------------------------- sources: rows DuckDB serialised (One Map)
def points_from_json(points: pd.DataFrame, hazards: pd.DataFrame, severities: pd.DataFrame) -> Drawn:
    """From queries/onemap_incident_points.sql's one row of JSON arrays."""
    return Drawn(incidents.point_layers_from_json(points, hazards, severities), incidents.point_count(points),
                 events=int(points["events_n"].iat[0]), folded=int(points["folded_n"].iat[0]))


def cells_from_json(cells: pd.DataFrame) -> Drawn:
    """From queries/onemap_incident_cells.sql's one row of JSON."""
    return Drawn([incidents.cell_layer_from_json(cells)], int(cells["drawn"].iat[0]))


# ---------------------------------------------------------------- sources: frames (Analysis, Risk)
def points_from_frame(points: pd.DataFrame, hazards: pd.DataFrame, severities: pd.DataFrame,
                      statuses: pd.DataFrame, lang: str) -> Drawn:
    """From one row per incident: incident_id, hazard, severity, status, is_open, received_at, lon, lat and,
    when known, location_precision."""
    tip = point_tips(points, hazards, statuses, lang)
    return Drawn(incidents.point_layers_from_frame(points, tip, hazards, severities), len(points))


def cells_from_frame(cells: pd.DataFrame, step: float, hazards: pd.DataFrame, lang: str) -> Drawn:
    """From one row per square: gx, gy, n, open_n, major_n, approx_n, top_hazard."""
    tip = cell_tips(cells, hazards, lang)
    return Drawn([incidents.cell_layer_from_frame(cells, step, tip)], int(cells["n"].sum()))


def density_from_frame(cells: pd.DataFrame, step: float) -> Drawn:
    """A heat map of the squares (gx, gy, n): the analyst's density view at any number of incidents."""
    return Drawn([incidents.density_layer(cells, step)], int(cells["n"].sum()) if len(cells) else 0)


def square_counts(points: pd.DataFrame, step: float, hazards: pd.DataFrame) -> pd.DataFrame:
    """The squares of incidents already in memory (the columns cells_from_frame takes), for a map whose query
    returns incidents only. As queries/onemap_incident_cells.sql: a tie of the main hazard goes to the hazard
    first in layers/incidents.hazard_codes order."""
    frame = pd.DataFrame({
        # floor(lon / step) as the SQL writes it (float // rounds differently at square edges)
        "gx": np.floor(points["lon"] / step).astype("int64"), "gy": np.floor(points["lat"] / step).astype("int64"),
        "open": points["is_open"].astype(bool), "major": points["severity"].astype(int) <= 2,
        "approx": (points["location_precision"] != "exact") if "location_precision" in points else False,
        "hazard": points["hazard"], "rank": points["hazard"].map(incidents.hazard_codes(hazards))})
    grouped = frame.groupby(["gx", "gy"], sort=False)
    out = grouped.agg(n=("open", "size"), open_n=("open", "sum"), major_n=("major", "sum"),
                      approx_n=("approx", "sum")).reset_index()
    top = (frame.groupby(["gx", "gy", "rank", "hazard"]).size().rename("k").reset_index()
           .sort_values(["gx", "gy", "k", "rank"], ascending=[True, True, False, True])
           .drop_duplicates(["gx", "gy"]))
    return out.merge(top[["gx", "gy", "hazard"]].rename(columns={"hazard": "top_hazard"}), on=["gx", "gy"]) \
        .sort_values(["gy", "gx"], ignore_index=True)


def point_tips(points: pd.DataFrame, hazards: pd.DataFrame, statuses: pd.DataFrame, lang: str) -> pd.Series:
    """hazard · severity numeral + level suffix · status · MM-DD HH:MM (· approximate): One Map's point tooltip."""
    t = lambda key: i18n.translate(key, lang)  # noqa: E731
    tip = (points["hazard"].map(i18n.code_names(hazards, lang)).fillna(points["hazard"]) + " · "
           + points["severity"].astype(int).map(SEVERITY_ROMAN) + t("one_map.tip.level_suffix") + " · "
           + points["status"].map(i18n.code_names(statuses, lang)).fillna(points["status"]) + " · "
           + pd.to_datetime(points["received_at"]).dt.strftime("%m-%d %H:%M"))
    if "location_precision" in points:
        tip = tip.where(points["location_precision"] == "exact", tip + " · " + t("one_map.tip.approximate"))
    return tip


def cell_tips(cells: pd.DataFrame, hazards: pd.DataFrame, lang: str) -> pd.Series:
    """Incidents n / open · major · approximate / main hazard: One Map's square tooltip."""
    label = {k: i18n.translate(f"one_map.tip.cell_{k}", lang) for k in TOOLTIP_KEYS}
    names = i18n.code_names(hazards, lang)
    return (label["total"] + " " + cells["n"].astype(str) + "\n"
            + label["open"] + " " + cells["open_n"].astype(str) + " · "
            + label["major"] + " " + cells["major_n"].astype(str) + " · "
            + label["approx"] + " " + cells["approx_n"].astype(str) + "\n"
            + label["top"] + " " + cells["top_hazard"].map(names).fillna(""))
