"""What the county still lacks for each page to be meaningful, in the user's language (python -m data.county check).

Each finding is {layer, severity (missing | warning | info), key, values, text}: the key and values are for
programs, the text (i18n county.check.<key>) for people. A county with no sensors or roster yet is valid."""
from __future__ import annotations

import json
import math

import shapely

import i18n
from data.clock import now_cst
from data.county.layers import LAYERS
from data.county.load import county_boundary

# Which page needs which layer (said when the layer is empty).
NEEDED_BY = {
    "townships": "one_map", "villages": "one_map", "grid_cells": "one_map", "grid_members": "duty_desk",
    "linkage_units": "duty_desk", "cameras": "one_map", "sensors": "risk", "reservoirs": "risk",
    "geo_hazard_points": "risk", "rescue_teams": "resources", "shelters": "resources", "warehouses": "resources",
    "stock": "resources", "roads": "one_map", "rivers": "one_map", "responsible_persons": "duty_desk",
    "roster": "duty_desk"}
KM_PER_DEG = 111.32


def run(con, lang: str = "zh-CN") -> dict:
    from data import county as county_mod
    info = county_mod.info(con)
    findings: list[dict] = []

    def add(layer_name: str, severity: str, key: str, **values) -> None:
        findings.append({"layer": layer_name, "severity": severity, "key": key, "values": values,
                         "text": i18n.translate(f"county.check.{key}", lang, **values)})

    if info is None:
        add("county", "missing", "no_county")
        return {"county": None, "layers": {}, "findings": findings}
    counts = {name: con.execute(f"SELECT count(*) FROM {layer.table}").fetchone()[0] for name, layer in LAYERS.items()}
    for name, n in counts.items():
        if n == 0:
            add(name, "missing" if name in ("townships", "grid_cells") else "warning", "empty_layer",
                layer=i18n.translate(f"county.layer.{name}", lang),
                page=i18n.translate(f"nav.{NEEDED_BY[name]}", lang))
    if counts["grid_cells"]:
        _grid_tiling(con, add, lang)
    _reservoir_levels(con, add)
    _references(con, add, counts)
    _unmapped(con, add, lang)
    _roster(con, add, counts)
    _quarantine(con, add, lang)
    return {"county": info, "layers": counts, "findings": findings}


def _grid_tiling(con, add, lang: str) -> None:
    """Grid cells must tile the county: coverage, gaps and overlaps with their area and where."""
    boundary = county_boundary(con)
    cells = con.execute("SELECT code, ST_AsWKB(geom) FROM grid_cells ORDER BY code").fetchall()
    codes = [c for c, _ in cells]
    geoms = [shapely.from_wkb(bytes(w)) for _, w in cells]
    scale = KM_PER_DEG ** 2 * math.cos(math.radians(boundary.centroid.y))  # deg² -> km² here
    union = shapely.union_all(geoms)
    covered = union.intersection(boundary).area / boundary.area
    add("grid_cells", "info" if covered > 0.995 else "warning", "grid_coverage", percent=f"{covered * 100:.1f}")
    gaps = boundary.difference(union)
    parts = [g for g in getattr(gaps, "geoms", [gaps]) if g.area * scale > 0.01]  # ignore slivers < 0.01 km²
    if parts:
        largest = max(parts, key=lambda g: g.area).representative_point()
        add("grid_cells", "warning", "grid_gaps", count=len(parts), km2=f"{sum(p.area for p in parts) * scale:.2f}",
            lon=f"{largest.x:.4f}", lat=f"{largest.y:.4f}")
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    overlaps = []
    for i, j in zip(left, right):
        if i < j:
            area = geoms[i].intersection(geoms[j]).area * scale
            if area > 0.01:
                overlaps.append((area, codes[i], codes[j]))
    if overlaps:
        overlaps.sort(reverse=True)
        area, a, b = overlaps[0]
        add("grid_cells", "warning", "grid_overlaps", count=len(overlaps),
            km2=f"{sum(o[0] for o in overlaps):.2f}", first=a, second=b)
    outside = shapely.union_all(geoms).difference(boundary.buffer(0.0005)).area * scale
    if outside > 0.01:
        add("grid_cells", "warning", "grid_outside", km2=f"{outside:.2f}")


def _reservoir_levels(con, add) -> None:
    for column, key in (("flood_limit_level_m", "reservoirs_without_flood_limit"),
                        ("normal_level_m", "reservoirs_without_normal_level")):
        rows = con.execute(f"SELECT name FROM reservoirs WHERE {column} IS NULL ORDER BY name").fetchall()
        if rows:
            add("reservoirs", "warning", key, count=len(rows), names="、".join(r[0] for r in rows[:10]))


def _references(con, add, counts: dict) -> None:
    if counts["grid_cells"] and counts["grid_members"]:
        n = con.execute("SELECT count(*) FROM grid_cells g ANTI JOIN grid_members m USING (grid_cell_id)").fetchone()[0]
        if n:
            add("grid_members", "warning", "cells_without_member", count=n)
    if counts["cameras"]:
        n = con.execute("SELECT count(*) FROM cameras WHERE stream_ref IS NULL").fetchone()[0]
        if n:
            add("cameras", "info", "cameras_without_stream", count=n, total=counts["cameras"])
    if counts["townships"] and counts["villages"]:
        n = con.execute("SELECT count(*) FROM townships t ANTI JOIN villages v USING (township_id)").fetchone()[0]
        if n:
            add("villages", "warning", "townships_without_villages", count=n)
    if counts["reservoirs"] and counts["responsible_persons"]:
        n = con.execute("""SELECT count(*) FROM reservoirs r
            ANTI JOIN responsible_persons p ON p.object_code = r.code""").fetchone()[0]
        if n:
            add("responsible_persons", "warning", "reservoirs_without_person", count=n)


def _unmapped(con, add, lang: str) -> None:
    """Values outside a code table, stored as other: listed so the county can map them (value_aliases)."""
    for name, layer in LAYERS.items():
        if name == "roster":
            continue
        rows = con.execute(f"""SELECT key, value, count(*) FROM (
                SELECT unnest(map_keys(m)) AS key, unnest(map_values(m)) AS value
                FROM (SELECT CAST(json_transform(unmapped, '"MAP(VARCHAR, VARCHAR)"') AS MAP(VARCHAR, VARCHAR)) AS m
                      FROM {layer.table} WHERE unmapped IS NOT NULL))
            GROUP BY ALL ORDER BY 3 DESC, 2""").fetchall()
        for key, value, n in rows:
            # the field as the county's files head it (类型, 队伍类型); English readers get the field's name
            shown = layer.field(key).headers[0] if lang != "en" else key
            add(name, "info", "unmapped_value", layer=i18n.translate(f"county.layer.{name}", lang), field=shown,
                value=value, count=n)


def _roster(con, add, counts: dict) -> None:
    if not counts["roster"]:
        return
    today = now_cst().date()
    covered = con.execute("""SELECT count(DISTINCT duty_date) FROM duty_roster
        WHERE duty_date BETWEEN ? AND ? + INTERVAL 29 DAY""", [today, today]).fetchone()[0]
    if covered < 30:
        add("roster", "warning", "roster_days_missing", count=30 - covered)
    added = con.execute("SELECT name_zh FROM duty_seats WHERE code LIKE 'county\\_%' ESCAPE '\\' ORDER BY sort_order"
                        ).fetchall()
    if added:
        add("roster", "info", "roster_seats_added", names="、".join(r[0] for r in added))


def _quarantine(con, add, lang: str) -> None:
    """Rows the latest load of each layer could not store."""
    rows = con.execute("""WITH latest AS (SELECT layer, max(load_id) AS load_id FROM county_loads GROUP BY layer)
        SELECT q.layer, q.reason, count(*) FROM county_quarantine q JOIN latest USING (layer, load_id)
        GROUP BY ALL ORDER BY 1, 3 DESC""").fetchall()
    for layer, reason, n in rows:
        add(layer, "warning", "quarantined_rows", layer=i18n.translate(f"county.layer.{layer}", lang), count=n,
            reason=i18n.translate(f"county.reason.{reason}", lang))


def as_text(report: dict, lang: str) -> str:
    lines = []
    if report["county"]:
        c = report["county"]
        lines.append(f"{c[i18n.label_column(lang)]} ({c['code']})")
        lines.append(", ".join(f"{i18n.translate(f'county.layer.{k}', lang)} {v}" for k, v in report["layers"].items()))
    marks = {"missing": "✗", "warning": "!", "info": "·"}
    lines += [f" {marks[f['severity']]} {f['text']}" for f in report["findings"]]
    return "\n".join(lines)


def as_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, default=str)
