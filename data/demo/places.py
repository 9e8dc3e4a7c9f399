"""The county's geography as the generator needs it (County: arrays and spatial lookups), placing points in
it, and writing townships, villages, grid cells and grid members."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import shapely

from data.clock import now
from data.demo import catalog as cat
from data.demo.common import county_table, load_layer, random_names, random_phones, update_by_code

KM_PER_DEG_LAT = 111.0
KM_PER_DEG_LON = 111.0 * np.cos(np.radians(27.64))


def distance_km(lon1, lat1, lon2, lat2):
    """Equirectangular distance: good to < 0.5 % across a county."""
    return np.hypot((np.asarray(lon1) - lon2) * KM_PER_DEG_LON, (np.asarray(lat1) - lat2) * KM_PER_DEG_LAT)


class County:
    """The generated geography plus the lookups the incident generator needs, as arrays."""

    def __init__(self, geo: dict):
        self.geo = geo
        self.seats: pd.DataFrame = geo["seats"]
        self.townships = geo["townships"]
        self.cells = geo["grid_cells"]
        self.villages: pd.DataFrame = geo["villages"]
        self.seat_by_name = self.seats.set_index("name")
        self.county_seat = (float(self.seat_by_name.loc[cat.COUNTY["seat"], "seat_lon"]),
                            float(self.seat_by_name.loc[cat.COUNTY["seat"], "seat_lat"]))
        self.cell_tree = shapely.STRtree(np.asarray(self.cells.geometry))
        self.cell_ids = self.cells["grid_cell_id"].to_numpy()
        self.cell_township = self.cells["township_id"].to_numpy()
        self.township_code = dict(zip(self.townships["township_id"], self.townships["code"]))
        self.township_geoms = dict(zip(self.townships["township_id"], self.townships.geometry))
        for geom in self.township_geoms.values():
            shapely.prepare(geom)
        v = self.villages
        self.v_lon, self.v_lat = v["lon"].to_numpy(), v["lat"].to_numpy()
        self.v_township = v["township_id"].to_numpy()
        self.v_cell = self.cell_of(self.v_lon, self.v_lat, self.v_township)
        self.v_remoteness = distance_km(self.v_lon, self.v_lat, *self.county_seat)
        rivers = shapely.union_all(np.asarray(geo["rivers"].geometry))
        self.v_river_km = np.asarray(shapely.distance(shapely.points(self.v_lon, self.v_lat), rivers)) * 100.0
        self.v_urban = np.isin(v["township_id"], self.seats.loc[self.seats["kind"] == "街道", "township_id"])

    def township_codes(self, township_ids) -> list[str]:
        """The townships' codes (what a county's file writes under 所属乡镇)."""
        return [self.township_code[int(t)] for t in township_ids]

    def cell_of(self, lon, lat, township_id) -> np.ndarray:
        """Grid cell containing each point (the one of its own township when a point sits on a border)."""
        points = shapely.points(lon, lat)
        hit_pt, hit_cell = self.cell_tree.query(points, predicate="intersects")
        out = np.full(len(points), -1, dtype=np.int64)
        ok = self.cell_township[hit_cell] == np.asarray(township_id)[hit_pt]
        out[hit_pt[ok]] = self.cell_ids[hit_cell[ok]]
        return out

    def inside_own_township(self, lon, lat, township_id) -> np.ndarray:
        inside = np.zeros(len(lon), dtype=bool)
        for tid in np.unique(township_id):
            sel = township_id == tid
            inside[sel] = shapely.contains_xy(self.township_geoms[int(tid)], lon[sel], lat[sel])
        return inside

    def scatter(self, rng, village_idx: np.ndarray, sigma_km: np.ndarray | float):
        """Points around villages, kept inside the village's township (else at the village itself)."""
        n = len(village_idx)
        sigma = np.broadcast_to(np.asarray(sigma_km, dtype=float), (n,))
        lon = self.v_lon[village_idx] + rng.normal(0, 1, n) * sigma / KM_PER_DEG_LON
        lat = self.v_lat[village_idx] + rng.normal(0, 1, n) * sigma / KM_PER_DEG_LAT
        tid = self.v_township[village_idx]
        cell = self.cell_of(lon, lat, tid)
        bad = (cell < 0) | ~self.inside_own_township(lon, lat, tid)
        lon[bad], lat[bad] = self.v_lon[village_idx[bad]], self.v_lat[village_idx[bad]]
        cell[bad] = self.v_cell[village_idx[bad]]
        return lon, lat, tid, cell


def near(county: County, rng, lon: float, lat: float, sigma_deg: float) -> tuple[float, float]:
    """A point jittered around (lon, lat) that stays in the same township (else the point itself)."""
    tid = township_of(county, np.array([lon]), np.array([lat]))[0]
    for _ in range(20):
        x, y = lon + rng.normal(0, sigma_deg), lat + rng.normal(0, sigma_deg)
        if shapely.contains_xy(county.township_geoms[int(tid)], x, y):
            return float(x), float(y)
    return float(lon), float(lat)


def township_of(county: County, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    out = np.zeros(len(lon), dtype=np.int64)
    for tid, geom in county.township_geoms.items():
        out[shapely.contains_xy(geom, lon, lat)] = tid
    missing = out == 0
    if missing.any():  # on a border: nearest seat
        d = distance_km(lon[missing, None], lat[missing, None], county.seats["seat_lon"].to_numpy()[None, :],
                        county.seats["seat_lat"].to_numpy()[None, :])
        out[missing] = county.seats["township_id"].to_numpy()[d.argmin(axis=1)]
    return out


def write_county(con, county: County) -> None:
    """The county row (code, names, seat, extent, boundary) and the rivers the base map draws."""
    outline = county.geo["county"]
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    con.execute("INSERT INTO county VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ST_GeomFromWKB(?), true, ?)",
                [cat.COUNTY["code"], cat.COUNTY["name_zh"], cat.COUNTY["name_en"], *county.county_seat,
                 min_lon, min_lat, max_lon, max_lat, shapely.to_wkb(outline), now()])
    rivers = county.geo["rivers"]
    names = rivers["name"] if "name" in rivers else pd.Series([""] * len(rivers))
    con.register("rv", pd.DataFrame({
        "river_id": np.arange(1, len(rivers) + 1), "code": [f"HL{i:03d}" for i in range(1, len(rivers) + 1)],
        "name": names.fillna("").to_numpy(), "wkb": shapely.to_wkb(np.asarray(rivers.geometry))}))
    con.execute("INSERT INTO rivers BY NAME SELECT river_id, code, name, ST_GeomFromWKB(wkb) AS geom FROM rv")
    con.unregister("rv")


def upgrade_county(con) -> None:
    """The county row and rivers of a demo database built before they were data (its townships tile the county)."""
    if con.execute("SELECT count(*) FROM county").fetchone()[0] or not con.execute(
            "SELECT count(*) FROM townships").fetchone()[0]:
        return
    from data import geography
    outline = shapely.from_wkb(bytes(con.execute("SELECT ST_AsWKB(ST_Union_Agg(geom)) FROM townships").fetchone()[0]))
    seat = con.execute("SELECT seat_lon, seat_lat FROM townships WHERE name = ?", [cat.COUNTY["seat"]]).fetchone()
    write_county(con, SimpleNamespace(geo={"county": outline, "rivers": geography.load_rivers()}, county_seat=seat))


def write_places(con, county: County, rng) -> None:
    """The county row, then townships, villages, grid cells and grid members through the county loader."""
    write_county(con, county)
    s = county.seats.copy()
    tw = county.townships.merge(s[["township_id", "kind", "pinyin", "population", "population_estimated",
                                   "seat_lon", "seat_lat", "seat_estimated"]], on="township_id")
    load_layer(con, "townships", county_table("townships", code=tw["code"], name=tw["name"], kind=tw["kind"],
                                              population=tw["population"]),
               geometry=np.asarray(tw.geometry), ids=tw["township_id"])
    # The loader seats a township at the representative point of its polygon; the demo knows the real seats.
    update_by_code(con, "townships", pd.DataFrame({
        "code": tw["code"], "pinyin": tw["pinyin"], "population_estimated": tw["population_estimated"],
        "seat_lon": tw["seat_lon"], "seat_lat": tw["seat_lat"], "seat_estimated": tw["seat_estimated"],
        "boundary_approx": True}), {"seat": "ST_Point(e.seat_lon, e.seat_lat)"})
    v = county.villages
    codes = village_codes(v["village_id"])
    load_layer(con, "villages", county_table(
        "villages", code=codes, name=v["name"], township=county.township_codes(v["township_id"]), kind=v["kind"],
        population=v["population"], lon=v["lon"], lat=v["lat"]), ids=v["village_id"])
    update_by_code(con, "villages", pd.DataFrame({"code": codes, "location_estimated": v["location_estimated"]}))
    cells = county.cells
    load_layer(con, "grid_cells", county_table(
        "grid_cells", code=cells["code"], name=cells["name"], township=county.township_codes(cells["township_id"]),
        population=cells["population"]), geometry=np.asarray(cells.geometry), ids=cells["grid_cell_id"])
    # 413 grid members for 389 cells: the most populous cells get a second member.
    n_cells = len(cells)
    extra = cells.sort_values("population", ascending=False)["grid_cell_id"].to_numpy()[: 413 - n_cells]
    member_cells = np.concatenate([cells["grid_cell_id"].to_numpy(), extra])
    cell_code = dict(zip(cells["grid_cell_id"], cells["code"]))
    n = len(member_cells)
    load_layer(con, "grid_members", county_table(
        "grid_members", code=[f"WGY{i:04d}" for i in range(1, n + 1)], name=random_names(rng, n),
        grid_cell=[cell_code[c] for c in member_cells], phone=random_phones(rng, n),
        role=np.where(np.arange(n) < n_cells, "full_time", "part_time")))


def village_codes(village_ids) -> list[str]:
    return [f"V{int(i):05d}" for i in village_ids]
