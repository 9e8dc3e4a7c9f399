"""Loading a county layer file: map its headers, check every row, place it, and upsert by the department's code.

Every row ends stored, updated, unchanged or quarantined with a reason (QUARANTINE_REASONS) the user can act
on; a changed row keeps its previous version in reference_history. The demo county is built through
load_frame, the same path as a county's own files."""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from data import accounts, db
from data.clock import now
from data.county import crs as crs_mod
from data.county.layers import LAYERS, Layer
from data.county.read import CountyError, Source, read

QUARANTINE_REASONS = ("invalid_geometry", "outside_county", "missing_field", "duplicate_code", "unknown_township",
                      "wrong_geometry_type", "not_a_number", "not_a_date", "unknown_grid_cell", "unknown_warehouse",
                      "levels_out_of_order")
PLACEMENT_LAYERS = ("grid_cells", "villages")  # what the incident placement raster is cut from
POINT_BUFFER_DEG = 10 / 111_320  # a point is inside when within the boundary buffered by 10 m
NUMBER_FIELDS = ("number", "integer")
GEOMETRY_TYPES = {"point": {"Point"}, "polygon": {"Polygon", "MultiPolygon"},
                  "line": {"LineString", "MultiLineString"}, "point_or_polygon": {"Point", "Polygon", "MultiPolygon"}}


class MappingError(CountyError):
    """The file was read but its columns cannot be mapped (or the database serves no county yet)."""


@dataclass
class LoadResult:
    layer: str
    rows_in: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    reasons: dict = field(default_factory=dict)
    load_id: int | None = None
    mapping: dict = field(default_factory=dict)
    crs: str | None = None
    seconds: float = 0.0

    def summary(self) -> dict:
        """The JSON the CLI prints last (the contract other tools read)."""
        keys = ("layer", "rows_in", "stored", "updated", "unchanged", "quarantined", "reasons")
        return {k: v for k, v in asdict(self).items() if k in keys}


# ---------------------------------------------------------------- header mapping

def map_columns(layer: Layer, columns: list[str], overrides: dict[str, str] | None = None,
                has_geometry: bool = False) -> dict[str, str]:
    """{field: column of the file}: --map SOURCE=FIELD first, then the headers counties write (case-insensitive,
    trimmed). A required field with no column raises MappingError listing the columns found."""
    by_key = {str(c).strip().casefold(): c for c in columns}
    chosen: dict[str, str] = {}
    for source, target in (overrides or {}).items():
        if target not in {f.name for f in layer.fields}:
            raise MappingError("unknown_field", field=target, fields=", ".join(f.name for f in layer.fields))
        if source.strip().casefold() not in by_key:
            raise MappingError("unknown_column", column=source, found="、".join(map(str, columns)))
        chosen[target] = by_key[source.strip().casefold()]
    used = set(chosen.values())
    for f in layer.fields:
        if f.name in chosen:
            continue
        for header in f.headers:
            column = by_key.get(header.casefold())
            if column is not None and column not in used:
                chosen[f.name], used = column, used | {column}
                break
    missing = [f.name for f in layer.fields if f.required and f.name not in chosen]
    if layer.geometry and not has_geometry and layer.has_points and not {"lon", "lat"} <= chosen.keys():
        missing += [n for n in ("lon", "lat") if n not in chosen]
    if layer.geometry and not has_geometry and not layer.has_points:
        raise MappingError("needs_geometry", layer=layer.name, found="、".join(map(str, columns)))
    if missing:
        raise MappingError("missing_columns", fields=", ".join(missing), found="、".join(map(str, columns)))
    return chosen


# ---------------------------------------------------------------- row checks

class Rows:
    """The file's rows as the checks see them: text per field, the first failing reason per row, notes."""

    def __init__(self, layer: Layer, table: pd.DataFrame, mapping: dict[str, str]):
        self.layer, self.n = layer, len(table)
        self.raw = table
        self.text = {name: table[column].reset_index(drop=True) for name, column in mapping.items()}
        self.reason = np.full(self.n, None, dtype=object)
        self.field = np.full(self.n, None, dtype=object)
        self.bad_value = np.full(self.n, None, dtype=object)
        self.notes: list[list[str]] = [[] for _ in range(self.n)]
        self.unmapped: list[dict] = [{} for _ in range(self.n)]

    def get(self, name: str) -> pd.Series:
        return self.text.get(name, pd.Series([None] * self.n, dtype=object))

    def flag(self, mask, reason: str, field_name: str | None, values=None) -> None:
        mask = np.asarray(mask, dtype=bool) & pd.isna(self.reason)
        self.reason[mask] = reason
        self.field[mask] = field_name
        if values is not None:
            self.bad_value[mask] = np.asarray(values, dtype=object)[mask]

    @property
    def ok(self) -> np.ndarray:
        return pd.isna(self.reason)

    def note(self, mask, text: str) -> None:
        for i in np.flatnonzero(mask):
            self.notes[i].append(text)


def _numbers(text: pd.Series) -> pd.Series:
    cleaned = text.astype(object).str.replace(",", "", regex=False).str.replace("，", "", regex=False)
    return pd.to_numeric(cleaned, errors="coerce")


def _aliases(con, domain: str) -> dict[str, str]:
    rows = con.execute("SELECT alias, code FROM value_aliases WHERE domain = ?", [domain]).fetchall()
    return {alias.strip().casefold(): code for alias, code in rows}


def check_rows(con, layer: Layer, rows: Rows, source: Source, crs_text: str | None) -> dict:
    """All per-row checks; returns the typed values of the rows (numbers, enums, geometry, township ...)."""
    typed: dict[str, object] = {}
    for f in layer.fields:
        if f.required:
            rows.flag(rows.get(f.name).isna().to_numpy(), "missing_field", f.name)
    if "code" in rows.text and layer.field("code").required:  # stock keys on warehouse + item: checked there
        code = rows.get("code")
        rows.flag((code.notna() & code.duplicated(keep="first")).to_numpy(), "duplicate_code", "code", code)
    for f in layer.fields:
        text = rows.get(f.name)
        if f.kind in NUMBER_FIELDS:
            value = _numbers(text)
            rows.flag((text.notna() & value.isna()).to_numpy(), "not_a_number", f.name, text)
            typed[f.name] = value
        elif f.kind == "date":
            value = pd.to_datetime(text, errors="coerce", format="mixed")
            rows.flag((text.notna() & value.isna()).to_numpy(), "not_a_date", f.name, text)
            typed[f.name] = value
        elif f.kind == "enum":
            aliases = _aliases(con, f.domain)
            value = text.astype(object).str.casefold().map(aliases)
            unknown = text.notna() & value.isna()
            for i in np.flatnonzero(unknown.to_numpy()):
                rows.unmapped[i][f.name] = text.iat[i]
            typed[f.name] = value.where(~unknown, "other")
        else:
            typed[f.name] = text
    if layer.geometry:
        typed["geometry"] = _geometry(con, layer, rows, source, crs_text, typed)
    return typed


def _geometry(con, layer: Layer, rows: Rows, source: Source, crs_text: str | None, typed: dict) -> np.ndarray:
    n = rows.n
    if source.geometry is not None:
        geoms = np.asarray(source.geometry, dtype=object)
        sample = shapely.get_coordinates(geoms[: min(n, 200)][~pd.isna(geoms[: min(n, 200)])])
        chosen = crs_mod.resolve(source.crs, crs_text, sample[:, 0], sample[:, 1], source.file_name)
        missing = pd.isna(geoms) | shapely.is_empty(geoms)
        rows.flag(missing, "invalid_geometry", "geometry")
        geoms = np.where(missing, None, geoms)
        geoms = np.asarray([g.geoms[0] if g is not None and g.geom_type == "MultiPoint" and len(g.geoms) == 1
                            else g for g in geoms], dtype=object)
        geoms = crs_mod.to_wgs84(geoms, chosen)
    else:
        x, y = typed["lon"].to_numpy(dtype=float), typed["lat"].to_numpy(dtype=float)
        chosen = crs_mod.resolve(None, crs_text, x, y, source.file_name)
        absent = (rows.get("lon").isna() | rows.get("lat").isna()).to_numpy()
        rows.flag(absent, "missing_field", "lon" if rows.get("lon").isna().any() else "lat")
        lon, lat = crs_mod.to_wgs84_xy(x, y, chosen)
        geoms = np.asarray(shapely.points(lon, lat), dtype=object)
        geoms[~(np.isfinite(lon) & np.isfinite(lat))] = None
    rows.crs_label = chosen.label
    names = np.asarray(["Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString",
                        "MultiPolygon", "GeometryCollection"], dtype=object)
    type_id = shapely.get_type_id(geoms)
    types = np.where(type_id >= 0, names[np.clip(type_id, 0, 7)], None)
    allowed = GEOMETRY_TYPES[layer.geometry]
    rows.flag(np.asarray([t is not None and t not in allowed for t in types]), "wrong_geometry_type", "geometry",
              types)
    geoms = _repair(rows, geoms, allowed)
    _check_inside(con, layer, rows, geoms)
    return geoms


def _repair(rows: Rows, geoms: np.ndarray, allowed: set[str]) -> np.ndarray:
    """Invalid polygons and lines through make_valid when that gives the right kind of shape with some extent."""
    out = geoms.copy()
    for i in np.flatnonzero(rows.ok):
        g = geoms[i]
        if g is None or g.geom_type == "Point":
            continue
        if g.is_valid and (g.area > 0 if "Polygon" in g.geom_type else g.length > 0):
            continue
        fixed = shapely.make_valid(g)
        parts = [p for p in getattr(fixed, "geoms", [fixed]) if p.geom_type in allowed | {"Polygon", "LineString"}
                 and p.geom_type.replace("Multi", "") in {t.replace("Multi", "") for t in allowed}]
        fixed = shapely.union_all(parts) if parts else None
        good = fixed is not None and not fixed.is_empty and (fixed.area > 0 if "Polygon" in g.geom_type
                                                              else fixed.length > 0)
        if good:
            out[i] = fixed
            rows.notes[i].append("geometry_repaired")
        else:
            rows.flag(np.arange(rows.n) == i, "invalid_geometry", "geometry", [shapely.to_wkt(g, 6)] * rows.n)
    return out


def county_boundary(con):
    row = con.execute("SELECT ST_AsWKB(geom) FROM county").fetchone()
    if row is None:
        raise MappingError("no_county")
    return shapely.from_wkb(bytes(row[0]))


def _check_inside(con, layer: Layer, rows: Rows, geoms: np.ndarray) -> None:
    boundary = county_boundary(con)
    live = np.flatnonzero(rows.ok & ~pd.isna(geoms))
    if not len(live):
        return
    g = geoms[live]
    is_point = np.asarray([x.geom_type == "Point" for x in g])
    inside = np.ones(len(live), dtype=bool)
    if is_point.any():
        buffered = boundary.buffer(POINT_BUFFER_DEG)
        shapely.prepare(buffered)
        xy = shapely.get_coordinates(g[is_point])
        ok = shapely.contains_xy(buffered, xy[:, 0], xy[:, 1])
        swapped = ~ok & shapely.contains_xy(buffered, xy[:, 1], xy[:, 0])
        idx = live[is_point]
        for k in np.flatnonzero(swapped):
            geoms[idx[k]] = shapely.Point(xy[k, 1], xy[k, 0])
            rows.notes[idx[k]].append("lon_lat_swapped")
        inside[is_point] = ok | swapped
    others = ~is_point
    if others.any():
        shapely.prepare(boundary)
        if layer.geometry == "line":
            inside[others] = shapely.intersects(boundary, g[others])
        else:
            inside[others] = shapely.contains_properly(boundary.buffer(POINT_BUFFER_DEG),
                                                       shapely.point_on_surface(g[others]))
    bad = np.zeros(rows.n, dtype=bool)
    bad[live[~inside]] = True
    described = np.full(rows.n, None, dtype=object)
    described[bad] = [_short_wkt(x) for x in geoms[bad]]
    rows.flag(bad, "outside_county", "geometry", described)


def _short_wkt(g) -> str | None:
    if g is None:
        return None
    if g.geom_type == "Point":
        return f"{g.x:.6f}, {g.y:.6f}"
    p = g.representative_point()
    return f"{g.geom_type} @ {p.x:.5f}, {p.y:.5f}"


# ---------------------------------------------------------------- places and references

def township_ids(con, rows: Rows, typed: dict, required: bool = True) -> np.ndarray:
    """From 所属乡镇 (name, name without 镇/乡/街道, or code) when given, else the township polygon around the
    row's position (its representative point; the nearest township for a point on a border)."""
    towns = con.execute("SELECT township_id, code, name, ST_AsWKB(geom) FROM townships").fetchall()
    out = np.full(rows.n, -1, dtype=np.int64)
    text = rows.get("township")
    lookup = {}
    for tid, code, name, _ in towns:
        lookup[code] = lookup[name] = tid
        lookup.setdefault(name.removesuffix("街道").removesuffix("镇").removesuffix("乡"), tid)
    given = text.notna().to_numpy()
    for i in np.flatnonzero(given):
        out[i] = lookup.get(text.iat[i], -1)
    rows.flag(given & (out < 0), "unknown_township", "township", text)
    geoms = typed.get("geometry")
    if geoms is not None and towns:
        need = np.flatnonzero(~given & rows.ok & ~pd.isna(geoms))
        if len(need):
            polys = np.asarray([shapely.from_wkb(bytes(w)) for *_, w in towns], dtype=object)
            ids = np.asarray([t[0] for t in towns])
            points = shapely.point_on_surface(geoms[need])
            tree = shapely.STRtree(polys)
            hit_pt, hit_poly = tree.query(points, predicate="intersects")
            out[need[hit_pt[::-1]]] = ids[hit_poly[::-1]]  # the first hit wins
            left = need[out[need] < 0]
            if len(left):
                nearest = tree.nearest(shapely.point_on_surface(geoms[left]))
                out[left] = ids[nearest]
    if required:
        rows.flag(~given & (out < 0) & rows.ok, "unknown_township", "township", text)
    return out


def village_ids(con, rows: Rows, township: np.ndarray) -> np.ndarray:
    """所属村 by name within the row's township, or by code; an unknown village is noted, not quarantined."""
    text = rows.get("village")
    out = np.full(rows.n, -1, dtype=np.int64)
    if text.notna().any():
        rows_ = con.execute("SELECT village_id, township_id, name FROM villages").fetchall()
        by_name = {(t, n): v for v, t, n in rows_}
        by_code = dict(con.execute("SELECT code, village_id FROM villages").fetchall())
        for i in np.flatnonzero(text.notna().to_numpy()):
            out[i] = by_name.get((int(township[i]), text.iat[i]), by_code.get(text.iat[i], -1))
        rows.note((out < 0) & text.notna().to_numpy(), "unknown_village")
    return out


def _code_lookup(con, table: str, id_column: str, also_name: bool = False) -> dict:
    lookup = dict(con.execute(f"SELECT code, {id_column} FROM {table}").fetchall())
    if also_name:
        for name, value in con.execute(f"SELECT name, {id_column} FROM {table}").fetchall():
            lookup.setdefault(name, value)
    return lookup


# ---------------------------------------------------------------- what each layer stores

def _nullable(values, dtype: str = "Int64") -> pd.Series:
    return pd.Series(values).astype(dtype)


def _first_or(series: pd.Series, default: str) -> pd.Series:
    return series.where(series.notna(), default)


def layer_columns(con, layer: Layer, rows: Rows, typed: dict) -> pd.DataFrame:
    """The table's columns for every row (quarantined rows included; the caller drops them)."""
    g = typed.get("geometry")
    frame = pd.DataFrame(index=range(rows.n))
    if layer.name != "stock" and "code" in typed:
        frame["code"] = typed["code"]
    if layer.name not in ("stock", "roster"):
        frame["name"] = typed["name"]
    if layer.township in ("located", "optional"):
        tid = township_ids(con, rows, typed, required=layer.township == "located")
        frame["township_id"] = _nullable(np.where(tid >= 0, tid, None))
    if layer.has_points or layer.name in ("townships",):
        pts = shapely.point_on_surface(np.where(pd.isna(g), None, g))
        frame["lon"], frame["lat"] = shapely.get_x(pts), shapely.get_y(pts)
    fill = _LAYER_COLUMNS.get(layer.name)
    if fill:
        fill(con, layer, rows, typed, frame)
    if g is not None:
        frame["geom_wkb"] = shapely.to_wkb(_stored_geometry(layer, g))
    return frame


def _stored_geometry(layer: Layer, g: np.ndarray) -> np.ndarray:
    if layer.geometry == "point_or_polygon":  # villages: the point; a polygon goes to its area column
        return np.where(shapely.get_type_id(g) > 0, shapely.point_on_surface(g), g)
    return g


def _townships(con, layer, rows, typed, frame):
    name = typed["name"].fillna("")
    suffix = np.select([name.str.endswith("街道"), name.str.endswith("镇"), name.str.endswith("乡")],
                       ["街道", "镇", "乡"], "other")
    frame["kind"] = typed["kind"].where(typed["kind"].notna(), pd.Series(suffix))
    frame["population"] = _nullable(typed["population"].round())
    frame["seat_lon"], frame["seat_lat"] = frame.pop("lon"), frame.pop("lat")


def _villages(con, layer, rows, typed, frame):
    name = typed["name"].fillna("")
    frame["kind"] = typed["kind"].where(typed["kind"].isin(["village", "community"]),
                                        np.where(name.str.endswith("社区") | name.str.endswith("居委会"),
                                                 "community", "village"))
    frame["population"] = _nullable(typed["population"].round())
    g = typed["geometry"]
    frame["area_wkb"] = shapely.to_wkb(np.where(shapely.get_type_id(g) == 0, None, g))


def _grid_cells(con, layer, rows, typed, frame):
    frame["population"] = _nullable(typed["population"].round())


def _grid_members(con, layer, rows, typed, frame):
    cells = _code_lookup(con, "grid_cells", "grid_cell_id", also_name=True)
    cell = typed["grid_cell"].map(lambda v: cells.get(v) if v is not None else None)
    rows.flag((typed["grid_cell"].notna() & cell.isna()).to_numpy(), "unknown_grid_cell", "grid_cell",
              typed["grid_cell"])
    frame["grid_cell_id"] = _nullable(cell)
    frame["phone"] = typed["phone"]
    frame["role"] = _first_or(typed["role"], "other")


def _linkage_units(con, layer, rows, typed, frame):
    name = typed["name"].fillna("")
    guess = np.where(name.str.endswith("人民政府") | name.str.endswith("办事处"), "township", "department")
    frame["kind"] = typed["kind"].where(typed["kind"].isin(["department", "township"]), guess)
    frame["linkage_level"] = _nullable(pd.to_numeric(typed["level"].where(typed["level"] != "other"),
                                                     errors="coerce"))
    rows.flag((typed["level"] == "other").to_numpy(), "not_a_number", "level", rows.get("level"))
    no_town = (frame["kind"] == "township") & frame["township_id"].isna()
    rows.flag(no_town.to_numpy(), "unknown_township", "township", rows.get("township"))
    frame["phone"] = typed["phone"]
    aliases = _aliases(con, "hazard")
    items = typed["hazards"].map(_split_list)
    frame["hazards"] = items.map(lambda xs: [aliases[x.casefold()] for x in xs if x.casefold() in aliases])
    for i, xs in enumerate(items):
        unknown = [x for x in xs if x.casefold() not in aliases]
        if unknown:
            rows.unmapped[i]["hazards"] = "、".join(unknown)


def _split_list(value) -> list[str]:
    if not isinstance(value, str):
        return []
    for sep in "、，,;；/":
        value = value.replace(sep, "|")
    return [v.strip() for v in value.split("|") if v.strip()]


def _cameras(con, layer, rows, typed, frame):
    frame["kind"] = _first_or(typed["kind"], "other")
    frame["online"] = typed["online"].map({"true": True, "false": False}).astype("boolean").fillna(True)
    frame["stream_ref"] = typed["stream_ref"]


def _sensors(con, layer, rows, typed, frame):
    frame["sensor_type"] = typed["sensor_type"]
    reservoirs = _code_lookup(con, "reservoirs", "reservoir_id", also_name=True)
    res = typed["reservoir"].map(lambda v: reservoirs.get(v) if v is not None else None)
    rows.note((typed["reservoir"].notna() & res.isna()).to_numpy(), "unknown_reservoir")
    frame["reservoir_id"] = _nullable(res)
    frame["online"] = typed["online"].map({"true": True, "false": False}).astype("boolean").fillna(True)


def _reservoirs(con, layer, rows, typed, frame):
    frame["scale"] = _first_or(typed["scale"], "other")
    frame["capacity_mcm"] = typed["capacity_10k_m3"] / 100.0  # 万 m³ -> million m³
    levels = ("dead_level_m", "flood_limit_level_m", "normal_level_m", "design_flood_level_m", "check_flood_level_m")
    for column in levels:
        frame[column] = typed[column]
    # 死水位 < 汛限水位 <= 正常蓄水位 < 设计洪水位 <= 校核洪水位, among the levels given (the table's CHECK).
    strict = (True, False, True, False)
    bad = np.zeros(rows.n, dtype=bool)
    for i in range(len(levels)):
        for j in range(i + 1, len(levels)):
            a, b = typed[levels[i]].to_numpy(dtype=float), typed[levels[j]].to_numpy(dtype=float)
            wrong = (a >= b) if any(strict[i:j]) else (a > b)
            bad |= np.nan_to_num(wrong, nan=0).astype(bool) & ~np.isnan(a) & ~np.isnan(b)
    shown = [" / ".join("" if pd.isna(typed[c].iat[k]) else f"{typed[c].iat[k]:g}" for c in levels)
             for k in range(rows.n)]
    rows.flag(bad, "levels_out_of_order", "levels", shown)
    frame["is_generated"] = False


def _geo_hazard_points(con, layer, rows, typed, frame):
    frame["kind"] = _first_or(typed["kind"], "other")
    frame["risk_level"] = _nullable(pd.to_numeric(typed["risk_level"].where(typed["risk_level"] != "other"),
                                                  errors="coerce"))
    frame["threatened_people"] = _nullable(typed["threatened_people"].round())
    vid = village_ids(con, rows, frame["township_id"].fillna(-1).to_numpy())
    frame["village_id"] = _nullable(np.where(vid >= 0, vid, None))


def _rescue_teams(con, layer, rows, typed, frame):
    spec = _first_or(typed["specialty"], "other")
    frame["kind"] = _first_or(typed["kind"], "other")
    frame["specialty"] = spec
    frame["specialties"] = spec.map(lambda s: [s])
    frame["headcount"] = _nullable(typed["headcount"].round())
    rows.flag((frame["headcount"].fillna(1) <= 0).to_numpy(), "not_a_number", "headcount", rows.get("headcount"))
    frame["leader_name"], frame["leader_phone"] = typed["leader_name"], typed["leader_phone"]


def _shelters(con, layer, rows, typed, frame):
    frame["capacity"] = _nullable(typed["capacity"].round())
    rows.flag((frame["capacity"].fillna(1) <= 0).to_numpy(), "not_a_number", "capacity", rows.get("capacity"))
    frame["area_m2"] = typed["area_m2"]
    frame["setting"] = _first_or(typed["setting"], "other")
    frame["level"] = typed["level"]
    vid = village_ids(con, rows, frame["township_id"].fillna(-1).to_numpy())
    frame["village_id"] = _nullable(np.where(vid >= 0, vid, None))


def _warehouses(con, layer, rows, typed, frame):
    frame["manager_name"], frame["manager_phone"] = typed["manager_name"], typed["manager_phone"]


def _stock(con, layer, rows, typed, frame):
    depots = _code_lookup(con, "warehouses", "warehouse_id", also_name=True)
    depot = typed["warehouse"].map(lambda v: depots.get(v) if v is not None else None)
    rows.flag((typed["warehouse"].notna() & depot.isna()).to_numpy(), "unknown_warehouse", "warehouse",
              typed["warehouse"])
    # An item code names the item, not the holding: the same code recurs in every warehouse that stocks it.
    frame["code"] = typed["warehouse"] + "/" + typed["code"].where(typed["code"].notna(), typed["item"])
    dup = frame["code"].notna() & frame["code"].duplicated(keep="first")
    rows.flag(dup.to_numpy(), "duplicate_code", "code", frame["code"])
    frame["warehouse_id"] = _nullable(depot)
    frame["item"] = typed["item"]
    frame["category"] = _first_or(typed["category"], "other")
    frame["quantity"] = typed["quantity"]
    rows.flag((typed["quantity"] < 0).fillna(False).to_numpy(), "not_a_number", "quantity", rows.get("quantity"))
    frame["unit"] = typed["unit"]


def _roads(con, layer, rows, typed, frame):
    by_prefix = {"G": "national", "S": "provincial", "X": "county", "Y": "township", "C": "village"}
    guess = typed["code"].map(lambda c: by_prefix.get(c[:1].upper(), "other") if isinstance(c, str) else "other")
    frame["road_class"] = typed["road_class"].where(typed["road_class"].notna(), guess)


def _responsible_persons(con, layer, rows, typed, frame):
    frame["duty"] = typed["duty"]
    frame["post"] = typed["post"]
    vid = village_ids(con, rows, frame["township_id"].fillna(-1).to_numpy())
    frame["village_id"] = _nullable(np.where(vid >= 0, vid, None))
    frame["object_code"] = typed["object_code"]
    frame["phone"] = typed["phone"]


def _roster(con, layer, rows, typed, frame):
    frame["duty_date"] = typed["duty_date"].dt.date
    frame["seat"] = _seat_codes(con, typed["seat"])
    frame["code"] = frame["duty_date"].astype(str) + "/" + frame["seat"].astype(str)
    dup = frame["code"].duplicated(keep="first") & typed["seat"].notna() & typed["duty_date"].notna()
    rows.flag(dup.to_numpy(), "duplicate_code", "seat", typed["seat"])
    frame["person_name"] = typed["person_name"]
    frame["unit_name"] = typed["unit_name"].fillna("")
    frame["phone"] = typed["phone"].fillna("")


def _seat_codes(con, labels: pd.Series) -> pd.Series:
    """Duty seats by their code or Chinese name; a county's own seat (值班长) becomes a seat of its own."""
    known = {}
    for code, zh, en in con.execute("SELECT code, name_zh, name_en FROM duty_seats").fetchall():
        known[code.casefold()] = known[zh.casefold()] = known[en.casefold()] = code
    out = []
    for label in labels:
        if label is None:
            out.append(None)
            continue
        code = known.get(label.casefold())
        if code is None:
            code = "county_" + hashlib.md5(label.encode()).hexdigest()[:8]
            order = con.execute("SELECT coalesce(max(sort_order), 0) + 1 FROM duty_seats").fetchone()[0]
            con.execute("INSERT INTO duty_seats VALUES (?, ?, ?, ?, false)", [code, order, label, label])
            known[label.casefold()] = code
        out.append(code)
    return pd.Series(out, dtype=object)


_LAYER_COLUMNS = {
    "townships": _townships, "villages": _villages, "grid_cells": _grid_cells, "grid_members": _grid_members,
    "linkage_units": _linkage_units, "cameras": _cameras, "sensors": _sensors, "reservoirs": _reservoirs,
    "geo_hazard_points": _geo_hazard_points, "rescue_teams": _rescue_teams, "shelters": _shelters,
    "warehouses": _warehouses, "stock": _stock, "roads": _roads, "responsible_persons": _responsible_persons,
    "roster": _roster}


# ---------------------------------------------------------------- upsert

def _select_list(layer: Layer, columns: list[str]) -> tuple[list[str], list[str]]:
    """(target columns, expressions over the staged frame `s`)."""
    targets, exprs = [], []
    for c in columns:
        if c == "geom_wkb":
            targets.append("geom")
            exprs.append("ST_GeomFromWKB(CAST(s.geom_wkb AS BLOB))")
        elif c == "area_wkb":
            targets.append("area")
            exprs.append("ST_GeomFromWKB(CAST(s.area_wkb AS BLOB))")
        elif c in ("hazards", "specialties"):
            targets.append(c)
            exprs.append(f"CAST(s.{c} AS VARCHAR[])")
        else:
            targets.append(c)
            exprs.append(f"s.{c}")
    if layer.name == "townships":
        targets.append("seat")
        exprs.append("ST_Point(s.seat_lon, s.seat_lat)")
    return targets, exprs


def upsert(con, layer: Layer, staged: pd.DataFrame, load_id: int) -> tuple[int, int, int]:
    """(stored, updated, unchanged): insert new codes, update changed ones (old version to reference_history)."""
    if layer.name == "roster":
        return _upsert_roster(con, staged, load_id)
    table, key = layer.table, layer.id_column
    columns = [c for c in staged.columns if c != "row_no"] + ["row_hash"]
    con.register("county_frame", staged)
    hashed = [c for c in staged.columns if c not in ("row_no", "load_note", "unmapped")]
    parts = ", ".join(f"coalesce(CAST({c} AS VARCHAR), chr(30))" for c in sorted(hashed))  # chr(30): NULL
    con.execute(f"CREATE OR REPLACE TEMP TABLE county_staged AS SELECT *, md5(concat_ws(chr(31), {parts})) AS row_hash "
                "FROM county_frame")
    con.unregister("county_frame")
    try:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE county_match AS
            SELECT s.code, t.row_hash IS NOT DISTINCT FROM s.row_hash AS same
            FROM county_staged s JOIN {table} t ON t.code = s.code""")
        unchanged, updated = con.execute(
            "SELECT count(*) FILTER (same), count(*) FILTER (NOT same) FROM county_match").fetchone()
        targets, exprs = _select_list(layer, columns)
        if updated:
            con.execute(f"""INSERT INTO reference_history (layer, code, load_id, replaced_at, old_record)
                SELECT ?, t.code, ?, ?, to_json(t)::VARCHAR
                FROM (SELECT * REPLACE ({_geometry_text(con, table)})
                      FROM {table}) t JOIN county_match m ON m.code = t.code AND NOT m.same""",
                        [layer.name, load_id, now()])
            assignments = ", ".join(f"{t} = {e}" for t, e in zip(targets, exprs) if t != "code")
            con.execute(f"""UPDATE {table} SET {assignments} FROM county_staged s, county_match m
                WHERE {table}.code = s.code AND m.code = s.code AND NOT m.same""")
        start = con.execute(f"SELECT coalesce(max({key}), 0) FROM {table}").fetchone()[0]
        stored = con.execute(f"""INSERT INTO {table} ({key}, {', '.join(targets)})
            SELECT {start} + row_number() OVER (ORDER BY s.row_no), {', '.join(exprs)}
            FROM county_staged s ANTI JOIN county_match m ON m.code = s.code""").fetchone()[0]
    finally:
        con.execute("DROP TABLE IF EXISTS county_staged")
    return int(stored), int(updated), int(unchanged)


def _geometry_text(con, table: str) -> str:
    columns = con.execute("""SELECT column_name FROM information_schema.columns
        WHERE table_name = ? AND data_type = 'GEOMETRY'""", [table]).fetchall()
    return ", ".join(f"ST_AsText({c}) AS {c}" for (c,) in columns)


def _upsert_roster(con, staged: pd.DataFrame, load_id: int) -> tuple[int, int, int]:
    """The roster's key is (day, seat); changes go to duty_roster_history as the duty desk's edits do."""
    from data import roster
    roster.ensure_history_table(con)
    con.register("county_staged", staged)
    try:
        con.execute("""CREATE OR REPLACE TEMP TABLE county_match AS
            SELECT s.duty_date, s.seat, (r.person_name, r.unit_name, r.phone)
                   IS NOT DISTINCT FROM (s.person_name, s.unit_name, s.phone) AS same
            FROM county_staged s JOIN duty_roster r USING (duty_date, seat)""")
        unchanged, updated = con.execute(
            "SELECT count(*) FILTER (same), count(*) FILTER (NOT same) FROM county_match").fetchone()
        base = con.execute("SELECT coalesce(max(history_id), 0) FROM duty_roster_history").fetchone()[0]
        con.execute("""INSERT INTO duty_roster_history
            SELECT ? + row_number() OVER (), ?, ?, s.duty_date, s.seat,
                   CASE WHEN r.seat IS NULL THEN 'add' ELSE 'change' END,
                   r.person_name, r.unit_name, r.phone, s.person_name, s.unit_name, s.phone
            FROM county_staged s LEFT JOIN duty_roster r USING (duty_date, seat)
            LEFT JOIN county_match m USING (duty_date, seat)
            WHERE m.same IS NULL OR NOT m.same""", [base, now(), f"county load {load_id}"])
        con.execute("""UPDATE duty_roster SET person_name = s.person_name, unit_name = s.unit_name, phone = s.phone
            FROM county_staged s, county_match m
            WHERE duty_roster.duty_date = s.duty_date AND duty_roster.seat = s.seat
              AND m.duty_date = s.duty_date AND m.seat = s.seat AND NOT m.same""")
        stored = con.execute("""INSERT INTO duty_roster
            SELECT s.duty_date, s.seat, s.person_name, s.unit_name, s.phone FROM county_staged s
            ANTI JOIN county_match m USING (duty_date, seat)""").fetchone()[0]
    finally:
        con.unregister("county_staged")
    return int(stored), int(updated), int(unchanged)


# ---------------------------------------------------------------- the whole load

def load(con: duckdb.DuckDBPyConnection, layer_name: str, path: str | Path, crs: str | None = None,
         sheet: str | None = None, mapping: dict[str, str] | None = None, via: str = "cli",
         username: str | None = None, role: str | None = None) -> LoadResult:
    """Read a file and load it (see the module docstring). ReadError / MappingError when it cannot be read or
    mapped; otherwise every row is accounted for in the result."""
    layer = _layer(layer_name)
    source = read(path, sheet)
    return load_source(con, layer, source, crs, mapping, via, username, sha256=_sha256(Path(path)), role=role)


def load_frame(con, layer_name: str, table: pd.DataFrame, geometry: np.ndarray | None = None,
               crs: str | None = None, file_name: str = "frame", via: str = "demo") -> LoadResult:
    """Load rows already in memory (the demo builds its county this way)."""
    layer = _layer(layer_name)
    from data.county.read import _as_text
    source = Source(_as_text(table), geometry, None, file_name)
    digest = hashlib.sha256(pd.util.hash_pandas_object(table.astype(str), index=False).values.tobytes()).hexdigest()
    return load_source(con, layer, source, crs, None, via, None, sha256=digest)


def _layer(name: str) -> Layer:
    if name not in LAYERS:
        raise MappingError("unknown_layer", layer=name, layers=", ".join(LAYERS))
    return LAYERS[name]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_source(con, layer: Layer, source: Source, crs: str | None, mapping: dict[str, str] | None, via: str,
                username: str | None, sha256: str, role: str | None = None) -> LoadResult:
    t0 = time.perf_counter()
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'county_loads'").fetchone()[0]:
        db.ensure_section(con, "county")
    columns = list(source.table.columns)
    chosen = map_columns(layer, columns, mapping, has_geometry=source.geometry is not None)
    rows = Rows(layer, source.table, chosen)
    result = LoadResult(layer.name, rows_in=rows.n, mapping=chosen)
    con.execute("BEGIN TRANSACTION")
    try:
        typed = check_rows(con, layer, rows, source, crs)
        result.crs = getattr(rows, "crs_label", None)
        frame = layer_columns(con, layer, rows, typed)
        frame["row_no"] = np.arange(1, rows.n + 1)
        frame["load_note"] = [",".join(n) if n else None for n in rows.notes]
        if layer.name != "roster":
            frame["unmapped"] = [json.dumps(u, ensure_ascii=False) if u else None for u in rows.unmapped]
        else:
            frame = frame.drop(columns=["code"])
        ok = rows.ok
        load_id = con.execute("SELECT nextval('county_load_seq')").fetchone()[0]
        stored, updated, unchanged = upsert(con, layer, frame[ok].reset_index(drop=True), load_id)
        quarantined = int((~ok).sum())
        reasons = pd.Series(rows.reason[~ok]).value_counts().to_dict()
        _quarantine(con, load_id, layer, rows, ~ok)
        result.stored, result.updated, result.unchanged, result.quarantined = stored, updated, unchanged, quarantined
        result.reasons, result.load_id = {str(k): int(v) for k, v in reasons.items()}, int(load_id)
        con.execute("""INSERT INTO county_loads (load_id, layer, file_name, sha256, via, loaded_by, loaded_at,
                       rows_in, stored, updated, unchanged, quarantined) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [load_id, layer.name, source.file_name, sha256, via, username, now(), rows.n, stored, updated,
                     unchanged, quarantined])
        if stored or updated:
            db.bump_data_version(con)
        con.execute("COMMIT")
        if (stored or updated) and layer.name in PLACEMENT_LAYERS:
            from data.ingest import raster
            raster.ensure(con)  # incidents are placed by the loaded polygons: cut the raster now, not at the import
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if username:
        accounts.audit(con, username, role, "county_load",
                       detail=json.dumps({**result.summary(), "file": source.file_name}, ensure_ascii=False))
    db.checkpoint(con)
    result.seconds = round(time.perf_counter() - t0, 2)
    return result


def _quarantine(con, load_id: int, layer: Layer, rows: Rows, bad: np.ndarray) -> None:
    idx = np.flatnonzero(bad)
    if not len(idx):
        return
    records = rows.raw.iloc[idx].to_dict(orient="records")
    frame = pd.DataFrame({
        "load_id": load_id, "layer": layer.name, "row_no": idx + 1, "reason": rows.reason[idx],
        "field": rows.field[idx], "bad_value": [None if v is None else str(v) for v in rows.bad_value[idx]],
        "record": [json.dumps(r, ensure_ascii=False, default=str) for r in records]})
    con.register("county_bad", frame)
    try:
        con.execute("INSERT INTO county_quarantine SELECT * FROM county_bad")
    finally:
        con.unregister("county_bad")
