"""Writes tests/packs/ebian/: a synthetic "second county pack" for 峨边彝族自治县 (Ebian, Leshan, adcode 511132).

    python tests/packs/make_ebian.py

The files are what a county's departments would hand over, each in a format and coordinate system different from
the demo's (Qingyuan): a zipped Shapefile in EPSG:4543, a GeoPackage in EPSG:4490, a GB18030 CSV in GCJ-02, Excel
in BD-09, KML, GeoJSON with a "crs" member, CSV with a byte-order mark, ... Every geometry and every name is
synthetic (no real boundaries offline): an irregular county polygon about 45 km x 50 km around the real seat,
8 townships (Voronoi of their seats) and 24 grid cells (3 per township) that tile it exactly: one noded linework,
polygonized, so neighbours share their vertices. Each point lies inside its township and grid cell at least
300 m from their borders. A few rows are deliberately bad; README.md lists them and expected.json gives the counts
a loader should report.

Deterministic: numpy's generator seeded with SEED, fixed timestamps in the GeoPackage, the shapefile's .dbf and
the xlsx/zip members, so running it twice gives the same bytes. It ends by reading every file back (pyogrio,
pandas) and checking counts, CRS, tiling and point placement.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tempfile
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import prcoords
import pyogrio
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import LineString, MultiPoint, Point, Polygon, mapping
from shapely.prepared import prep

OUT = Path(__file__).resolve().parent / "ebian"
SEED = 511132
FIXED_TIME = (2026, 11, 20, 9, 0, 0)

COUNTY = "峨边彝族自治县"
COUNTY_EN = "Ebian Yi Autonomous County"
ADCODE = "511132"
SEAT = (103.262, 29.230)          # lon, lat of the county seat (沙坪镇)
MARGIN = 300.0                    # metres between any point and its grid cell's border (>= 200 m asked)

METRIC = "EPSG:4543"              # CGCS2000 / 3-degree Gauss-Kruger CM 102E, metres
_TO_M = Transformer.from_crs("EPSG:4490", METRIC, always_xy=True)
_TO_GEO = Transformer.from_crs(METRIC, "EPSG:4490", always_xy=True)

# name, kind, seat offset from the county seat (km east, km north)
TOWNSHIPS = [
    ("沙坪镇", "镇", (0.0, 0.0)),
    ("大堡镇", "镇", (-13.0, -10.0)),
    ("毛坪镇", "镇", (12.0, 12.0)),
    ("五渡镇", "镇", (-2.0, 15.0)),
    ("新林镇", "镇", (14.0, -3.0)),
    ("黑竹沟镇", "镇", (-15.0, 6.0)),
    ("红花乡", "乡", (-2.0, -17.0)),
    ("宜坪乡", "乡", (11.0, -15.0)),
]
TOWNSHIP_CODES = {name: f"{ADCODE}{100 + i}" for i, (name, _, _) in enumerate(TOWNSHIPS)}

# the seat town's communities (社区) come first; codes 001.. for communities, 200.. for villages
VILLAGES = {
    "沙坪镇": ["沙坪社区", "新街社区", "河滨社区", "茶坊村", "共和村", "胜利村", "先锋村", "石板村", "官料村",
               "万坪村"],
    "大堡镇": ["大堡村", "杨河村", "核桃坪村", "向阳村", "松林村", "岩门村", "金河村"],
    "毛坪镇": ["毛坪村", "青龙村", "鹰嘴村", "红岩村", "和平村", "水碾村", "团结村"],
    "五渡镇": ["五渡村", "双河村", "回龙村", "光明村", "新场村", "顺河村", "白沙村"],
    "新林镇": ["新林村", "龙池村", "马鞍村", "茶园村", "凤凰村", "桥头村", "联合村"],
    "黑竹沟镇": ["黑竹村", "勒乌村", "斯合村", "觉呷村", "阿依村", "罗回村", "古井村", "金星村"],
    "红花乡": ["红花村", "底底村", "桃园村", "木厂村", "鹿鸣村", "上坪村", "杉树村"],
    "宜坪乡": ["宜坪村", "坪头村", "羊坪村", "清水村", "大岩村", "平安村", "丰收村"],
}

HAN_SURNAMES = ("王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
                "贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷"
                "钱汤尹黎易常武乔贺赖龚文")
HAN_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰春梅海燕文辉鹏飞浩宇晓东雪琴德福永林成斌"
YI_FAMILY = ["阿苦", "吉克", "勒古", "沙马", "阿说", "马海", "吉木", "俄木", "曲比", "海来", "阿尔", "吉伍"]
YI_GIVEN = ["日哈", "阿支", "拉且", "子哈", "木呷", "伍沙", "尔古", "石者", "阿呷", "拉洛", "克布", "么佳"]


# ------------------------------------------------------------------ helpers
class Names:
    """Unique synthetic person names and phone numbers (one rng, so the pack stays deterministic)."""

    def __init__(self, rng: np.random.Generator):
        self.rng, self.used, self.phones = rng, set(), set()

    def person(self) -> str:
        while True:
            if self.rng.random() < 0.3:
                name = YI_FAMILY[self.rng.integers(len(YI_FAMILY))] + YI_GIVEN[self.rng.integers(len(YI_GIVEN))]
            else:
                n = 1 + int(self.rng.random() < 0.7)
                name = HAN_SURNAMES[self.rng.integers(len(HAN_SURNAMES))] + "".join(
                    HAN_GIVEN[self.rng.integers(len(HAN_GIVEN))] for _ in range(n))
            if name not in self.used:
                self.used.add(name)
                return name

    def mobile(self) -> str:
        while True:
            phone = "139" + "".join(str(d) for d in self.rng.integers(0, 10, 8))
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def landline(self) -> str:
        while True:
            phone = "0833-52" + "".join(str(d) for d in self.rng.integers(0, 10, 5))
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


def to_geo(geom):
    """EPSG:4543 metres -> EPSG:4490 / WGS84 lon, lat (the same numbers here: CGCS2000 ~ WGS84)."""
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_GEO.transform(xy[:, 0], xy[:, 1])))


def lonlat(p: Point) -> tuple[float, float]:
    lon, lat = _TO_GEO.transform(p.x, p.y)
    return float(lon), float(lat)


def gcj(lon: float, lat: float) -> tuple[float, float]:
    c = prcoords.wgs_gcj(prcoords.Coords(lat, lon), True)
    return c.lon, c.lat


def bd(lon: float, lat: float) -> tuple[float, float]:
    c = prcoords.wgs_bd(prcoords.Coords(lat, lon), True)
    return c.lon, c.lat


def f6(v: float) -> str:
    return f"{v:.6f}"


def normalise_zip(path: Path) -> None:
    """Rewrite a zip (xlsx) with fixed member timestamps, so the bytes do not depend on the day it was made
    (openpyxl stamps dcterms:modified with the time of saving)."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    stamp = datetime(*FIXED_TIME).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    members = [(name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
                if name == "docProps/core.xml" else data) for name, data in members]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def write_xlsx(path: Path, sheets: dict[str, tuple[list[str], list[list]]], widths: dict[str, int] | None = None):
    """sheets: name -> (header, rows). Text stays text (codes, phones), numbers numbers, dates dates."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for i, h in enumerate(header):
            ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = (widths or {}).get(h, 14)
    stamp = datetime(*FIXED_TIME)
    wb.properties.creator = "峨边县应急管理局"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.lastModifiedBy = "峨边县应急管理局"
    wb.save(path)
    normalise_zip(path)


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8", crlf: bool = False):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def feature_collection(name: str, features: list[dict], crs: str | None = None) -> str:
    fc = {"type": "FeatureCollection", "name": name}
    if crs:
        fc["crs"] = {"type": "name", "properties": {"name": crs}}
    fc["features"] = features
    # one feature per line: small diffs, still valid JSON
    head = json.dumps({k: v for k, v in fc.items() if k != "features"}, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    return f'{head}, "features": [\n{body}\n]}}\n'


def rounded(coords, nd: int = 7):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), nd) for c in coords]
    return [rounded(c, nd) for c in coords]


# ------------------------------------------------------------------ geometry
class Geography:
    """County, townships and grid cells in EPSG:4543 metres, and where to put points."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.x0, self.y0 = _TO_M.transform(*SEAT)
        self.seats = [Point(self.x0 + dx * 1000 + (rng.uniform(-800, 800) if i else 0),
                            self.y0 + dy * 1000 + (rng.uniform(-800, 800) if i else 0))
                      for i, (_, _, (dx, dy)) in enumerate(TOWNSHIPS)]
        outline = self._outline()
        vor = shapely.voronoi_polygons(MultiPoint(self.seats), extend_to=outline.buffer(10000), ordered=True)
        regions = [cell.intersection(outline) for cell in vor.geoms]
        assert all(r.geom_type == "Polygon" for r in regions), "a township region is not one polygon"
        subs = [self._sub_points(r) for r in regions]
        # One noded linework: the outline, the township edges and the grid splits, each split running 5 m past
        # its township (a dangle there, dropped by polygonize), so every face shares its neighbours' vertices.
        lines = [outline.exterior]
        lines += [cell.exterior.intersection(outline.buffer(5)) for cell in vor.geoms]
        for region, pts in zip(regions, subs):
            sub_vor = shapely.voronoi_polygons(MultiPoint(pts), extend_to=region.buffer(10000))
            lines += [c.exterior.intersection(region.buffer(5)) for c in sub_vor.geoms]
        faces = shapely.polygonize(list(shapely.get_parts(shapely.union_all(lines))))
        pieces: dict[tuple[int, int], list] = {}
        for face in faces.geoms:
            rp = face.representative_point()
            assert outline.buffer(1).contains(rp)
            t = int(np.argmin([rp.distance(s) for s in self.seats]))
            c = int(np.argmin([rp.distance(p) for p in subs[t]]))
            pieces.setdefault((t, c), []).append(face)
        self.cells: list[list[Polygon]] = []
        self.cell_subs: list[list[Point]] = []
        for t in range(len(TOWNSHIPS)):
            # number the cells of a township from north to south, then west to east
            order = sorted(range(3), key=lambda c, t=t: (-round(subs[t][c].y, -3), subs[t][c].x))
            cells = [shapely.union_all(pieces[(t, c)]) for c in order]
            assert all(c.geom_type == "Polygon" for c in cells), TOWNSHIPS[t][0]
            self.cells.append(cells)
            self.cell_subs.append([subs[t][c] for c in order])
        self.townships = [shapely.union_all(cells) for cells in self.cells]
        assert all(t.geom_type == "Polygon" for t in self.townships)
        self.county = shapely.union_all(self.townships)
        assert self.county.geom_type == "Polygon" and not self.county.interiors
        self.inner = {(t, c): prep(cell.buffer(-MARGIN))
                      for t, cells in enumerate(self.cells) for c, cell in enumerate(cells)}
        self.placed: dict[str, list[Point]] = {}

    def _outline(self) -> Polygon:
        rng, n = self.rng, 72
        th = np.linspace(0, 2 * np.pi, n, endpoint=False) + rng.uniform(-0.3, 0.3, n) * (2 * np.pi / n)
        k = np.arange(2, 7)
        amp, ph = rng.uniform(0.03, 0.07, k.size), rng.uniform(0, 2 * np.pi, k.size)
        mod = 1 + (amp[:, None] * np.sin(k[:, None] * th[None, :] + ph[:, None])).sum(axis=0)
        mod *= 1 + rng.uniform(-0.015, 0.015, n)
        cx, cy = self.x0 + 1500, self.y0 - 1000
        return Polygon(np.column_stack([cx + 22500 * mod * np.cos(th), cy + 25000 * mod * np.sin(th)]))

    def _sub_points(self, region: Polygon) -> list[Point]:
        """3 points whose Voronoi cells split the township into 3 single polygons of reasonable size."""
        inner = region.buffer(-1500)
        x0, y0, x1, y1 = inner.bounds
        spread = 0.45 * np.sqrt(region.area)
        for _ in range(2000):
            pts = []
            while len(pts) < 3:
                p = Point(self.rng.uniform(x0, x1), self.rng.uniform(y0, y1))
                if inner.contains(p):
                    pts.append(p)
            if min(a.distance(b) for i, a in enumerate(pts) for b in pts[i + 1:]) < spread:
                continue
            parts = [c.intersection(region) for c in
                     shapely.voronoi_polygons(MultiPoint(pts), extend_to=region.buffer(10000)).geoms]
            if all(p.geom_type == "Polygon" and p.area > 0.18 * region.area for p in parts):
                return pts
        raise RuntimeError("no split found")

    def point(self, kind: str, t: int, c: int | None = None, near: Point | None = None, radius: float = 1500,
              spacing: float = 400) -> tuple[Point, int]:
        """A point in township t (grid cell c, else any), >= MARGIN inside the cell, >= spacing from the other
        points of the same kind; near a given point when asked (and possible)."""
        others = self.placed.setdefault(kind, [])
        cells = [c] if c is not None else list(range(3))
        for attempt in range(20000):
            cc = cells[attempt % len(cells)]
            if near is not None and attempt < 4000:
                p = Point(near.x + self.rng.uniform(-radius, radius), near.y + self.rng.uniform(-radius, radius))
            else:
                x0, y0, x1, y1 = self.cells[t][cc].bounds
                p = Point(self.rng.uniform(x0, x1), self.rng.uniform(y0, y1))
            if self.inner[(t, cc)].contains(p) and all(p.distance(o) >= spacing for o in others):
                others.append(p)
                return p, cc
        raise RuntimeError(f"no room for {kind} in {TOWNSHIPS[t][0]}")

    def line(self, pts: list[Point], wiggle: float = 400, step: float = 1500) -> LineString:
        """A road through pts, densified with sideways wiggles, kept 100 m inside the county."""
        coords = []
        for a, b in zip(pts[:-1], pts[1:]):
            n = max(2, int(a.distance(b) // step))
            dx, dy = b.x - a.x, b.y - a.y
            length = np.hypot(dx, dy)
            nx, ny = -dy / length, dx / length
            for i in range(n):
                f = i / n
                w = 0 if i == 0 else self.rng.uniform(-wiggle, wiggle)
                coords.append((a.x + f * dx + w * nx, a.y + f * dy + w * ny))
        coords.append((pts[-1].x, pts[-1].y))
        line = LineString(coords).intersection(self.county.buffer(-100))
        if line.geom_type == "MultiLineString":
            line = max(line.geoms, key=lambda g: g.length)
        return line


# ------------------------------------------------------------------ the pack
def build(out: Path) -> dict:
    rng = np.random.default_rng(SEED)
    geo = Geography(rng)
    names = Names(rng)
    tnames = [t[0] for t in TOWNSHIPS]
    tindex = {n: i for i, n in enumerate(tnames)}
    expected: dict[str, dict] = {}

    def expect(key, layer, rows_in, stored, bad=None, crs_arg=None, sheet=None, others=None, **extra):
        bad = bad or {}
        reasons: dict[str, int] = {}
        for reason in bad.values():
            reasons[reason] = reasons.get(reason, 0) + 1
        entry = {"file": key.split("#")[0], "command": "init" if layer is None else "load", "layer": layer,
                 "crs_arg": crs_arg, "sheet": sheet,
                 "rows_in": rows_in, "stored": stored, "quarantined": sum(reasons.values()), "reasons": reasons,
                 "others": others or {}, "bad_rows": {str(k): v for k, v in sorted(bad.items())}}
        entry.update(extra)
        accounted = entry["stored"] + entry.get("updated", 0) + entry.get("unchanged", 0) + entry["quarantined"]
        assert accounted == rows_in or extra.get("refused_without_crs"), key
        expected[key] = entry

    # ---------------------------------------------------------------- boundary.geojson (WGS84)
    county_geo = to_geo(geo.county)
    feature = {"type": "Feature", "properties": {"name": COUNTY, "code": ADCODE},
               "geometry": mapping(county_geo)}
    feature["geometry"] = {"type": "Polygon", "coordinates": [[list(xy) for xy in ring] for ring in
                                                            feature["geometry"]["coordinates"]]}
    (out / "boundary.geojson").write_text(feature_collection("boundary", [feature]), encoding="utf-8")
    expect("boundary.geojson", None, 1, 1, encoding="utf-8", crs="EPSG:4326 (RFC 7946, no crs member)",
           note="the county's boundary: python -m data.county init --code 511132 --name 峨边彝族自治县 "
                f"--name-en '{COUNTY_EN}' --boundary boundary.geojson (not a load layer)")

    # ---------------------------------------------------------------- townships.zip (Shapefile, EPSG:4543)
    tship = gpd.GeoDataFrame({"名称": tnames, "代码": [TOWNSHIP_CODES[n] for n in tnames],
                              "类型": [t[1] for t in TOWNSHIPS]}, geometry=geo.townships, crs=METRIC)
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / "townships.shp"
        pyogrio.write_dataframe(tship, shp, driver="ESRI Shapefile", encoding="UTF-8",
                                layer_options={"DBF_DATE_LAST_UPDATE": "2026-11-20"})
        with zipfile.ZipFile(out / "townships.zip", "w", zipfile.ZIP_DEFLATED) as z:
            for ext in ("shp", "shx", "dbf", "prj", "cpg"):
                info = zipfile.ZipInfo(f"townships.{ext}", FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, (Path(tmp) / f"townships.{ext}").read_bytes())
    expect("townships.zip", "townships", 8, 8, encoding="UTF-8 (.cpg)", crs=METRIC)

    # ---------------------------------------------------------------- villages (placed first: cells count them)
    village_rows = []       # [name, code, township, lon, lat, population] in WGS84, good rows only
    village_pts: dict[str, tuple[Point, int, int]] = {}
    cell_pop = np.zeros((len(TOWNSHIPS), 3), dtype=int)
    for t, tname in enumerate(tnames):
        n_comm = 0
        for k, vname in enumerate(VILLAGES[tname]):
            community = vname.endswith("社区")
            if community:
                n_comm += 1
                code = f"{TOWNSHIP_CODES[tname]}{n_comm:03d}"
                p, c = geo.point("village", t, near=geo.seats[t], radius=2500, spacing=600)
                pop = int(rng.integers(2500, 8000))
            else:
                code = f"{TOWNSHIP_CODES[tname]}{200 + k - n_comm:03d}"
                p, c = geo.point("village", t, c=k % 3, spacing=1200)
                pop = int(rng.integers(300, 2400))
            village_pts[vname] = (p, t, c)
            cell_pop[t, c] += pop
            lon, lat = lonlat(p)
            village_rows.append([vname, code, tname, lon, lat, pop])
    assert len(village_rows) == 60

    def village_csv_row(r, swapped=False):
        glon, glat = gcj(r[3], r[4])
        x, y = (f6(glat), f6(glon)) if swapped else (f6(glon), f6(glat))
        return [r[0], r[1], r[2], x, y, str(r[5])]

    header_v = ["村名称", "村代码", "所属乡镇", "经度", "纬度", "人口"]
    good = [village_csv_row(r) for r in village_rows]
    swapped_at = 37                                    # 1-based data row of the file below
    bad_v = {}

    def extra_village(t, k):
        p, _ = geo.point("village_bad", t, spacing=500)
        return p, f"{TOWNSHIP_CODES[tnames[t]]}{200 + k:03d}"

    p, code = extra_village(1, 20)
    row_missing = ["", code, "大堡镇", *(f6(v) for v in gcj(*lonlat(p))), "860"]
    chengdu = gcj(104.0665, 30.5723)
    row_outside = ["高桥村", f"{TOWNSHIP_CODES['毛坪镇']}220", "毛坪镇", *(f6(v) for v in chengdu), "1320"]
    p, code = extra_village(4, 20)
    row_nan = ["杨柳村", code, "新林镇", "abc", f6(gcj(*lonlat(p))[1]), "745"]
    rows_v = list(good)
    for at, row, reason in ((12, row_missing, "missing_field"), (29, row_outside, "outside_county"),
                            (44, row_nan, "not_a_number")):
        rows_v.insert(at - 1, row)
        bad_v[at] = reason
    swapped_code = rows_v[swapped_at - 1][1]
    src = next(r for r in village_rows if r[1] == swapped_code)
    rows_v[swapped_at - 1] = village_csv_row(src, swapped=True)
    write_csv(out / "villages.csv", header_v, rows_v, encoding="gb18030", crlf=True)
    expect("villages.csv", "villages", len(rows_v), 60, bad_v, crs_arg="gcj02", encoding="gb18030",
           crs="GCJ-02", swapped_rows={str(swapped_at): swapped_code},
           note=f"row {swapped_at} has 经度/纬度 swapped; its swapped-back position lies in the county: stored")

    # ---------------------------------------------------------------- grid_cells.gpkg (EPSG:4490)
    cell_rows = []
    for t, tname in enumerate(tnames):
        for c, cell in enumerate(geo.cells[t]):
            pop = int(cell_pop[t, c] + rng.integers(200, 1500))
            cell_rows.append({"网格名称": f"{tname}第{'一二三'[c]}网格",
                              "网格编码": f"{TOWNSHIP_CODES[tname]}-{c + 1:02d}",
                              "所属乡镇": tname, "人口": pop, "geometry": to_geo(cell)})
    cell_codes = [r["网格编码"] for r in cell_rows]
    rows_g = list(cell_rows)
    # bad: a zero-area ring (3 collinear points): make_valid gives lines, not a polygon
    a = lonlat(geo.cell_subs[2][0])
    mid, b = (a[0] + 0.004, a[1]), (a[0] + 0.009, a[1])      # one latitude: exactly collinear
    bad_geom = {"网格名称": "毛坪镇第四网格", "网格编码": f"{TOWNSHIP_CODES['毛坪镇']}-04", "所属乡镇": "毛坪镇",
                "人口": 1250, "geometry": Polygon([a, mid, b, a])}
    assert not bad_geom["geometry"].is_valid and shapely.make_valid(bad_geom["geometry"]).area == 0
    q = geo.cell_subs[4][1]
    tri = to_geo(Polygon([(q.x, q.y), (q.x + 600, q.y), (q.x, q.y + 600)]))
    bad_town = {"网格名称": "不存在乡第一网格", "网格编码": f"{ADCODE}199-01", "所属乡镇": "不存在乡", "人口": 900,
                "geometry": tri}
    dup = dict(cell_rows[4])
    dup.update({"网格名称": dup["网格名称"] + "（重复）", "人口": dup["人口"] + 37})
    bad_g = {}
    for at, row, reason in ((9, bad_geom, "invalid_geometry"), (17, bad_town, "unknown_township"),
                            (27, dup, "duplicate_code")):
        rows_g.insert(at - 1, row)
        bad_g[at] = reason
    gdf = gpd.GeoDataFrame(rows_g, geometry="geometry", crs="EPSG:4490")
    gdf["人口"] = gdf["人口"].astype("int32")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2026-11-20T09:00:00Z"})
    try:
        pyogrio.write_dataframe(gdf, out / "grid_cells.gpkg", layer="grid_cells", driver="GPKG")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    expect("grid_cells.gpkg", "grid_cells", len(rows_g), 24, bad_g, crs="EPSG:4490", encoding="UTF-8 (GeoPackage)",
           duplicate_of={"27": cell_rows[4]["网格编码"] + " (row 5)"})

    # ---------------------------------------------------------------- villages_changed.csv (reload)
    changed = [list(r) for r in good]
    renamed_code = next(r[1] for r in village_rows if r[0] == "石板村")
    repop_code = next(r[1] for r in village_rows if r[0] == "上坪村")
    for r in changed:
        if r[1] == renamed_code:
            r[0], r[5] = "石板沟村", str(int(r[5]) + 112)
        elif r[1] == repop_code:
            r[5] = str(int(r[5]) - 86)
        elif r[1] == swapped_code:
            r[:] = village_csv_row(src, swapped=True)
    t = tindex["宜坪乡"]
    p, _ = geo.point("village", t, c=2, spacing=1200)
    new_code = f"{TOWNSHIP_CODES['宜坪乡']}{200 + len(VILLAGES['宜坪乡']):03d}"
    changed.append(["新华村", new_code, "宜坪乡", *(f6(v) for v in gcj(*lonlat(p))), "640"])
    write_csv(out / "villages_changed.csv", header_v, changed, encoding="gb18030", crlf=True)
    expect("villages_changed.csv", "villages", len(changed), 1, crs_arg="gcj02", encoding="gb18030", crs="GCJ-02",
           updated=2, unchanged=len(changed) - 3, after="villages.csv",
           updated_codes={renamed_code: "石板村 -> 石板沟村, 人口 +112", repop_code: "上坪村 人口 -86"},
           new_codes=[new_code],
           note="loaded after villages.csv: the 60 stored villages again (the 3 bad rows left out, village "
                f"{swapped_code} still swapped), 2 changed, 1 new")

    # ---------------------------------------------------------------- villages_noheader_crs.csv (EPSG:4543)
    rows_m = []
    for r in village_rows[3:48:11]:
        x, y = _TO_M.transform(r[3], r[4])
        rows_m.append([r[0], r[1], r[2], f"{x:.2f}", f"{y:.2f}", str(r[5])])
    write_csv(out / "villages_noheader_crs.csv", ["村名称", "村代码", "所属乡镇", "X", "Y", "人口"], rows_m)
    expect("villages_noheader_crs.csv", "villages", len(rows_m), 0, crs_arg=None, encoding="utf-8",
           crs="EPSG:4543 (X = easting, Y = northing, metres), not stated in the file", refused_without_crs=True,
           with_crs={"crs_arg": "EPSG:4543", "after": "villages.csv", "rows_in": len(rows_m), "stored": 0,
                     "updated": 0, "unchanged": len(rows_m), "quarantined": 0},
           note="a loader must refuse it without --crs (projected metres, no CRS information)")

    # ---------------------------------------------------------------- cameras.xlsx (BD-09)
    counts = [20, 9, 8, 8, 9, 8, 8, 9]
    suffixes = ["村口", "桥头", "路口", "学校门口", "卫生院", "广场", "河堤", "集镇", "停车场", "加油站"]
    cam_rows, cam_names = [], set()
    serial = 0
    for t, tname in enumerate(tnames):
        vill = VILLAGES[tname]
        for _ in range(counts[t]):
            while True:
                vname = vill[rng.integers(len(vill))]
                cname = f"{tname}{vname}{suffixes[rng.integers(len(suffixes))]}"
                if cname not in cam_names:
                    cam_names.add(cname)
                    break
            vp, _, vc = village_pts[vname]
            p, _ = geo.point("camera", t, c=vc, near=vp, radius=1200, spacing=250)
            serial += 1
            kind = ["枪机", "球机", "AI智能"][int(rng.choice(3, p=[0.5, 0.3, 0.2]))]
            code = f"{ADCODE}00" + "00" + "132" + "0" + f"{serial:06d}"
            ref = (f"{ADCODE}00" + "00" + "131" + "0" + f"{serial:06d}" if kind == "AI智能"
                   else f"rtsp://10.20.{t + 1}.{serial + 10}/ch1")
            blon, blat = bd(*lonlat(p))
            cam_rows.append([cname, code, kind, tname, round(blon, 6), round(blat, 6), ref])
    assert len(cam_rows) == 79 and all(len(r[1]) == 20 for r in cam_rows)
    cam_rows[22][2] = "热成像"                        # row 23: not in the code table -> stored as other
    dup_cam = list(cam_rows[16])                       # row 17's code again, elsewhere
    t = tindex[dup_cam[3]]
    p, _ = geo.point("camera", t, spacing=250)
    blon, blat = bd(*lonlat(p))
    dup_cam[0], dup_cam[4], dup_cam[5] = dup_cam[0] + "2", round(blon, 6), round(blat, 6)
    cam_rows.insert(60, dup_cam)                       # row 61
    note = [["本表由峨边彝族自治县公安局雪亮工程平台导出（示例数据，纯属虚构）。"],
            ["坐标系：百度 BD-09 经纬度。设备编码：GB/T 28181 20 位编码。"],
            ["类型：枪机 / 球机 / AI智能。调阅地址：RTSP 地址或平台通道编号。"]]
    write_xlsx(out / "cameras.xlsx", {
        "监控点位": (["设备名称", "设备编码", "类型", "所属乡镇", "经度", "纬度", "调阅地址"], cam_rows),
        "说明": (["说明"], note)}, widths={"设备名称": 30, "设备编码": 24, "调阅地址": 26, "说明": 70})
    expect("cameras.xlsx#监控点位", "cameras", len(cam_rows), 79, {61: "duplicate_code"}, crs_arg="bd09",
           sheet="监控点位", others={"kind": ["热成像"]}, crs="BD-09", other_rows={"23": "类型 = 热成像"},
           duplicate_of={"61": cam_rows[16][1] + " (row 17)"}, note="second sheet 说明 is a note, not data")

    # ---------------------------------------------------------------- shelters.kml (WGS84)
    shelter_specs = [("峨边县体育中心应急避难场所", "室外", 0), ("沙坪镇中心小学避难场所", "室内", 0),
                     ("滨河公园应急避难场所", "室外", 0), ("县文化馆避难场所", "室内", 0),
                     ("大堡镇政府院坝避难场所", "室外", 1), ("大堡镇中心校避难场所", "室内", 1),
                     ("毛坪镇集镇广场避难场所", "室外", 2), ("五渡镇中心校避难场所", "室内", 3),
                     ("新林镇文化广场避难场所", "室外", 4), ("黑竹沟镇游客中心避难场所", "室内", 5),
                     ("黑竹沟镇勒乌村活动广场避难场所", "室外", 5), ("红花乡政府院坝避难场所", "室外", 6),
                     ("红花乡中心校避难场所", "室内", 6), ("宜坪乡文化站避难场所", "室内", 7),
                     ("宜坪乡羊坪村晒坝避难场所", "室外", 7)]
    placemarks, shelter_bad_at = [], 9
    for i, (sname, setting, t) in enumerate(shelter_specs, start=1):
        p, _ = geo.point("shelter", t, near=geo.seats[t] if "村" not in sname else None, radius=2500, spacing=500)
        lon, lat = lonlat(p)
        cap = int(rng.integers(8, 60)) * (10 if setting == "室内" else 50)
        area = cap * (2.0 if setting == "室内" else 1.5)
        fields = {"编码": f"BN{ADCODE}{i:03d}", "容纳人数": "约200人" if i == shelter_bad_at else str(cap),
                  "面积": f"{area:.0f}", "类型": setting, "所属乡镇": tnames[t]}
        data = "".join(f'<SimpleData name="{k}">{escape(v)}</SimpleData>' for k, v in fields.items())
        placemarks.append(f"    <Placemark>\n      <name>{escape(sname)}</name>\n"
                          f'      <ExtendedData><SchemaData schemaUrl="#shelters">{data}</SchemaData></ExtendedData>\n'
                          f"      <Point><coordinates>{lon:.7f},{lat:.7f},0</coordinates></Point>\n"
                          f"    </Placemark>\n")
    schema = "".join(f'<SimpleField name="{k}" type="string"/>'
                     for k in ("编码", "容纳人数", "面积", "类型", "所属乡镇"))
    kml = ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n'
           f"  <name>{COUNTY}应急避难场所</name>\n"
           f'  <Schema name="shelters" id="shelters">{schema}</Schema>\n'
           "  <Folder>\n    <name>应急避难场所</name>\n" + "".join(placemarks) + "  </Folder>\n</Document>\n</kml>\n")
    (out / "shelters.kml").write_text(kml, encoding="utf-8")
    expect("shelters.kml", "shelters", 15, 14, {shelter_bad_at: "not_a_number"}, encoding="utf-8",
           crs="EPSG:4326 (KML)", note="fields as <SchemaData>/<SimpleData>: GDAL's LIBKML driver turns the "
           "Chinese names of untyped <Data name=...> elements into underscores (编码, 面积, 类型 all become '______')")

    # ---------------------------------------------------------------- rescue_teams.xlsx (WGS84, two sheets)
    pro = [("峨边县消防救援大队", "消防救援", 45, 0), ("峨边县人民医院医疗救护队", "医疗救护", 20, 0),
           ("国网峨边供电公司电力抢修队", "电力抢修", 25, 0), ("峨边县森林消防专业扑火队", "森林消防", 30, 0),
           ("黑竹沟镇山地救援队", "山地救援", 18, 5), ("峨边县民兵应急连", "民兵应急", 60, 0),
           ("峨边县中医医院医疗救护队", "医疗救护", 12, 0), ("大堡镇森林消防半专业队", "森林消防", 20, 1)]
    soc = [("峨边蓝天救援队", "山地救援", 24, 0), ("峨边红十字志愿救护队", "医疗救护", 15, 0),
           ("沙坪镇志愿消防队", "消防救援", 12, 0), ("黑竹沟户外救援志愿队", "山地救援", "十二", 5),
           ("毛坪镇电力志愿服务队", "电力抢修", 10, 2)]
    header_r = ["队伍名称", "队伍编码", "队伍类型", "人数", "负责人", "联系电话", "驻地经度", "驻地纬度"]
    sheets_r, n = {}, 0
    for sheet, teams in (("专业队伍", pro), ("社会力量", soc)):
        rows = []
        for tname_, kind, size, t in teams:
            n += 1
            p, _ = geo.point("team", t, near=geo.seats[t], radius=2000, spacing=300)
            lon, lat = lonlat(p)
            rows.append([tname_, f"JY{ADCODE}{n:03d}", kind, size, names.person(), names.mobile(),
                         round(lon, 6), round(lat, 6)])
        sheets_r[sheet] = (header_r, rows)
    write_xlsx(out / "rescue_teams.xlsx", sheets_r, widths={"队伍名称": 28})
    expect("rescue_teams.xlsx#专业队伍", "rescue_teams", len(pro), len(pro), sheet="专业队伍",
           others={"specialty": ["民兵应急"]}, other_rows={"6": "队伍类型 = 民兵应急"}, crs="EPSG:4326")
    expect("rescue_teams.xlsx#社会力量", "rescue_teams", len(soc), len(soc) - 1, {4: "not_a_number"},
           sheet="社会力量", crs="EPSG:4326", note="人数 = '十二' (a number in words)")

    # ---------------------------------------------------------------- reservoirs.csv (UTF-8 with BOM, WGS84)
    res_specs = [("鹰嘴河水库", "中型", 1250.0, 2), ("杨河水库", "小(1)型", 386.0, 1),
                 ("龙池水库", "小(1)型", 142.5, 4), ("桃园水库", "小(2)型", 58.0, 6),
                 ("清水沟水库", "小(2)型", 32.6, 7), ("勒乌水库", "小(2)型", 21.4, 5)]
    res_rows, res_codes, res_pts = [], [], []
    for i, (rname, scale, cap, t) in enumerate(res_specs, start=1):
        p, c = geo.point("reservoir", t, spacing=1500)
        lon, lat = lonlat(p)
        normal = round(float(rng.uniform(720, 1350)), 2)
        limit = "" if i in (3, 5) else f"{normal - rng.uniform(1.5, 4.0):.2f}"
        design = normal + rng.uniform(1.0, 3.0)
        check = design + rng.uniform(0.3, 1.2)
        code = f"SK{ADCODE}{i:04d}"
        res_codes.append(code)
        res_pts.append((p, t, c))
        res_rows.append([rname, code, scale, f"{cap:.1f}", limit, f"{normal:.2f}", f"{design:.2f}", f"{check:.2f}",
                         f6(lon), f6(lat), tnames[t]])
    header_res = ["水库名称", "水库编码", "规模", "总库容(万m³)", "汛限水位", "正常蓄水位", "设计洪水位",
                  "校核洪水位", "经度", "纬度", "所属乡镇"]
    write_csv(out / "reservoirs.csv", header_res, res_rows, encoding="utf-8-sig", crlf=True)
    expect("reservoirs.csv", "reservoirs", 6, 6, encoding="utf-8-sig", crs="EPSG:4326",
           missing_flood_limit=[res_codes[2], res_codes[4]],
           note="rows 3 and 5 have no 汛限水位: stored; the county check reports them")

    # ---------------------------------------------------------------- geo_hazard_points.geojson (EPSG:4490)
    kinds = ["滑坡", "泥石流", "崩塌"]
    haz_features, haz_codes, haz_rows = [], [], []
    line_at, other_at = 14, 8
    for i in range(1, 21):
        t = int(rng.integers(1, len(TOWNSHIPS))) if i > 2 else 0
        vill = VILLAGES[tnames[t]]
        vname = vill[rng.integers(len(vill))]
        kind = "不稳定斜坡" if i == other_at else kinds[int(rng.integers(3))]
        code = f"{ADCODE}01{i:04d}"
        props = {"隐患点名称": f"{tnames[t]}{vname}{kind}", "隐患点编号": code, "灾害类型": kind,
                 "威胁人数": int(rng.integers(5, 260)), "所属乡镇": tnames[t]}
        vp, _, vc = village_pts[vname]
        p, _ = geo.point("hazard", t, c=vc, near=vp, radius=2000, spacing=400)
        if i == line_at:
            q = Point(p.x + 180, p.y - 120)
            geom = {"type": "LineString", "coordinates": rounded([lonlat(p), lonlat(q)])}
        else:
            geom = {"type": "Point", "coordinates": rounded(lonlat(p))}
            haz_codes.append(code)
            haz_rows.append((props, p, t))
        haz_features.append({"type": "Feature", "properties": props, "geometry": geom})
    (out / "geo_hazard_points.geojson").write_text(
        feature_collection("geo_hazard_points", haz_features, crs="urn:ogc:def:crs:EPSG::4490"), encoding="utf-8")
    expect("geo_hazard_points.geojson", "geo_hazard_points", 20, 19, {line_at: "wrong_geometry_type"},
           others={"kind": ["不稳定斜坡"]}, other_rows={str(other_at): "灾害类型 = 不稳定斜坡"},
           encoding="utf-8", crs="EPSG:4490 (crs member urn:ogc:def:crs:EPSG::4490)")

    # ---------------------------------------------------------------- roads.geojson (WGS84)
    s = geo.seats
    x0, y0, x1, y1 = geo.county.bounds
    vp = {k: v[0] for k, v in village_pts.items()}
    road_specs = [
        ("G245", "国道", "G245线峨边段",
         [Point(s[0].x - 4000, y1 + 2000), s[3], s[0], s[6], Point(s[6].x + 2000, y0 - 2000)]),
        ("S306", "省道", "S306线峨边段",
         [Point(x0 - 2000, s[5].y - 3000), s[5], s[0], s[4], Point(x1 + 2000, s[4].y + 2000)]),
        ("X071", "县道", "沙坪至大堡公路", [s[0], s[1]]),
        ("X072", "县道", "沙坪至毛坪公路", [s[0], s[2]]),
        ("X073", "县道", "沙坪至宜坪公路", [s[0], s[7]]),
        ("X074", "县道", "五渡至毛坪公路", [s[3], s[2]]),
        ("X075", "县道", "大堡至红花公路", [s[1], s[6]]),
        ("X076", "县道", "新林至宜坪公路", [s[4], s[7]]),
        (f"Y001{ADCODE}", "乡道", "大堡至松林公路", [s[1], vp["松林村"]]),
        (f"Y002{ADCODE}", "乡道", "黑竹沟至勒乌公路", [s[5], vp["勒乌村"]]),
        (f"Y003{ADCODE}", "乡道", "毛坪至鹰嘴公路", [s[2], vp["鹰嘴村"]]),
        (f"Y004{ADCODE}", "乡道", "红花至鹿鸣公路", [s[6], vp["鹿鸣村"]]),
        (f"C001{ADCODE}", "村道", "茶坊村通村路", [vp["茶坊村"], vp["共和村"]]),
        (f"C002{ADCODE}", "村道", "双河村通村路", [vp["双河村"], vp["回龙村"]]),
        (f"C003{ADCODE}", "村道", "羊坪村通村路", [vp["羊坪村"], vp["清水村"]]),
    ]
    road_features = []
    for code, grade, rname, pts in road_specs:
        line = geo.line(pts, wiggle=500 if grade in ("国道", "省道") else 300)
        assert line.geom_type == "LineString" and line.length > 1000, code
        road_features.append({"type": "Feature", "properties": {"道路名称": rname, "道路编码": code, "道路等级": grade},
                              "geometry": {"type": "LineString", "coordinates": rounded(to_geo(line).coords)}})
    (out / "roads.geojson").write_text(feature_collection("roads", road_features), encoding="utf-8")
    expect("roads.geojson", "roads", len(road_features), len(road_features), encoding="utf-8", crs="EPSG:4326")

    # ---------------------------------------------------------------- linkage_units.xlsx
    depts = [("峨边县应急管理局", 1), ("峨边县公安局", 1), ("峨边县消防救援大队", 1), ("峨边县卫生健康局", 1),
             ("峨边县水务局", 1), ("峨边县自然资源局", 1), ("峨边县交通运输局", 2), ("峨边县住房和城乡建设局", 2),
             ("峨边县市场监督管理局", 2), ("国网峨边供电公司", 2), ("峨边县民政局", 3), ("峨边县财政局", 3)]
    words = {1: "一级", 2: "二级", 3: "三级"}
    link_rows = []
    for i, (uname, level) in enumerate(depts):
        link_rows.append([uname, f"LD{ADCODE}{len(link_rows) + 1:03d}", words[level] if i % 3 else level, "部门", None,
                          names.landline()])
    for i, tname in enumerate(tnames):
        gov = f"{tname}人民政府"
        link_rows.append([gov, f"LD{ADCODE}{len(link_rows) + 1:03d}", "一级" if i % 2 else 1, "乡镇", tname,
                          names.landline()])
    write_xlsx(out / "linkage_units.xlsx", {"联动单位": (["单位名称", "单位编码", "联动等级", "单位类型", "所属乡镇",
                                                         "联系电话"], link_rows)}, widths={"单位名称": 26})
    expect("linkage_units.xlsx", "linkage_units", len(link_rows), len(link_rows), crs="none (no geometry)",
           note="联动等级 mixes words (一级/二级/三级) and numbers (1/2/3)")

    # ---------------------------------------------------------------- grid_members.csv
    member_rows, gm_bad_at = [], 19
    cells_for = cell_codes + [cell_codes[int(i)] for i in rng.choice(len(cell_codes), 5, replace=False)]
    for k, cell in enumerate(cells_for):
        member_rows.append([names.person(), f"WGY{ADCODE}{k + 1:03d}", cell, names.mobile(),
                            "专职" if k < len(cell_codes) else "兼职"])
    member_rows.insert(gm_bad_at - 1, [names.person(), f"WGY{ADCODE}{len(cells_for) + 1:03d}", f"{ADCODE}108-01",
                                       names.mobile(), "兼职"])
    write_csv(out / "grid_members.csv", ["姓名", "人员编码", "所属网格", "手机", "类型"], member_rows)
    expect("grid_members.csv", "grid_members", len(member_rows), len(member_rows) - 1,
           {gm_bad_at: "unknown_grid_cell"}, encoding="utf-8", crs="none (no geometry)",
           note=f"row {gm_bad_at}: 所属网格 {ADCODE}108-01 is no grid cell (no township 511132108)")

    # ---------------------------------------------------------------- sensors.csv (WGS84)
    sensor_rows = []
    for i, (p0, t, c) in enumerate(res_pts):
        p, _ = geo.point("sensor", t, c=c, near=p0, radius=400, spacing=150)
        sensor_rows.append([f"{res_specs[i][0]}水位站", f"SW{ADCODE}{i + 1:03d}", "水位站", *lonlat(p), res_codes[i]])
    for i, t in enumerate([0, 1, 2, 3, 5, 6]):
        p, _ = geo.point("sensor", t, spacing=1500)
        sensor_rows.append([f"{tnames[t]}雨量站", f"YL{ADCODE}{i + 1:03d}", "雨量站", *lonlat(p), ""])
    for i, (props, p0, t) in enumerate(haz_rows[:5]):
        c = int(np.argmax([cell.contains(p0) for cell in geo.cells[t]]))
        p, _ = geo.point("sensor", t, c=c, near=p0, radius=300, spacing=150)
        sensor_rows.append([f"{props['隐患点名称']}监测仪", f"DZ{ADCODE}{i + 1:03d}", "地灾监测", *lonlat(p), ""])
    for i, t in enumerate([5, 1, 6]):
        p, _ = geo.point("sensor", t, spacing=1500)
        sensor_rows.append([f"{tnames[t]}林区烟火识别点", f"YH{ADCODE}{i + 1:03d}", "烟火识别", *lonlat(p), ""])
    sensor_rows = [r[:3] + [f6(r[3]), f6(r[4])] + r[5:] for r in sensor_rows]
    write_csv(out / "sensors.csv", ["设备名称", "设备编码", "设备类型", "经度", "纬度", "所属水库"], sensor_rows)
    expect("sensors.csv", "sensors", len(sensor_rows), len(sensor_rows), encoding="utf-8", crs="EPSG:4326",
           note="the 6 水位站 name their reservoir's code in 所属水库; the others leave it empty")

    # ---------------------------------------------------------------- warehouses.csv, stock.xlsx
    wh_specs = [("峨边县应急物资储备库", 0), ("大堡镇应急物资储备点", 1), ("黑竹沟镇应急物资储备点", 5),
                ("宜坪乡应急物资储备点", 7)]
    wh_rows = []
    for i, (wname, t) in enumerate(wh_specs, start=1):
        p, _ = geo.point("warehouse", t, near=geo.seats[t], radius=2000)
        wh_rows.append([wname, f"CK{ADCODE}{i:03d}", tnames[t], names.person(), names.mobile(),
                        *(f6(v) for v in lonlat(p))])
    write_csv(out / "warehouses.csv", ["仓库名称", "仓库编码", "所属乡镇", "负责人", "联系电话", "经度", "纬度"],
              wh_rows)
    expect("warehouses.csv", "warehouses", 4, 4, encoding="utf-8", crs="EPSG:4326")
    items = [("WZ001", "帐篷", "物资", "顶"), ("WZ002", "棉被", "物资", "床"), ("WZ003", "折叠床", "物资", "张"),
             ("WZ004", "救生衣", "装备", "件"), ("WZ005", "冲锋舟", "装备", "艘"), ("WZ006", "发电机", "装备", "台"),
             ("WZ007", "应急照明灯", "装备", "台"), ("WZ008", "油锯", "装备", "台"),
             ("WZ009", "风力灭火机", "装备", "台"), ("WZ010", "编织袋", "物资", "条"),
             ("WZ011", "矿泉水", "物资", "箱"), ("WZ012", "方便食品", "物资", "箱")]
    stock_rows = []
    for w in range(len(wh_rows)):
        chosen = range(12) if w == 0 else sorted(int(i) for i in rng.choice(12, 6, replace=False))
        for i in chosen:
            code, iname, cat, unit = items[i]
            big = unit in ("条", "箱", "床")
            qty = int(rng.integers(50, 2000)) if big else int(rng.integers(2, 120))
            stock_rows.append([wh_rows[w][1], code, iname, cat, qty, unit])
    write_xlsx(out / "stock.xlsx", {"库存": (["仓库编码", "物资编码", "物资名称", "类别", "数量", "单位"], stock_rows)})
    expect("stock.xlsx", "stock", len(stock_rows), len(stock_rows), crs="none (no geometry)",
           note="物资编码 is a catalogue code: the same item (WZ001 ...) is stocked in several warehouses, so a stock "
                "row is identified by (仓库编码, 物资编码), not by 物资编码 alone")

    # ---------------------------------------------------------------- responsible_persons.xlsx
    rp_rows = []

    def person_row(duty, post, tname, village, target):
        rp_rows.append([names.person(), f"ZR{ADCODE}{len(rp_rows) + 1:03d}", duty, post, tname, village, target,
                        names.mobile()])

    for tname, kind, _ in TOWNSHIPS:
        person_row("乡镇长", f"{tname}{kind}长", tname, None, None)
    for (rname, *_r, t), code in zip(res_specs, res_codes):
        person_row("水库责任人", f"{rname}行政责任人", tnames[t], None, code)
    for props, _, t in haz_rows[:8]:
        person_row("隐患点责任人", f"{props['隐患点名称']}监测责任人", tnames[t], None, props["隐患点编号"])
    for vname, tname in [("茶坊村", "沙坪镇"), ("杨河村", "大堡镇"), ("勒乌村", "黑竹沟镇"), ("底底村", "红花乡"),
                         ("坪头村", "宜坪乡")]:
        person_row("村干部", f"{vname}党支部书记", tname, vname, None)
    for vname, tname in [("大堡村", "大堡镇"), ("双河村", "五渡镇"), ("罗回村", "黑竹沟镇")]:
        person_row("哨点信息员", f"{tname}{vname}哨点", tname, vname, None)
    write_xlsx(out / "responsible_persons.xlsx", {"责任人": (["姓名", "人员编码", "职务", "岗位", "所属乡镇", "所属村",
                                                             "责任对象编码", "联系电话"], rp_rows)},
               widths={"岗位": 32, "责任对象编码": 16})
    expect("responsible_persons.xlsx", "responsible_persons", len(rp_rows), len(rp_rows), crs="none (no geometry)")

    # ---------------------------------------------------------------- roster.xlsx (2026-12-01 .. 2027-11-30)
    units_leader = ["峨边县人民政府", "峨边县应急管理局", "峨边县人民政府办公室", "峨边县公安局", "峨边县水务局",
                    "峨边县自然资源局", "峨边县卫生健康局"]
    leaders = [(names.person(), u, names.mobile()) for u in units_leader]
    chiefs = [(names.person(), "峨边县应急管理局", names.mobile()) for _ in range(10)]
    officer_units = ["峨边县应急管理局", "峨边县人民政府办公室", "峨边县公安局", "峨边县消防救援大队", "峨边县水务局"]
    officers = [(names.person(), officer_units[i % 5], names.mobile()) for i in range(20)]
    roster_rows, day = [], date(2026, 12, 1)
    while day <= date(2027, 11, 30):
        d = (day - date(2026, 12, 1)).days
        for seat, pool in (("带班领导", leaders), ("值班长", chiefs), ("值班员", officers)):
            who = pool[d % len(pool)]
            roster_rows.append([day, seat, *who])
        day += timedelta(days=1)
    write_xlsx(out / "roster.xlsx", {"值班表": (["日期", "席位", "姓名", "单位", "联系电话"], roster_rows)},
               widths={"日期": 12, "单位": 24})
    expect("roster.xlsx", "roster", len(roster_rows), len(roster_rows), crs="none (no geometry)",
           note="365 days x 3 seats; 日期 are Excel date cells")

    order = ["boundary.geojson", "townships.zip", "grid_cells.gpkg", "villages.csv", "cameras.xlsx#监控点位",
             "shelters.kml", "rescue_teams.xlsx#专业队伍", "rescue_teams.xlsx#社会力量", "reservoirs.csv",
             "geo_hazard_points.geojson", "roads.geojson", "linkage_units.xlsx", "grid_members.csv", "sensors.csv",
             "warehouses.csv", "stock.xlsx", "responsible_persons.xlsx", "roster.xlsx", "villages_changed.csv",
             "villages_noheader_crs.csv"]
    assert sorted(order) == sorted(expected)
    expected = {k: expected[k] for k in order}
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {"expected": expected}


# ------------------------------------------------------------------ README
README_HEAD = f"""# Second county pack: {COUNTY} ({COUNTY_EN}), adcode {ADCODE}

Synthetic test data, written by `python tests/packs/make_ebian.py` (deterministic, seed {SEED}); do not edit by hand.
The county is real (Leshan, Sichuan; seat 沙坪镇 near {SEAT[0]} E, {SEAT[1]} N); **every geometry, name, code, phone
number and figure is invented** (no real boundaries offline). The county polygon is about 45 km x 50 km around the
seat; 8 townships (codes {ADCODE}100 .. {ADCODE}107) tile it exactly and 24 grid cells (3 per township, codes like
{ADCODE}100-01) tile the townships exactly (shared vertices). Every point, except the rows marked bad, lies inside its
township and grid cell at least 300 m from their borders (in WGS84; GCJ-02/BD-09 converted back).

Every file differs from the demo's (Qingyuan) formats and coordinate systems. `expected.json` gives, per file (or
`file#sheet` for a workbook loaded one sheet per call), what a loader should report: `layer`, `crs_arg` (the `--crs`
to pass; null = the file states it or it is WGS84), `sheet` (the `--sheet` to pass; null = the only sheet), `rows_in`,
`stored`, `quarantined`, `reasons` (reason -> count), `others` (layer field of data/county/layers.py -> raw values
stored as `other`; `other_rows` names the row and source column), `bad_rows` (1-based data row, header not counted,
or feature number -> reason), plus notes. `command` is `init` for the boundary (`python -m data.county init
--boundary`), `load` for the rest (`python -m data.county load --layer LAYER [--crs crs_arg] [--sheet sheet]`).
Counts assume a first load into a county just initialised with boundary.geojson, in the order townships,
grid_cells, villages, then the rest.

Reason names used: `invalid_geometry`, `unknown_township`, `duplicate_code`, `missing_field`, `outside_county`,
`not_a_number`, `wrong_geometry_type`, `unknown_grid_cell`.

| file | layer | format | CRS | encoding | rows | stored | bad rows (row -> reason) |
|---|---|---|---|---|---:|---:|---|
"""

FORMATS = {
    "boundary.geojson": "GeoJSON, 1 Polygon; properties name, code",
    "townships.zip": "zipped ESRI Shapefile (.shp .shx .dbf .prj .cpg); 名称, 代码 (9 digits), 类型 (镇/乡)",
    "grid_cells.gpkg": "GeoPackage, layer grid_cells; 网格名称, 网格编码, 所属乡镇 (name), 人口 (int)",
    "villages.csv": "CSV (CRLF); 村名称, 村代码 (12 digits), 所属乡镇, 经度, 纬度, 人口",
    "cameras.xlsx#监控点位": "Excel, sheets 监控点位 + 说明 (a note); 设备名称, 设备编码 (GB/T 28181, "
                          "20 digits), 类型, 所属乡镇, 经度, 纬度, 调阅地址",
    "shelters.kml": "KML Placemarks (points), <name> + SchemaData 编码, 容纳人数, 面积, 类型 (室内/室外), 所属乡镇",
    "rescue_teams.xlsx#专业队伍": "Excel, sheets 专业队伍 + 社会力量; 队伍名称, 队伍编码, 队伍类型, 人数, "
                             "负责人, 联系电话, 驻地经度, 驻地纬度",
    "rescue_teams.xlsx#社会力量": "(second sheet of the same workbook)",
    "reservoirs.csv": "CSV with BOM (CRLF); 水库名称, 水库编码, 规模, 总库容(万m³), 汛限水位, 正常蓄水位, 设计洪水位, "
                      "校核洪水位, 经度, 纬度, 所属乡镇",
    "geo_hazard_points.geojson": "GeoJSON with a crs member; 隐患点名称, 隐患点编号, 灾害类型, 威胁人数, 所属乡镇",
    "roads.geojson": "GeoJSON LineStrings; 道路名称, 道路编码, 道路等级 (国道/省道/县道/乡道/村道)",
    "linkage_units.xlsx": "Excel, sheet 联动单位; 单位名称, 单位编码, 联动等级, 单位类型 (部门/乡镇), 所属乡镇, "
                          "联系电话",
    "grid_members.csv": "CSV; 姓名, 人员编码, 所属网格 (grid cell code), 手机, 类型 (专职/兼职)",
    "sensors.csv": "CSV; 设备名称, 设备编码, 设备类型 (雨量站/水位站/地灾监测/烟火识别), 经度, 纬度, 所属水库",
    "warehouses.csv": "CSV; 仓库名称, 仓库编码, 所属乡镇, 负责人, 联系电话, 经度, 纬度",
    "stock.xlsx": "Excel, sheet 库存; 仓库编码, 物资编码, 物资名称, 类别 (物资/装备), 数量, 单位",
    "responsible_persons.xlsx": "Excel, sheet 责任人; 姓名, 人员编码, 职务, 岗位, 所属乡镇, 所属村, "
                                "责任对象编码, 联系电话",
    "roster.xlsx": "Excel, sheet 值班表; 日期 (date cells), 席位 (带班领导/值班长/值班员), 姓名, 单位, 联系电话",
    "villages_changed.csv": "as villages.csv",
    "villages_noheader_crs.csv": "CSV; 村名称, 村代码, 所属乡镇, X, Y, 人口",
}


def write_readme(out: Path, expected: dict) -> None:
    lines = [README_HEAD]
    for key, e in expected.items():
        bad = ", ".join(f"{r} -> {why}" for r, why in e["bad_rows"].items())
        extra = []
        extra += [f"row {row}: {what} -> stored as other" for row, what in e.get("other_rows", {}).items()]
        if "swapped_rows" in e:
            extra += [f"row {r}: 经度/纬度 swapped -> swapped back, stored" for r in e["swapped_rows"]]
        if "missing_flood_limit" in e:
            extra.append("rows 3, 5: 汛限水位 empty -> stored (the check reports them)")
        if "updated" in e:
            extra.append(f"reload after villages.csv: updated {e['updated']}, stored {e['stored']} (new), "
                         f"unchanged {e['unchanged']}")
        if e.get("refused_without_crs"):
            extra.append("refused without --crs; with --crs EPSG:4543 after villages.csv: 5 unchanged")
        cell = "; ".join(x for x in [bad, *extra] if x) or "none"
        enc = e.get("encoding", "xlsx" if ".xlsx" in key else "")
        stored = e["stored"] if not e.get("refused_without_crs") else "refused"
        layer = e["layer"] or "(init)"
        lines.append(f"| {key} | {layer} | {FORMATS[key]} | {e.get('crs', '')} | {enc} | {e['rows_in']} | "
                     f"{stored} | {cell} |\n")
    lines.append("""
Notes
- `crs_arg`: villages*.csv `gcj02`, cameras `bd09`; the Shapefile (.prj), GeoPackage and geo_hazard_points
  (crs member) state theirs; the rest is WGS84. villages_noheader_crs.csv is EPSG:4543 metres without saying so
  (X = easting, Y = northing, as data/coords.py reads projected x/y): a loader must refuse it without `--crs`.
- Codes: townships 9 digits, villages 12 (township code + 001.. for 社区, 200.. for 村), grid cells
  `<township code>-NN`, cameras GB/T 28181 20 digits (`51113200` + `00` + `132` + `0` + serial).
- Value tables: 枪机/球机/AI智能, 室内/室外, 消防救援/医疗救护/电力抢修/森林消防/山地救援, 滑坡/泥石流/崩塌,
  雨量站/水位站/地灾监测/烟火识别, 专职/兼职, 部门/乡镇, 一级/二级/三级 or 1/2/3; the values listed under
  `others` (热成像, 民兵应急, 不稳定斜坡) are the only ones outside them.
- shelters.kml carries its fields as `<SchemaData>/<SimpleData>` under a `<Schema>`: with untyped
  `<Data name="编码">` elements GDAL's LIBKML driver (pyogrio) launders the Chinese names to underscores and the
  2-character names collide (编码, 面积, 类型 all become `______`), losing columns.
- stock.xlsx: 物资编码 is a catalogue code shared by the warehouses (WZ001 帐篷 in CK511132001 and CK511132003 ...):
  a stock row is (仓库编码, 物资编码); all 30 rows are distinct and valid.
- villages_changed.csv is villages.csv without its 3 quarantined rows (row 37 still swapped), with 石板村 renamed
  石板沟村 (人口 +112), 上坪村 人口 -86 and one new village 新华村 (宜坪乡).
""")
    (out / "README.md").write_text("".join(lines), encoding="utf-8")


# ------------------------------------------------------------------ reading it all back
def verify(out: Path, expected: dict) -> None:
    """Every file read back as a loader would; counts, CRS, tiling and point placement checked."""
    assert CRS.from_epsg(4543).name == "CGCS2000 / 3-degree Gauss-Kruger CM 102E"
    assert CRS.from_epsg(4543).axis_info[0].unit_name == "metre"

    def show(name, n, crs):
        print(f"{name:<28} {n:>5} rows  {crs}")
        assert n == expected[name]["rows_in"], (name, n)

    b = gpd.read_file(out / "boundary.geojson", engine="pyogrio")
    show("boundary.geojson", len(b), b.crs.to_string())
    assert b.crs.to_epsg() == 4326 and b.geometry[0].geom_type == "Polygon" and b["code"][0] == ADCODE

    t = gpd.read_file(out / "townships.zip", engine="pyogrio")
    show("townships.zip", len(t), t.crs.name)
    assert t.crs.equals(CRS.from_epsg(4543)) and list(t.columns[:3]) == ["名称", "代码", "类型"]
    with zipfile.ZipFile(out / "townships.zip") as z:
        assert sorted(z.namelist()) == sorted(f"townships.{e}" for e in ("cpg", "dbf", "prj", "shp", "shx"))
        assert z.read("townships.cpg").decode().strip() == "UTF-8"
    t_wgs = t.to_crs(4326)
    shapes_m = dict(zip(t["名称"], t.geometry))
    shapes = dict(zip(t_wgs["名称"], t_wgs.geometry))

    g = gpd.read_file(out / "grid_cells.gpkg", layer="grid_cells", engine="pyogrio")
    show("grid_cells.gpkg", len(g), g.crs.to_string())
    assert pyogrio.list_layers(out / "grid_cells.gpkg")[0][0] == "grid_cells" and g.crs.to_epsg() == 4490
    assert g["人口"].dtype.kind == "i"
    good = g[g.geometry.is_valid & g["所属乡镇"].isin(list(shapes)) & ~g["网格编码"].duplicated()]
    assert len(good) == 24 and set(g.index) - set(good.index) == {8, 16, 26}
    # tiling: cells cover their township exactly (WGS84), townships the boundary
    assert shapely.coverage_is_valid(np.array(good.geometry)) and shapely.coverage_is_valid(np.array(t_wgs.geometry))
    for name, poly in shapes.items():
        cells = good[good["所属乡镇"] == name].geometry
        assert len(cells) == 3 and all(poly.buffer(1e-9).contains(c) for c in cells)
        assert abs(shapely.union_all(np.array(cells)).symmetric_difference(poly).area) < 1e-12 * poly.area + 1e-14
    cells_m = {n: list(good[good["所属乡镇"] == n].to_crs(METRIC).geometry) for n in shapes}
    county = b.geometry[0]
    assert county.symmetric_difference(shapely.union_all(np.array(t_wgs.geometry))).area < 1e-12
    ext = gpd.GeoSeries([county], crs=4326).to_crs(METRIC).total_bounds
    print(f"{'':<28} county {(ext[2] - ext[0]) / 1000:.1f} km x {(ext[3] - ext[1]) / 1000:.1f} km, "
          f"township areas {', '.join(f'{a / 1e6:.0f}' for a in t.geometry.area)} km²")

    def check_points(name, tnames, lons, lats, system="wgs84"):
        """Each point in its named township, >= 200 m from its and its grid cell's border (in WGS84 first)."""
        worst = worst_cell = np.inf
        for tn, x, y in zip(tnames, lons, lats):
            x, y = float(x), float(y)
            if system == "gcj02":
                c = prcoords.gcj_wgs_bored(prcoords.Coords(y, x), True)
                x, y = c.lon, c.lat
            elif system == "bd09":
                c = prcoords.bd_wgs_bored(prcoords.Coords(y, x), True)
                x, y = c.lon, c.lat
            assert shapes[tn].contains(Point(x, y)), (name, tn, x, y)
            pm = Point(_TO_M.transform(x, y))
            worst = min(worst, shapes_m[tn].exterior.distance(pm))
            cells = [cell for cell in cells_m[tn] if cell.contains(pm)]
            assert len(cells) == 1, (name, x, y)
            worst_cell = min(worst_cell, cells[0].exterior.distance(pm))
        assert worst >= 200 and worst_cell >= 200, (name, worst, worst_cell)
        print(f"{'':<28} {len(lons)} points inside their township, >= {worst:.0f} m from its border, "
              f">= {worst_cell:.0f} m from their grid cell's")

    v = pd.read_csv(out / "villages.csv", encoding="gb18030", dtype=str, keep_default_na=False)
    show("villages.csv", len(v), "GCJ-02 (gb18030)")
    ok = v.drop(index=[11, 28, 43]).copy()
    sw = ok.index == 36
    ok.loc[sw, ["经度", "纬度"]] = ok.loc[sw, ["纬度", "经度"]].values
    check_points("villages.csv", ok["所属乡镇"], ok["经度"], ok["纬度"], "gcj02")
    assert v.loc[11, "村名称"] == "" and v.loc[43, "经度"] == "abc" and float(v.loc[28, "经度"]) > 104
    assert v["村代码"].str.len().eq(12).all() and not v["村代码"].duplicated().any()

    vc = pd.read_csv(out / "villages_changed.csv", encoding="gb18030", dtype=str)
    show("villages_changed.csv", len(vc), "GCJ-02 (gb18030)")
    merged = vc.merge(v.drop(index=[11, 28, 43]), on="村代码", how="left", suffixes=("", "_old"), indicator=True)
    assert (merged["_merge"] == "left_only").sum() == 1
    both = merged[merged["_merge"] == "both"]
    diff = ((both["村名称"] != both["村名称_old"]) | (both["人口"] != both["人口_old"])
            | (both["经度"] != both["经度_old"]))
    assert diff.sum() == 2
    new = vc[~vc["村代码"].isin(ok["村代码"])]
    check_points("villages_changed.csv", new["所属乡镇"], new["经度"], new["纬度"], "gcj02")

    m = pd.read_csv(out / "villages_noheader_crs.csv", dtype=str)
    show("villages_noheader_crs.csv", len(m), "EPSG:4543 metres, unstated")
    lon, lat = _TO_GEO.transform(m["X"].astype(float).values, m["Y"].astype(float).values)
    check_points("villages_noheader_crs.csv", m["所属乡镇"], lon, lat)

    xl = pd.ExcelFile(out / "cameras.xlsx", engine="openpyxl")
    assert xl.sheet_names == ["监控点位", "说明"]
    c = pd.read_excel(xl, sheet_name="监控点位", dtype={"设备编码": str})
    show("cameras.xlsx#监控点位", len(c), "BD-09")
    assert c["设备编码"].str.len().eq(20).all() and c["设备编码"].duplicated().sum() == 1
    assert c["设备编码"][60] == c["设备编码"][16] and c["类型"][22] == "热成像"
    check_points("cameras.xlsx", c["所属乡镇"], c["经度"], c["纬度"], "bd09")

    s = pyogrio.read_dataframe(out / "shelters.kml")
    show("shelters.kml", len(s), s.crs.to_string())
    assert {"Name", "编码", "容纳人数", "面积", "类型", "所属乡镇"} <= set(s.columns), list(s.columns)
    assert s["容纳人数"][8] == "约200人" and pd.to_numeric(s["容纳人数"], errors="coerce").isna().sum() == 1
    check_points("shelters.kml", s["所属乡镇"], s.geometry.x, s.geometry.y)

    xl = pd.ExcelFile(out / "rescue_teams.xlsx", engine="openpyxl")
    assert xl.sheet_names == ["专业队伍", "社会力量"]
    for sheet in xl.sheet_names:
        r = pd.read_excel(xl, sheet_name=sheet)
        show(f"rescue_teams.xlsx#{sheet}", len(r), "EPSG:4326")
        check_points(sheet, [geo_township(shapes, x, y) for x, y in zip(r["驻地经度"], r["驻地纬度"])],
                     r["驻地经度"], r["驻地纬度"])

    assert (out / "reservoirs.csv").read_bytes().startswith("\ufeff水库名称".encode())
    r = pd.read_csv(out / "reservoirs.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    show("reservoirs.csv", len(r), "EPSG:4326 (utf-8-sig)")
    assert (r["汛限水位"] == "").sum() == 2
    check_points("reservoirs.csv", r["所属乡镇"], r["经度"], r["纬度"])

    h = pyogrio.read_dataframe(out / "geo_hazard_points.geojson")
    show("geo_hazard_points.geojson", len(h), h.crs.to_string())
    assert h.crs.to_epsg() == 4490 and list(h.geom_type).count("LineString") == 1
    hp = h[h.geom_type == "Point"]
    check_points("geo_hazard_points", hp["所属乡镇"], hp.geometry.x, hp.geometry.y)

    rd = pyogrio.read_dataframe(out / "roads.geojson")
    show("roads.geojson", len(rd), rd.crs.to_string())
    assert (rd.geom_type == "LineString").all() and rd.within(county).all()

    for name in ("linkage_units.xlsx", "stock.xlsx", "responsible_persons.xlsx", "roster.xlsx"):
        x = pd.read_excel(out / name, engine="openpyxl")
        show(name, len(x), "no geometry")
    roster = pd.read_excel(out / "roster.xlsx", engine="openpyxl")
    assert roster["日期"].min() == pd.Timestamp("2026-12-01") and roster["日期"].max() == pd.Timestamp("2027-11-30")
    assert roster.groupby("日期").size().eq(3).all()

    gm = pd.read_csv(out / "grid_members.csv", dtype=str)
    show("grid_members.csv", len(gm), "no geometry")
    assert (~gm["所属网格"].isin(good["网格编码"])).sum() == 1 and gm["手机"].str.match(r"^139\d{8}$").all()

    for name in ("sensors.csv", "warehouses.csv"):
        x = pd.read_csv(out / name, dtype=str, keep_default_na=False)
        show(name, len(x), "EPSG:4326")
        town = x["所属乡镇"] if "所属乡镇" in x else [geo_township(shapes, a, b) for a, b in zip(x["经度"], x["纬度"])]
        check_points(name, town, x["经度"], x["纬度"])
    sensors = pd.read_csv(out / "sensors.csv", dtype=str, keep_default_na=False)
    assert set(sensors["所属水库"]) - {""} <= set(r["水库编码"])
    stock = pd.read_excel(out / "stock.xlsx")
    assert set(stock["仓库编码"]) <= set(pd.read_csv(out / "warehouses.csv", dtype=str)["仓库编码"])
    rp = pd.read_excel(out / "responsible_persons.xlsx", dtype=str)
    targets = set(rp["责任对象编码"].dropna())
    assert targets <= set(r["水库编码"]) | set(hp["隐患点编号"]) and len(targets) == 14

    size = sum(p.stat().st_size for p in out.iterdir())
    print(f"{'':<28} {len(list(out.iterdir()))} files, {size / 1024:.0f} KiB")
    assert size < 1.5e6


def geo_township(shapes: dict, lon, lat) -> str:
    p = Point(float(lon), float(lat))
    return next(n for n, poly in shapes.items() if poly.contains(p))


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    built = build(OUT)
    write_readme(OUT, built["expected"])
    verify(OUT, built["expected"])


if __name__ == "__main__":
    main()
