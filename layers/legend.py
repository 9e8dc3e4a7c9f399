"""Legend entries beside the layer builders that define the colours. Pure data: the page renders them.

Each entry is (swatch, label) where swatch = {"colour": "#RRGGBB", "shape": "dot"|"ring"|"triangle"|
"square"|"box", "outline": "#RRGGBB" or None}."""
from __future__ import annotations

from html import escape

import pandas as pd

from layers import grid, incidents, resources, theme

# The legend markup lays itself out with these classes, on every page that shows it.
LEGEND_CSS = (f"<style>.onemap-legend {{ font-size: 0.85rem; color: {theme.TEXT}; }} "
              f".onemap-legend-title {{ color: {theme.TEXT_MUTED}; margin-top: 4px; }} "
              ".onemap-legend-row { display: flex; flex-wrap: wrap; gap: 4px 12px; } "
              ".onemap-legend-item { display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; }"
              "</style>")


def _entry(colour: str, label: str, shape: str = "dot", outline: str | None = None) -> dict:
    return {"colour": colour, "label": label, "shape": shape, "outline": outline}


def hazard_entries(hazards: pd.DataFrame, name_column: str) -> list[dict]:
    rows = hazards.sort_values("sort_order")
    return [_entry(r.colour, getattr(r, name_column)) for r in rows.itertuples()]


def severity_entries(severities: pd.DataFrame, name_column: str) -> list[dict]:
    return [_entry(theme.BACKGROUND, f"{r.roman} {getattr(r, name_column)}", "ring", r.colour)
            for r in severities.sort_values("level").itertuples()]


def incident_sections(mode: str, hazards: pd.DataFrame, severities: pd.DataFrame, name_column: str,
                      t) -> list[tuple[str, list[dict]]]:
    """The legend of a map of incidents drawn as mode "points" (hazard fill; severity outline, open halo,
    approximate ring) or "cells" (the count ramp); nothing for any other mode. t: the page's translate function
    (keys under one_map.legend)."""
    if mode == "points":
        marks = severity_entries(severities, name_column)
        marks.append(_entry(theme.BACKGROUND, t("one_map.legend.open"), "ring", theme.WHITE))
        marks.append(_entry(theme.BACKGROUND, t("one_map.legend.approximate"), "ring", theme.GREY))
        return [(t("one_map.legend.hazards"), hazard_entries(hazards, name_column)),
                (t("one_map.legend.severity"), marks)]
    if mode == "cells":
        return [(t("one_map.legend.cells"), count_ramp_entries(ramp_labels(t)))]
    if mode == "density":
        return [(t("one_map.legend.density"), count_ramp_entries(ramp_labels(t)))]
    return []


def ramp_labels(t) -> list[str]:
    """few .. many, one per step of a five-step ramp."""
    return [t(f"one_map.legend.ramp_{i}") for i in range(1, 6)]


def count_ramp_entries(labels: list[str]) -> list[dict]:
    """labels: few .. many, one per ramp step."""
    return [_entry(c, label, "box") for c, label in zip(incidents.COUNT_RAMP, labels)]


def grid_ramp_entries(labels: list[str]) -> list[dict]:
    return [_entry(c, label, "box") for c, label in zip(grid.GRID_RAMP, labels)]


def resource_entries(t) -> list[dict]:
    """t: the page's translate function (keys under one_map.legend)."""
    return [
        _entry(resources.CAMERA_COLOURS[True], t("one_map.legend.camera_online")),
        _entry(resources.CAMERA_COLOURS[False], t("one_map.legend.camera_offline")),
        _entry(resources.RESERVOIR_COLOURS["above"], t("one_map.legend.reservoir_above"), "ring",
               resources.RESERVOIR_COLOURS["above"]),
        _entry(resources.RESERVOIR_COLOURS["near"], t("one_map.legend.reservoir_near"), "ring",
               resources.RESERVOIR_COLOURS["near"]),
        _entry(resources.RESERVOIR_COLOURS["normal"], t("one_map.legend.reservoir_normal"), "ring",
               resources.RESERVOIR_COLOURS["normal"]),
        _entry(resources.TEAM_COLOURS["professional"], t("one_map.legend.team_professional"), "triangle"),
        _entry(resources.TEAM_COLOURS["technical"], t("one_map.legend.team_technical"), "triangle"),
        _entry(resources.TEAM_COLOURS["volunteer"], t("one_map.legend.team_volunteer"), "triangle"),
        _entry(resources.TEAM_COLOURS["other"], t("one_map.legend.team_other"), "triangle"),
        _entry(resources.SHELTER_COLOURS["free"], t("one_map.legend.shelter_free"), "square"),
        _entry(resources.SHELTER_COLOURS["filling"], t("one_map.legend.shelter_filling"), "square"),
        _entry(resources.SHELTER_COLOURS["full"], t("one_map.legend.shelter_full"), "square"),
        _entry(theme.ALARM_RED, t("one_map.legend.alarm"), "ring", theme.ALARM_RED),
    ]


def swatch_html(entry: dict) -> str:
    """A small swatch drawn with CSS only (st.html strips inline SVG; no image, no font glyph needed)."""
    c, o = entry["colour"], entry["outline"] or theme.BACKGROUND
    box = "display:inline-block;width:14px;height:14px;box-sizing:border-box;vertical-align:middle;"
    styles = {
        "dot": f"{box}border-radius:50%;background:{c};border:2px solid {o};",
        "ring": f"{box}border-radius:50%;background:transparent;border:3px solid {o};",
        "triangle": (f"display:inline-block;width:0;height:0;border-left:8px solid transparent;"
                     f"border-right:8px solid transparent;border-bottom:14px solid {c};vertical-align:middle;"),
        "square": f"{box}border-radius:2px;background:{c};border:2px solid {o};",
        "box": f"{box}width:18px;height:10px;background:{c};",
    }
    return f'<span class="onemap-swatch" style="{styles[entry["shape"]]}"></span>'


def legend_html(sections: list[tuple[str, list[dict]]]) -> str:
    """The legend as one HTML block with its styles (the page passes it to st.html); labels are escaped."""
    parts = [LEGEND_CSS, '<div class="onemap-legend">']
    for title, entries in sections:
        parts.append(f'<div class="onemap-legend-title">{escape(title)}</div><div class="onemap-legend-row">')
        for e in entries:
            parts.append(f'<span class="onemap-legend-item">{swatch_html(e)}{escape(str(e["label"]))}</span>')
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)
