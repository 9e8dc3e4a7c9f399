"""Legend entries beside the layer builders that define the colours. Pure data: the page renders them.

Each entry is (swatch, label) where swatch = {"colour": "#RRGGBB", "shape": "dot"|"ring"|"triangle"|
"square"|"box", "outline": "#RRGGBB" or None}."""
from __future__ import annotations

import pandas as pd

from layers import grid, incidents, resources


def _entry(colour: str, label: str, shape: str = "dot", outline: str | None = None) -> dict:
    return {"colour": colour, "label": label, "shape": shape, "outline": outline}


def hazard_entries(hazards: pd.DataFrame, name_column: str) -> list[dict]:
    rows = hazards.sort_values("sort_order")
    return [_entry(r.colour, getattr(r, name_column)) for r in rows.itertuples()]


def severity_entries(severities: pd.DataFrame, name_column: str) -> list[dict]:
    return [_entry("#0B1220", f"{r.roman} {getattr(r, name_column)}", "ring", r.colour)
            for r in severities.sort_values("level").itertuples()]


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
        _entry(resources.SHELTER_COLOURS["free"], t("one_map.legend.shelter_free"), "square"),
        _entry(resources.SHELTER_COLOURS["filling"], t("one_map.legend.shelter_filling"), "square"),
        _entry(resources.SHELTER_COLOURS["full"], t("one_map.legend.shelter_full"), "square"),
        _entry("#E5202A", t("one_map.legend.alarm"), "ring", "#E5202A"),
    ]


def swatch_html(entry: dict) -> str:
    """A small swatch drawn with CSS only (st.html strips inline SVG; no image, no font glyph needed)."""
    c, o = entry["colour"], entry["outline"] or "#0B1220"
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
    """The legend as one HTML block (the page passes it to st.html); labels are escaped."""
    from html import escape
    parts = ['<div class="onemap-legend">']
    for title, entries in sections:
        parts.append(f'<div class="onemap-legend-title">{escape(title)}</div><div class="onemap-legend-row">')
        for e in entries:
            parts.append(f'<span class="onemap-legend-item">{swatch_html(e)}{escape(str(e["label"]))}</span>')
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)
