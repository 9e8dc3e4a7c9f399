"""Build the demo county database: python -m data.demo --out PATH [--scale S] [--seed N].

Deterministic for a given seed and "today". Incidents are generated month by month, in time order, and
appended chunk by chunk, so a 10 M build never holds more than one month in memory and the table ends up
sorted by received_at (zone maps then prune time windows)."""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import shapely

import settings
from data import db, geography
from data.ingest import pipeline, raster
from data.clock import now_cst
from data import demo_catalog as cat

KM_PER_DEG_LAT = 111.0
KM_PER_DEG_LON = 111.0 * np.cos(np.radians(27.64))
Progress = Callable[[float, str], None]


def distance_km(lon1, lat1, lon2, lat2):
    """Equirectangular distance: good to < 0.5 % across a county."""
    return np.hypot((np.asarray(lon1) - lon2) * KM_PER_DEG_LON, (np.asarray(lat1) - lat2) * KM_PER_DEG_LAT)


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    sur = rng.choice(cat.SURNAMES, n)
    given = rng.choice(cat.GIVEN, n)
    return np.char.add(sur.astype(str), given.astype(str))


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    prefix = rng.choice(["138", "139", "135", "136", "137", "158", "159", "150", "187", "188", "133", "189"], n)
    body = rng.integers(0, 10**8, n)
    return np.array([f"{p}{b:08d}" for p, b in zip(prefix, body)]) if n else np.array([], dtype=str)


def _insert(con, table: str, frame: pd.DataFrame, geom_sql: str = "ST_Point(lon, lat)") -> None:
    """Append a DataFrame, computing geom in DuckDB; columns are matched by name."""
    con.register("frame_to_insert", frame)
    cols = ", ".join(frame.columns)
    geom = f", {geom_sql} AS geom" if geom_sql else ""
    target_cols = cols + (", geom" if geom_sql else "")
    con.execute(f"INSERT INTO {table} ({target_cols}) SELECT {cols}{geom} FROM frame_to_insert")
    con.unregister("frame_to_insert")


# ------------------------------------------------------------------ places
class County:
    """The generated geography plus the lookups the incident generator needs, as arrays."""

    def __init__(self, geo: dict):
        self.geo = geo
        self.seats: pd.DataFrame = geo["seats"]
        self.townships = geo["townships"]
        self.cells = geo["grid_cells"]
        self.villages: pd.DataFrame = geo["villages"]
        self.seat_by_name = self.seats.set_index("name")
        self.county_seat = (float(self.seat_by_name.loc["松源街道", "seat_lon"]),
                            float(self.seat_by_name.loc["松源街道", "seat_lat"]))
        self.cell_tree = shapely.STRtree(np.asarray(self.cells.geometry))
        self.cell_ids = self.cells["grid_cell_id"].to_numpy()
        self.cell_township = self.cells["township_id"].to_numpy()
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


def write_places(con, county: County, rng) -> None:
    s = county.seats.copy()
    tw = county.townships.merge(s[["township_id", "kind", "pinyin", "population", "population_estimated",
                                   "seat_lon", "seat_lat", "seat_estimated"]], on="township_id")
    frame = pd.DataFrame({
        "township_id": tw["township_id"], "code": tw["code"], "name": tw["name"], "kind": tw["kind"],
        "pinyin": tw["pinyin"], "population": tw["population"], "population_estimated": tw["population_estimated"],
        "seat_lon": tw["seat_lon"], "seat_lat": tw["seat_lat"], "seat_estimated": tw["seat_estimated"],
        "boundary_approx": True, "wkb": shapely.to_wkb(np.asarray(tw.geometry))})
    con.register("tw", frame)
    con.execute("""INSERT INTO townships SELECT township_id, code, name, kind, pinyin, population,
        population_estimated, seat_lon, seat_lat, seat_estimated, ST_Point(seat_lon, seat_lat), boundary_approx,
        ST_GeomFromWKB(wkb) FROM tw""")
    con.unregister("tw")
    v = county.villages
    _insert(con, "villages", v[["village_id", "township_id", "name", "kind", "population", "lon", "lat",
                                "location_estimated"]])
    cells = county.cells
    cf = pd.DataFrame({"grid_cell_id": cells["grid_cell_id"], "code": cells["code"],
                       "township_id": cells["township_id"], "name": cells["name"],
                       "population": cells["population"], "wkb": shapely.to_wkb(np.asarray(cells.geometry))})
    con.register("cf", cf)
    con.execute("INSERT INTO grid_cells SELECT grid_cell_id, code, township_id, name, population, "
                "ST_GeomFromWKB(wkb) FROM cf")
    con.unregister("cf")
    # 413 grid members for 389 cells: the most populous cells get a second member.
    n_cells = len(cells)
    extra = cells.sort_values("population", ascending=False)["grid_cell_id"].to_numpy()[: 413 - n_cells]
    member_cells = np.concatenate([cells["grid_cell_id"].to_numpy(), extra])
    con.register("gm", pd.DataFrame({
        "member_id": np.arange(1, len(member_cells) + 1), "grid_cell_id": member_cells,
        "name": _names(rng, len(member_cells)), "phone": _phones(rng, len(member_cells)),
        "role": np.where(np.arange(len(member_cells)) < n_cells, "full_time", "part_time")}))
    con.execute("INSERT INTO grid_members SELECT * FROM gm")
    con.unregister("gm")


def write_units(con, county: County, rng) -> pd.DataFrame:
    rows = []
    for name, level, role in cat.DEPARTMENTS:
        hazards = [h for h, r in cat.HAZARD_ROLE.items() if r == role]
        rows.append({"name": name, "kind": "department", "linkage_level": level, "township_id": None,
                     "role": role, "hazards": hazards})
    for _, t in county.seats.iterrows():
        rows.append({"name": t["name"].rstrip("街道镇乡") + cat.POLICE_STATION_SUFFIX, "kind": "department",
                     "linkage_level": 1, "township_id": int(t["township_id"]), "role": "police_station",
                     "hazards": ["public_security"]})
    assert sum(r["kind"] == "department" for r in rows) == 92, "seed 000: 92 departments"
    for _, t in county.seats.iterrows():
        rows.append({"name": t["name"] + "人民政府" if t["kind"] != "街道" else t["name"] + "办事处",
                     "kind": "township", "linkage_level": 1, "township_id": int(t["township_id"]),
                     "role": "township", "hazards": ["flood", "typhoon", "geological", "forest_fire"]})
    units = pd.DataFrame(rows)
    units.insert(0, "unit_id", np.arange(1, len(units) + 1))
    units["phone"] = [f"0578-6{rng.integers(100000, 999999)}" for _ in range(len(units))]
    # How fast each unit turns out: remote township units slower; a few chronically slow units.
    units["speed"] = np.exp(rng.normal(0, 0.25, len(units)))
    units.loc[rng.choice(len(units), 8, replace=False), "speed"] *= 1.6
    con.register("lu", units)
    con.execute("INSERT INTO linkage_units SELECT unit_id, name, kind, linkage_level, township_id, "
                "CAST(hazards AS VARCHAR[]), phone FROM lu")
    con.unregister("lu")
    return units


def write_resources(con, county: County, rng, now: datetime) -> dict:
    v = county.villages
    pop = v["population"].to_numpy().astype(float)
    # Cameras: 70 % where people live, 30 % along the roads from villages to their township seat.
    n_cam = 1320
    n_near = int(n_cam * 0.7)
    vi = rng.choice(len(v), n_near, p=pop / pop.sum())
    lon1, lat1, tid1, _ = county.scatter(rng, vi, 0.3)
    vi2 = rng.choice(len(v), n_cam - n_near)
    seat = county.seats.set_index("township_id").loc[county.v_township[vi2]]
    f = rng.uniform(0.1, 0.9, len(vi2))
    lon2 = county.v_lon[vi2] * (1 - f) + seat["seat_lon"].to_numpy() * f
    lat2 = county.v_lat[vi2] * (1 - f) + seat["seat_lat"].to_numpy() * f
    tid2 = county.v_township[vi2]
    lon = np.concatenate([lon1, lon2]); lat = np.concatenate([lat1, lat2]); tid = np.concatenate([tid1, tid2])
    remote = distance_km(lon, lat, *county.county_seat)
    online = rng.random(n_cam) > (0.03 + 0.004 * remote)
    kind = np.where(rng.random(n_cam) < 0.25, "dome", "fixed")
    kind[rng.choice(n_cam, 60, replace=False)] = "ai"
    vname = v["name"].to_numpy()[np.concatenate([vi, vi2])]
    cams = pd.DataFrame({
        "camera_id": np.arange(1, n_cam + 1), "code": [f"CAM-{i:04d}" for i in range(1, n_cam + 1)],
        "name": [f"{n}{'路口' if i % 3 else '村口'}监控{i % 7 + 1}号" for i, n in enumerate(vname)],
        "kind": kind, "township_id": tid, "lon": lon, "lat": lat, "online": online,
        "last_seen_at": [now - timedelta(minutes=int(m)) for m in
                         np.where(online, rng.integers(0, 5, n_cam), rng.integers(60, 60 * 24 * 20, n_cam))]})
    _insert(con, "cameras", cams)

    # Reservoirs: the two real ones (positions estimated) and generated small ones near villages on rivers.
    seat_songyuan = county.seat_by_name.loc["松源街道"]
    reservoirs = [
        {"name": "兰溪桥水库", "scale": "medium", "capacity_mcm": 78.26, "dead_level_m": 318.0,
         "flood_limit_level_m": 338.0, "normal_level_m": 340.0, "design_flood_level_m": 342.3,
         "check_flood_level_m": 344.1, "lon": 119.09, "lat": 27.62, "is_generated": False,
         "note": "位置为估计值；汛限/正常蓄水位取自格式样例，其余特征水位为估计"},
        {"name": "杨楼溪水库", "scale": "small_1", "capacity_mcm": 9.0, "dead_level_m": 402.0,
         "flood_limit_level_m": 421.0, "normal_level_m": 423.0, "design_flood_level_m": 425.1,
         "check_flood_level_m": 426.4, "lon": 119.03, "lat": 27.575, "is_generated": False,
         "note": "位置与特征水位为估计值"},
    ]
    riverside = np.argsort(county.v_river_km + rng.uniform(0, 2, len(v)))
    chosen = [i for i in riverside if not county.v_urban[i]][:12]
    for k, i in enumerate(chosen):
        base = float(rng.uniform(380, 760))
        fl = base + rng.uniform(12, 30)
        reservoirs.append({
            "name": f"{vname_of(v, i)}水库", "scale": "small_2" if k % 3 else "small_1",
            "capacity_mcm": float(np.round(rng.uniform(0.12, 4.5), 2)), "dead_level_m": round(base, 1),
            "flood_limit_level_m": round(fl, 1), "normal_level_m": round(fl + rng.uniform(0.5, 2.0), 1),
            "design_flood_level_m": round(fl + rng.uniform(2.5, 3.5), 1),
            "check_flood_level_m": round(fl + rng.uniform(3.6, 4.5), 1),
            **dict(zip(("lon", "lat"), near(county, rng, county.v_lon[i], county.v_lat[i], 0.006))),
            "is_generated": True, "note": "演示生成"})
    res = pd.DataFrame(reservoirs)
    res.insert(0, "reservoir_id", np.arange(1, len(res) + 1))
    res["township_id"] = township_of(county, res["lon"].to_numpy(), res["lat"].to_numpy())
    _insert(con, "reservoirs", res)

    # Sensors: the 204 provincial sensing devices (seed 003), by type.
    sensor_rows = []
    counts = {"rain_gauge": 70, "water_level": 40, "geo_monitor": 60, "smoke_fire_ai": 34}
    for stype, n in counts.items():
        if stype == "water_level":
            vi = np.argsort(county.v_river_km)[:n]
        elif stype == "smoke_fire_ai":
            vi = rng.choice(len(v), n, replace=False, p=_norm(county.v_remoteness + 3))
        else:
            vi = rng.choice(len(v), n, replace=False, p=_norm(np.where(county.v_urban, 0.3, 1.0)))
        slon, slat, stid, _ = county.scatter(rng, vi, 0.8 if stype == "smoke_fire_ai" else 0.3)
        prefix = {"rain_gauge": "RG", "water_level": "WL", "geo_monitor": "GM", "smoke_fire_ai": "AI-CAM"}[stype]
        for j in range(n):
            sensor_rows.append({"device_code": f"{prefix}-{len(sensor_rows) + 1:04d}", "sensor_type": stype,
                                "name": f"{v['name'].iat[vi[j]]}{_sensor_word(stype)}", "township_id": int(stid[j]),
                                "lon": slon[j], "lat": slat[j], "online": bool(rng.random() > 0.05)})
    sensors = pd.DataFrame(sensor_rows)
    sensors.insert(0, "sensor_id", np.arange(1, len(sensors) + 1))
    sensors["reservoir_id"] = pd.array([None] * len(sensors), dtype="Int16")
    wl = sensors.index[sensors["sensor_type"] == "water_level"][: len(res)]
    sensors.loc[wl, "reservoir_id"] = res["reservoir_id"].to_numpy()[: len(wl)]
    sensors.loc[wl, "lon"] = res["lon"].to_numpy()[: len(wl)]  # the gauge sits at the dam
    sensors.loc[wl, "lat"] = res["lat"].to_numpy()[: len(wl)]
    sensors.loc[wl, "township_id"] = res["township_id"].to_numpy()[: len(wl)]
    _insert(con, "sensors", sensors)

    # Geo-hazard points in the mountains, where the seed's landslides happened.
    n_gh = 150
    weights = np.where(county.v_urban, 0.15, 1.0) * (1 + county.v_remoteness / 10)
    vi = rng.choice(len(v), n_gh, p=_norm(weights))
    glon, glat, gtid, _ = county.scatter(rng, vi, 0.9)
    kinds = rng.choice(["landslide", "debris_flow", "collapse", "subsidence"], n_gh, p=[0.55, 0.2, 0.2, 0.05])
    kind_zh = {"landslide": "滑坡", "debris_flow": "泥石流", "collapse": "崩塌", "subsidence": "地面塌陷"}
    gh = pd.DataFrame({
        "hazard_point_id": np.arange(1, n_gh + 1), "code": [f"DZ331126{i:04d}" for i in range(1, n_gh + 1)],
        "name": [f"{v['name'].iat[i]}{kind_zh[k]}隐患点" for i, k in zip(vi, kinds)],
        "kind": kinds, "risk_level": rng.choice([1, 2, 3, 4], n_gh, p=[0.05, 0.2, 0.4, 0.35]),
        "threatened_people": rng.integers(3, 260, n_gh), "township_id": gtid,
        "village_id": v["village_id"].to_numpy()[vi], "lon": glon, "lat": glat})
    _insert(con, "geo_hazard_points", gh)

    write_teams(con, county, rng)
    write_shelters(con, county, rng)
    return {"geo_hazard": gh, "sensors": sensors, "reservoirs": res}


def near(county: County, rng, lon: float, lat: float, sigma_deg: float) -> tuple[float, float]:
    """A point jittered around (lon, lat) that stays in the same township (else the point itself)."""
    tid = township_of(county, np.array([lon]), np.array([lat]))[0]
    for _ in range(20):
        x, y = lon + rng.normal(0, sigma_deg), lat + rng.normal(0, sigma_deg)
        if shapely.contains_xy(county.township_geoms[int(tid)], x, y):
            return float(x), float(y)
    return float(lon), float(lat)


def _norm(w) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    return w / w.sum()


def vname_of(v: pd.DataFrame, i: int) -> str:
    return str(v["name"].iat[i]).removesuffix("村").removesuffix("社区")


def _sensor_word(stype: str) -> str:
    return {"rain_gauge": "雨量站", "water_level": "水位站", "geo_monitor": "地灾监测点", "smoke_fire_ai": "烟火识别点"}[stype]


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


def write_teams(con, county: County, rng) -> None:
    rows = []
    for name, spec, others, head, tname in cat.PROFESSIONAL_TEAMS:
        s = county.seat_by_name.loc[tname]
        rows.append({"name": name, "kind": "professional", "specialty": spec, "specialties": [spec] + others,
                     "headcount": head, "township_id": int(s["township_id"]),
                     **dict(zip(("lon", "lat"), near(county, rng, s["seat_lon"], s["seat_lat"], 0.004)))})
    # 25 volunteer teams with 761 people in all (seed 000).
    sizes = rng.multinomial(cat.VOLUNTEER_TEAMS_TOTAL_PEOPLE - 12 * cat.VOLUNTEER_TEAMS,
                            np.ones(cat.VOLUNTEER_TEAMS) / cat.VOLUNTEER_TEAMS) + 12
    vol_specs = ["water_rescue", "mountain_search", "forest_firefighting", "medical"]
    seats = county.seats.sample(frac=1, random_state=int(rng.integers(1 << 31))).reset_index(drop=True)
    for k in range(cat.VOLUNTEER_TEAMS):
        s = seats.iloc[k % len(seats)]
        spec = vol_specs[k % len(vol_specs)]
        label = "蓝天救援队" if k == 0 else ("红十字应急救援队" if k == 1 else f"民间救援队{k // len(seats) + 1}队")
        rows.append({"name": f"{s['name']}{label}" if k > 1 else f"庆元{label}", "kind": "volunteer",
                     "specialty": spec, "specialties": [spec, "mountain_search"] if spec != "mountain_search" else [spec],
                     "headcount": int(sizes[k]), "township_id": int(s["township_id"]),
                     **dict(zip(("lon", "lat"), near(county, rng, s["seat_lon"], s["seat_lat"], 0.01)))})
    tech_specs = ["power_repair", "road_clearance", "geo_hazard", "communications", "medical", "water_rescue"]
    tech_words = {"power_repair": "水电维修", "road_clearance": "机械抢险", "geo_hazard": "地灾巡查",
                  "communications": "通信保障", "medical": "卫生应急", "water_rescue": "水上救援"}
    for k in range(cat.TECHNICAL_TEAMS):
        s = county.seats.iloc[k % len(county.seats)]
        spec = tech_specs[k % len(tech_specs)]
        rows.append({"name": f"{s['name']}{tech_words[spec]}技术队{k // len(county.seats) + 1}", "kind": "technical",
                     "specialty": spec, "specialties": [spec], "headcount": int(rng.integers(5, 21)),
                     "township_id": int(s["township_id"]),
                     **dict(zip(("lon", "lat"), near(county, rng, s["seat_lon"], s["seat_lat"], 0.008)))})
    teams = pd.DataFrame(rows)
    teams.insert(0, "team_id", np.arange(1, len(teams) + 1))
    teams["township_id"] = township_of(county, teams["lon"].to_numpy(), teams["lat"].to_numpy())
    teams["leader_name"] = _names(rng, len(teams))
    teams["leader_phone"] = _phones(rng, len(teams))
    con.register("tm", teams)
    con.execute("""INSERT INTO rescue_teams SELECT team_id, name, kind, specialty, CAST(specialties AS VARCHAR[]),
        headcount, leader_name, leader_phone, township_id, lon, lat, ST_Point(lon, lat) FROM tm""")
    con.unregister("tm")


def write_shelters(con, county: County, rng) -> None:
    rows = []
    seat = county.seat_by_name.loc["濛洲街道"]
    for name, cap, setting in cat.SHELTER_COUNTY:
        rows.append({"name": name, "level": "county", "setting": setting, "purpose": "comprehensive",
                     "stay": "long_term" if setting == "indoor" else "emergency", "capacity": cap,
                     **dict(zip(("lon", "lat"), near(county, rng, seat["seat_lon"], seat["seat_lat"], 0.006))),
                     "village_id": None})
    for _, s in county.seats.iterrows():
        rows.append({"name": f"{s['name']}中心学校避灾安置场所", "level": "township", "setting": "indoor",
                     "purpose": "comprehensive", "stay": "short_term", "capacity": int(rng.integers(200, 600)),
                     **dict(zip(("lon", "lat"), near(county, rng, s["seat_lon"], s["seat_lat"], 0.003))),
                     "village_id": None})
    v = county.villages
    for i in np.flatnonzero(rng.random(len(v)) < 0.6):
        rows.append({"name": f"{v['name'].iat[i]}文化礼堂避灾点", "level": "village", "setting": "indoor",
                     "purpose": "single", "stay": "emergency",
                     "capacity": int(max(20, min(200, v["population"].iat[i] * rng.uniform(0.1, 0.3)))),
                     **dict(zip(("lon", "lat"), near(county, rng, county.v_lon[i], county.v_lat[i], 0.001))),
                     "village_id": int(v["village_id"].iat[i])})
    sh = pd.DataFrame(rows)
    sh.insert(0, "shelter_id", np.arange(1, len(sh) + 1))
    sh["township_id"] = township_of(county, sh["lon"].to_numpy(), sh["lat"].to_numpy())
    sh["village_id"] = pd.array(sh["village_id"], dtype="Int16")
    # Two village shelters are open today, housing people moved away from a geo-hazard point.
    sh["is_open"] = False
    sh["occupancy"] = 0
    open_idx = sh.index[sh["level"] == "village"][[3, 17]]
    sh.loc[open_idx, "is_open"] = True
    sh.loc[open_idx, "occupancy"] = np.minimum(sh.loc[open_idx, "capacity"], [12, 8])
    _insert(con, "shelters", sh)


# ------------------------------------------------------------------ incidents
class IncidentModel:
    """Expected incidents per day for each (channel, hazard): volumes x mix x season x events."""

    def __init__(self, county: County, start: datetime, end: datetime, scale: float):
        self.county = county
        self.start, self.end = start, end
        self.days = pd.date_range(start.date(), end.date(), freq="D")
        months = self.days.month.to_numpy() - 1
        self.day_weight: dict[str, np.ndarray] = {}
        self.event_boost: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
        for hazard in cat.HAZARDS:
            w = np.asarray(cat.SEASON.get(hazard, [1.0] * 12))[months].astype(float)
            if hazard == "forest_fire":
                w = w * self._festival_boost()
            w = w * (1 + 0.04 * (self.days.year.to_numpy() - self.days.year[0]))  # slow growth in reporting
            self.day_weight[hazard] = w
        self.event_mask = self._event_days()
        self.rate: dict[tuple[str, str], np.ndarray] = {}
        for channel, volume in cat.CHANNEL_VOLUMES.items():
            for hazard, p in cat.HAZARD_MIX[channel].items():
                w = self.day_weight[hazard]
                self.rate[(channel, hazard)] = volume * scale * p * w / w.sum()

    def _festival_boost(self) -> np.ndarray:
        boost = np.ones(len(self.days))
        day_index = {d.date(): i for i, d in enumerate(self.days)}
        for sf in cat.SPRING_FESTIVAL:
            d0 = pd.Timestamp(sf)
            for k in range(-3, 12):
                i = day_index.get((d0 + pd.Timedelta(days=k)).date())
                if i is not None:
                    boost[i] = 2.5
        for y in range(self.days.year[0], self.days.year[-1] + 1):
            for k in range(-3, 4):
                i = day_index.get((pd.Timestamp(y, 4, cat.QINGMING_DAY) + pd.Timedelta(days=k)).date())
                if i is not None:
                    boost[i] = 3.0
        return boost

    def _event_days(self) -> list[dict]:
        events = []
        for ev in cat.EVENTS:
            first = pd.Timestamp(self.end.year - ev["years_back"], ev["month"], ev["day"])
            sel = (self.days >= first) & (self.days < first + pd.Timedelta(days=ev["days"]))
            if sel.any():
                tids = self.county.seats.loc[self.county.seats["name"].isin(ev["townships"]), "township_id"].to_numpy()
                events.append({**ev, "mask": np.asarray(sel), "township_ids": tids})
        return events


def _choose_villages(county: County, rng, hazard: str, channel: str, n: int) -> np.ndarray:
    pop = county.villages["population"].to_numpy().astype(float) + 30
    if channel == "city_mgmt":
        w = pop * county.v_urban  # digital city management covers the urban streets
    elif hazard in ("urban_mgmt", "livelihood"):
        w = pop * np.where(county.v_urban, 2.0, 0.6)
    elif hazard == "forest_fire":
        w = (county.v_remoteness + 4) * np.where(county.v_urban, 0.1, 1.0)
    elif hazard in ("flood", "typhoon"):
        w = (pop ** 0.5) / (0.5 + county.v_river_km)
    elif hazard == "geological":
        w = (county.v_remoteness + 3) * np.where(county.v_urban, 0.2, 1.0)
    else:
        w = pop
    return rng.choice(len(w), n, p=_norm(w))


def generate_month(county: County, model: IncidentModel, units: pd.DataFrame, sensors: pd.DataFrame,
                   day_slice: slice, rng, now: datetime, first_id: int) -> pd.DataFrame:
    """All incidents received in the given days, sorted by time, with ids from first_id."""
    frames = []
    days = model.days[day_slice]
    for (channel, hazard), rate in model.rate.items():
        lam = rate[day_slice].copy()
        boost_townships = []
        for ev in model.event_mask:
            mult = ev["boost"].get(hazard)
            if mult and channel != "city_mgmt":
                hit = ev["mask"][day_slice]
                extra = lam * hit * (mult - 1)
                boost_townships.append((extra, ev["township_ids"]))
        counts = rng.poisson(lam)
        n = int(counts.sum())
        day_of = np.repeat(np.arange(len(days)), counts)
        village = _choose_villages(county, rng, hazard, channel, n)
        for extra, tids in boost_townships:
            ec = rng.poisson(extra)
            if ec.sum():
                in_hit = np.flatnonzero(np.isin(county.v_township, tids))
                day_of = np.concatenate([day_of, np.repeat(np.arange(len(days)), ec)])
                village = np.concatenate([village, rng.choice(in_hit, int(ec.sum()))])
        if len(day_of) == 0:
            continue
        hours = rng.choice(24, len(day_of), p=_norm(cat.HOUR_PROFILE.get(hazard, cat.DEFAULT_HOUR_PROFILE)))
        secs = hours * 3600 + rng.integers(0, 3600, len(day_of))
        received = days.to_numpy()[day_of] + secs.astype("timedelta64[s]")
        frames.append(pd.DataFrame({"channel": channel, "hazard": hazard, "received_at": received,
                                    "village_idx": village}))
    if not frames:
        return pd.DataFrame()
    inc = pd.concat(frames, ignore_index=True)
    inc = inc[inc["received_at"] <= np.datetime64(now)].sort_values("received_at", kind="stable").reset_index(drop=True)
    return _complete_incidents(county, units, sensors, inc, rng, now, first_id)


def _complete_incidents(county, units, sensors, inc, rng, now, first_id) -> pd.DataFrame:
    n = len(inc)
    ch, hz = inc["channel"].to_numpy(), inc["hazard"].to_numpy()
    vidx = inc["village_idx"].to_numpy()
    inc["incident_id"] = np.arange(first_id, first_id + n, dtype=np.int64)
    inc["category"] = np.where(np.isin(hz, list(cat.SERVICE_HAZARDS)), "service", "emergency")

    # Place: exact coordinates around the village; sensors at the device; some sources have none.
    sigma = np.where(hz == "forest_fire", 2.0, np.where(np.isin(ch, ["city_mgmt"]), 0.25, 0.6))
    lon, lat, tid, cell = county.scatter(rng, vidx, sigma)
    precision = np.full(n, "exact", dtype=object)
    no_xy = np.zeros(n, dtype=bool)
    u = rng.random(n)
    no_xy |= (ch == "police_110") & (u < 0.12)
    no_xy |= ch == "hotline_96345"
    no_xy |= (ch == "grid") & (u < 0.10)
    to_township = no_xy & (rng.random(n) < np.where(ch == "hotline_96345", 0.2, 0.25))
    at_village = no_xy & ~to_township
    lon[at_village], lat[at_village] = county.v_lon[vidx[at_village]], county.v_lat[vidx[at_village]]
    cell[at_village] = county.v_cell[vidx[at_village]]
    precision[at_village] = "village"
    seat = county.seats.set_index("township_id").loc[tid[to_township]]
    lon[to_township], lat[to_township] = seat["seat_lon"].to_numpy(), seat["seat_lat"].to_numpy()
    cell[to_township] = county.cell_of(lon[to_township], lat[to_township], tid[to_township])
    precision[to_township] = "township"
    village_id = county.villages["village_id"].to_numpy()[vidx].astype(float)
    village_id[to_township] = np.nan

    device = np.full(n, None, dtype=object)
    for channel, types in (("iot_sensor", None), ("ai_video", ["smoke_fire_ai"])):
        sel = np.flatnonzero(ch == channel)
        if not len(sel):
            continue
        for hazard, stypes in (("flood", ["rain_gauge", "water_level"]), ("geological", ["geo_monitor"]),
                               ("forest_fire", ["smoke_fire_ai"]), ("building_fire", ["smoke_fire_ai"])):
            pick = sel[hz[sel] == hazard]
            pool = sensors[sensors["sensor_type"].isin(types or stypes)]
            if not len(pick) or not len(pool):
                continue
            j = rng.integers(0, len(pool), len(pick))
            lon[pick], lat[pick] = pool["lon"].to_numpy()[j], pool["lat"].to_numpy()[j]
            tid[pick] = pool["township_id"].to_numpy()[j]
            cell[pick] = county.cell_of(lon[pick], lat[pick], tid[pick])
            device[pick] = pool["device_code"].to_numpy()[j]
            village_id[pick] = np.nan
    inc["lon"], inc["lat"], inc["township_id"], inc["grid_cell_id"] = lon, lat, tid, cell
    inc["village_id"] = pd.array(np.where(np.isnan(village_id), None, village_id), dtype="Int16")
    inc["location_precision"] = precision
    inc["device_id"] = device

    # Severity (service requests are IV); some III incidents are flagged for reporting by the duty desk.
    sev = np.full(n, 4, dtype=np.int8)
    r = rng.random(n)
    for hazard, (p1, p2, p3) in cat.SEVERITY_P.items():
        sel = (hz == hazard) & (ch != "ai_video")
        sev[sel & (r < p1 + p2 + p3)] = 3
        sev[sel & (r < p1 + p2)] = 2
        sev[sel & (r < p1)] = 1
    inc["severity"] = sev
    inc["is_flagged"] = (sev == 3) & (rng.random(n) < 0.08)

    # Lifecycle: received -> dispatched -> on scene -> feedback -> callback -> closed.
    emergency = inc["category"].to_numpy() == "emergency"
    false_alarm = (ch == "ai_video") & (rng.random(n) < 0.7) | (ch == "iot_sensor") & (rng.random(n) < 0.4)
    on_the_spot = (ch == "grid") & (rng.random(n) < 0.55)  # grid members settle most items themselves
    dispatched = ~(false_alarm | on_the_spot)
    unit_idx = _pick_units(units, hz, tid, rng)
    speed = units["speed"].to_numpy()[unit_idx]
    unit_tid = units["township_id"].to_numpy()[unit_idx]
    base_lon = np.where(pd.isna(unit_tid), county.county_seat[0],
                        county.seats.set_index("township_id")["seat_lon"].reindex(unit_tid).to_numpy())
    base_lat = np.where(pd.isna(unit_tid), county.county_seat[1],
                        county.seats.set_index("township_id")["seat_lat"].reindex(unit_tid).to_numpy())
    travel_km = distance_km(lon, lat, base_lon.astype(float), base_lat.astype(float))
    recv = inc["received_at"].to_numpy()
    minutes = lambda x: (np.asarray(x) * 60).astype("timedelta64[s]")  # noqa: E731 - minutes -> timedelta
    t_dispatch = recv + minutes(np.where(emergency, rng.lognormal(np.log(4), 0.5, n), rng.lognormal(np.log(25), 0.6, n)))
    travel_min = (5 + 1.1 * travel_km) * speed * rng.lognormal(0, 0.35, n)
    t_scene = t_dispatch + minutes(np.where(emergency, travel_min, travel_min * 6 + rng.exponential(120, n)))
    t_feedback = t_scene + minutes(np.where(emergency, rng.lognormal(np.log(90), 0.6, n), rng.lognormal(np.log(300), 0.8, n)))
    t_callback = t_feedback + minutes(rng.lognormal(np.log(18 * 60), 0.6, n))
    no_callback = rng.random(n) < 0.04
    stuck = rng.random(n) < 0.004  # a few never progress past feedback: the "five 100%" are not quite 100 %
    t_close = np.where(no_callback, t_feedback, t_callback) + minutes(rng.exponential(60, n))
    quick_close = recv + minutes(rng.exponential(20, n) + 2)

    now64 = np.datetime64(now)
    nat = np.datetime64("NaT")
    def upto(t, cond):  # noqa: E306 - keep a time only where that step has happened
        return np.where(cond & (t <= now64), t, nat)
    d_at = upto(t_dispatch, dispatched)
    s_at = upto(t_scene, dispatched & ~pd.isna(d_at))
    f_at = upto(t_feedback, dispatched & ~pd.isna(s_at))
    c_at = upto(t_callback, dispatched & ~pd.isna(f_at) & ~no_callback & ~stuck)
    closed = upto(np.where(dispatched, t_close, quick_close), (~dispatched) | (~pd.isna(f_at) & ~stuck))
    closed = np.where(dispatched & ~no_callback & pd.isna(c_at), nat, closed)
    f_at = np.where(~dispatched & ~pd.isna(closed), closed, f_at)  # settled on the spot: feedback at closing
    inc["dispatched_at"], inc["on_scene_at"], inc["feedback_at"] = d_at, s_at, f_at
    inc["callback_at"], inc["closed_at"] = c_at, closed
    status = np.full(n, "received", dtype=object)
    for col, name in (("dispatched_at", "dispatched"), ("on_scene_at", "on_scene"), ("feedback_at", "feedback"),
                      ("callback_at", "callback"), ("closed_at", "closed")):
        status[~pd.isna(inc[col].to_numpy())] = name
    inc["status"] = status
    inc["unit_idx"] = np.where(dispatched, unit_idx, -1)

    # Who and what: callers on the 110 and 96345 lines; the grid member for grid reports.
    names, phones = _names(rng, n), _phones(rng, n)
    has_caller = np.isin(ch, ["police_110", "hotline_96345", "grid"]) | ((ch == "city_mgmt") & (rng.random(n) < 0.3))
    inc["caller_name"] = np.where(has_caller, names, None)
    inc["caller_phone"] = np.where(has_caller, phones, None)
    vnames = county.villages["name"].to_numpy()[vidx]
    tnames = county.seats.set_index("township_id")["name"].reindex(tid).to_numpy()
    inc["address"] = np.char.add(np.char.add("庆元县", tnames.astype(str)), vnames.astype(str))
    desc = np.empty(n, dtype=object)
    for hazard, texts in cat.DESCRIPTIONS.items():
        sel = np.flatnonzero(hz == hazard)
        desc[sel] = np.asarray(texts, dtype=object)[rng.integers(0, len(texts), len(sel))]
    desc[false_alarm] = "设备告警，经视频复核为误报"
    inc["description"] = desc
    day = pd.DatetimeIndex(recv).strftime("%Y%m%d").to_numpy().astype(str)
    ids = inc["incident_id"].to_numpy().astype(str)
    prefix = pd.Series(ch).map({"police_110": "QY110-", "hotline_96345": "96345-", "city_mgmt": "CG",
                                "grid": "WG-331126-", "iot_sensor": "IOT-", "ai_video": "AI-"}).to_numpy().astype(str)
    inc["source_ref"] = np.char.add(np.char.add(np.char.add(prefix, day), "-"), ids)
    inc["event_id"] = pd.array([None] * n, dtype="Int64")
    inc["travel_km"] = travel_km
    return inc


def _pick_units(units: pd.DataFrame, hazard: np.ndarray, township_id: np.ndarray, rng) -> np.ndarray:
    """Row index into units of the first unit dispatched: by hazard role; local roles by jurisdiction."""
    out = np.zeros(len(hazard), dtype=np.int64)
    for hz, role in cat.HAZARD_ROLE.items():
        sel = np.flatnonzero(hazard == hz)
        if not len(sel):
            continue
        if role in cat.LOCAL_ROLES:
            local = units[units["role"] == role].set_index("township_id")
            out[sel] = units.index.get_indexer(local.loc[township_id[sel], "unit_id"].to_numpy() - 1)
        else:
            pool = units.index[units["role"] == role].to_numpy()
            out[sel] = pool[rng.integers(0, len(pool), len(sel))]
    return out


def stage_current_events(inc: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Leave live work at the demo's 'now', as a command centre always has: the latest natural-hazard call of
    the last few hours becomes a serious (II) incident still being handled whose first report is not yet
    sent, and the one before it a flagged III incident. Times after the current step are cleared."""
    now_ts = pd.Timestamp(now)
    recent = inc[inc["hazard"].isin(["forest_fire", "geological", "flood"]) & (inc["unit_idx"] >= 0)
                 & inc["channel"].isin(["police_110", "grid"])
                 & (inc["received_at"] <= now_ts - pd.Timedelta(minutes=35))
                 & (inc["received_at"] >= now_ts - pd.Timedelta(hours=6))].sort_values("received_at")
    inc = inc.copy()
    inc["first_report_held"] = False
    inc["staged"] = False
    for idx, (severity, flagged, held) in zip(recent.index[::-1][:2], [(2, False, True), (3, True, False)]):
        inc.loc[idx, ["severity", "is_flagged", "first_report_held", "staged"]] = [severity, flagged, held, True]
        inc.loc[idx, ["feedback_at", "callback_at", "closed_at"]] = pd.NaT
        inc.loc[idx, "status"] = "on_scene" if not pd.isna(inc.loc[idx, "on_scene_at"]) else "dispatched"
    return inc


def with_echo_reports(inc: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """The month's incidents with echo_reports added, in time order and numbered again from the first id
    (incidents are stored and numbered by received_at: zone maps prune time windows)."""
    first_id = int(inc["incident_id"].min())
    staged = inc.index[inc["staged"]] if "staged" in inc else inc.index[:0]
    inc = pd.concat([inc, echo_reports(inc, staged, now)]).sort_values("received_at", kind="stable")
    inc["incident_id"] = first_id + np.arange(len(inc))
    return inc.reset_index(drop=True)


ECHO_EVERY = 8  # of the last fortnight's natural-hazard and traffic calls, every 8th is also reported elsewhere
LINKED_DAYS = 30  # the live weeks the build links into events, as an import would have


def echo_reports(inc: pd.DataFrame, staged: pd.Index, now: datetime) -> pd.DataFrame:
    """Second reports of one happening from another channel, as the 1+N platform sees them: a grid reporter
    after a 110 call or the other way round, 4-15 minutes later and a few hundred metres off. The duty desk
    closes them as duplicates at once (no dispatch, no information reports); the import's linking rule later
    joins them to the first report's event. The staged incidents (index `staged`) always get one."""
    now_ts = pd.Timestamp(now)
    recent = inc[inc["hazard"].isin(["forest_fire", "geological", "flood", "traffic"])
                 & inc["channel"].isin(["police_110", "grid"])
                 & (inc["received_at"] >= now_ts - pd.Timedelta(days=14))
                 & (inc["received_at"] <= now_ts - pd.Timedelta(minutes=20))].sort_values("received_at")
    picked = recent.index[::ECHO_EVERY].union(staged)
    e = inc.loc[picked].copy()
    if e.empty:
        return e
    k = np.arange(len(e))
    e["incident_id"] = int(inc["incident_id"].max()) + 1 + k
    e["channel"] = np.where(e["channel"] == "grid", "police_110", "grid")
    e["received_at"] = e["received_at"] + pd.to_timedelta(4 + k % 12, unit="min")
    e["closed_at"] = e["received_at"] + pd.Timedelta(minutes=3)
    e[["dispatched_at", "on_scene_at", "feedback_at", "callback_at"]] = pd.NaT
    e["status"], e["severity"], e["is_flagged"], e["unit_idx"] = "closed", 4, False, -1
    e["first_report_held"], e["staged"] = False, False
    e["lon"] = e["lon"] + np.where(k % 2, 0.002, -0.0015)  # ~150-200 m
    e["lat"] = e["lat"] + np.where(k % 3, 0.0012, -0.001)
    prefix = np.where(e["channel"] == "grid", "WG-331126-", "QY110-")
    e["source_ref"] = [f"{p}{t:%Y%m%d}-{i}" for p, t, i in zip(prefix, e["received_at"], e["incident_id"])]
    return e


INCIDENT_COLUMNS = ["incident_id", "channel", "source_ref", "category", "hazard", "severity", "is_flagged", "status",
                    "received_at", "dispatched_at", "on_scene_at", "feedback_at", "callback_at", "closed_at",
                    "lon", "lat", "location_precision", "township_id", "village_id", "grid_cell_id", "address",
                    "caller_name", "caller_phone", "description", "device_id", "event_id"]


def dispatches_for(inc: pd.DataFrame, units: pd.DataFrame, limits: dict, rng, now: datetime,
                   first_id: int) -> pd.DataFrame:
    """One dispatch per dispatched incident (plus the emergency management bureau for major ones)."""
    d = inc[inc["unit_idx"] >= 0]
    major = d[(d["severity"] <= 2) | d["is_flagged"]]
    u = units.iloc[d["unit_idx"].to_numpy()]
    primary = pd.DataFrame({
        "incident_id": d["incident_id"].to_numpy(), "unit_id": u["unit_id"].to_numpy(),
        "level": u["linkage_level"].to_numpy(), "category": d["category"].to_numpy(),
        "assigned_at": d["dispatched_at"].to_numpy(), "arrived_at": d["on_scene_at"].to_numpy(),
        "feedback_at": d["feedback_at"].to_numpy(), "callback_at": d["callback_at"].to_numpy()})
    # Major incidents also go to the emergency management bureau (multi-department linkage).
    bureau = int(units.loc[units["role"] == "emergency", "unit_id"].iloc[0])
    major = major[units["unit_id"].to_numpy()[major["unit_idx"].to_numpy()] != bureau]
    extra = pd.DataFrame({
        "incident_id": major["incident_id"].to_numpy(), "unit_id": bureau,
        "level": 1, "category": major["category"].to_numpy(), "assigned_at": major["dispatched_at"].to_numpy(),
        "arrived_at": (major["on_scene_at"] + pd.to_timedelta(rng.integers(5, 40, len(major)), unit="m")).to_numpy(),
        "feedback_at": major["feedback_at"].to_numpy(), "callback_at": major["callback_at"].to_numpy()})
    primary["travel_km"] = d["travel_km"].to_numpy()
    extra["travel_km"] = 0.0
    out = pd.concat([primary, extra], ignore_index=True)
    out = out[~pd.isna(out["assigned_at"])].reset_index(drop=True)
    limit = np.array([limits[(lv, c)] for lv, c in zip(out["level"], out["category"])])
    # Remote allowance: 1.5 extra minutes per km beyond 8 km of mountain road from the unit's base.
    allowance = 1.5 * np.clip(out["travel_km"].to_numpy() - 8, 0, None)
    out["deadline_at"] = out["assigned_at"] + pd.to_timedelta(limit + allowance, unit="m")
    acc = out["assigned_at"] + pd.to_timedelta(rng.integers(1, 6, len(out)), unit="m")
    out["accepted_at"] = acc.where((acc <= now) & (rng.random(len(out)) > 0.003))
    out["arrived_at"] = out["arrived_at"].where(out["arrived_at"] <= now)
    out["arrived_at"] = out["arrived_at"].where(out["arrived_at"].isna() | (out["arrived_at"] >= out["assigned_at"]),
                                                out["assigned_at"])
    out.insert(0, "dispatch_id", np.arange(first_id, first_id + len(out), dtype=np.int64))
    return out[["dispatch_id", "incident_id", "unit_id", "assigned_at", "accepted_at", "deadline_at", "arrived_at",
                "feedback_at", "callback_at"]]


def reports_for(inc: pd.DataFrame, rules: dict, rng, now: datetime) -> list[dict]:
    """首报 / 续报 / 终报 for major incidents (severity I-II or flagged), some of them late."""
    rows = []
    major = inc[(inc["severity"] <= 2) | inc["is_flagged"]]
    for r in major.itertuples():
        first_min, follow_h, final_d = rules[int(r.severity)]
        recv = pd.Timestamp(r.received_at)
        due = recv + pd.Timedelta(minutes=first_min)
        sent = recv + pd.Timedelta(minutes=float(rng.lognormal(np.log(first_min * 0.7), 0.45)))
        held = bool(getattr(r, "first_report_held", False))  # staged: the duty desk has one to chase
        rows.append({"incident_id": r.incident_id, "kind": "first", "seq": 1, "due_at": due,
                     "sent_at": sent if sent <= now and not held else None})
        end = pd.Timestamp(r.closed_at) if not pd.isna(r.closed_at) else pd.Timestamp(now)
        k = 1
        while recv + pd.Timedelta(hours=follow_h * k) < end and k <= 10:
            due = recv + pd.Timedelta(hours=follow_h * k)
            sent = due - pd.Timedelta(hours=float(rng.uniform(0.5, 6))) + pd.Timedelta(hours=float(rng.exponential(1.0)))
            rows.append({"incident_id": r.incident_id, "kind": "follow_up", "seq": k, "due_at": due,
                         "sent_at": sent if sent <= now and rng.random() > 0.05 else None})
            k += 1
        if not pd.isna(r.closed_at):
            closed = pd.Timestamp(r.closed_at)
            due = closed + pd.Timedelta(days=final_d)
            sent = closed + pd.Timedelta(hours=float(rng.lognormal(np.log(48), 0.6)))
            rows.append({"incident_id": r.incident_id, "kind": "final", "seq": 1, "due_at": due,
                         "sent_at": sent if sent <= now else None})
    return rows


def generation_chunks(days: pd.DatetimeIndex, now: datetime) -> np.ndarray:
    """The key of each day's generation chunk: its calendar month, except that the live weeks (the linking
    window) form one last chunk. Live work is staged and echoed over that whole chunk, so on the 1st of a month
    the last fortnight still has its cross-channel reports."""
    live_start = (pd.Timestamp(now) - pd.Timedelta(days=LINKED_DAYS)).normalize()
    return np.where(days < live_start, days.strftime("%Y-%m"), "live")


def write_incidents(con, county: County, units: pd.DataFrame, sensors: pd.DataFrame, seed: int, scale: float,
                    now: datetime, progress: Progress) -> None:
    start = (pd.Timestamp(now) - pd.DateOffset(years=cat.HISTORY_YEARS)).normalize().to_pydatetime()
    model = IncidentModel(county, start, now, scale)
    limits = {(int(a), b): int(c) for a, b, c in
              con.execute("SELECT linkage_level, category, arrive_minutes FROM dispatch_time_limits").fetchall()}
    rules = {int(s): (a, b, c) for s, a, b, c in con.execute("SELECT * FROM report_rules").fetchall()}
    months = pd.Series(np.arange(len(model.days)), index=model.days).groupby(generation_chunks(model.days, now),
                                                                              sort=False)
    next_incident, next_dispatch, report_rows = 1, 1, []
    n_months = len(months)
    for k, (_, idx) in enumerate(months):
        rng = np.random.default_rng([seed, k])  # per-month stream: chunks are independent and reproducible
        inc = generate_month(county, model, units, sensors, slice(int(idx.iloc[0]), int(idx.iloc[-1]) + 1),
                             rng, now, next_incident)
        if len(inc) and k == n_months - 1:
            inc = with_echo_reports(stage_current_events(inc, now), now)
        if len(inc):
            _insert(con, "incidents", inc[INCIDENT_COLUMNS])
            disp = dispatches_for(inc, units, limits, rng, now, next_dispatch)
            _insert(con, "dispatches", disp, geom_sql="")
            report_rows.extend(reports_for(inc, rules, rng, now))
            next_incident += len(inc)
            next_dispatch += len(disp)
        progress(0.25 + 0.6 * (k + 1) / n_months, f"incidents {next_incident - 1:,}")
    reports = pd.DataFrame(report_rows)
    reports.insert(0, "report_id", np.arange(1, len(reports) + 1))
    reports["author"] = "县联合值班室"
    reports["summary"] = None
    _insert(con, "info_reports", reports, geom_sql="")


# ------------------------------------------------------------------ time series and roster
def write_reservoir_readings(con, reservoirs: pd.DataFrame, events: list[dict], seed: int, now: datetime) -> None:
    rng = np.random.default_rng([seed, 9001])
    start = pd.Timestamp(now) - pd.DateOffset(years=cat.HISTORY_YEARS)
    recent = pd.Timestamp(now) - pd.Timedelta(days=30)
    times = pd.DatetimeIndex(list(pd.date_range(start.floor("6h"), recent, freq="6h", inclusive="left")) +
                             list(pd.date_range(recent.ceil("h"), pd.Timestamp(now).floor("h"), freq="h")))
    doy = times.day_of_year.to_numpy()
    in_flood_season = (doy >= 105) & (doy <= 288)  # 15 April - 15 October
    frames = []
    for r in reservoirs.itertuples():
        target = np.where(in_flood_season, r.flood_limit_level_m - 0.6, r.normal_level_m - 0.8)
        level = target + np.cumsum(rng.normal(0, 0.02, len(times)))
        level = target + (level - target) * 0.3
        for ev in events:
            first = pd.Timestamp(now.year - ev["years_back"], ev["month"], ev["day"])
            rise = np.clip((times - first) / pd.Timedelta(days=1), 0, None)
            pulse = np.where(rise > 0, rise * np.exp(1 - rise / 1.5) / 1.5, 0)
            level = level + pulse * (1.6 if ev["years_back"] == 1 else 1.0)
        level = np.clip(level, r.dead_level_m + 1, r.check_flood_level_m - 0.2)
        inflow = np.clip(20 + (level - target) * 60 + rng.normal(0, 5, len(times)), 0, None) * r.capacity_mcm / 78
        outflow = np.clip(inflow * rng.uniform(0.6, 1.0, len(times)), 0, None)
        frames.append(pd.DataFrame({"reservoir_id": r.reservoir_id, "observed_at": times, "level_m": level.round(2),
                                    "inflow_m3s": inflow.round(1), "outflow_m3s": outflow.round(1)}))
    _insert(con, "reservoir_readings", pd.concat(frames, ignore_index=True), geom_sql="")


def write_roster(con, seed: int, now: datetime) -> None:
    """The "1+1+2+5" joint duty: leader and department head by the week, office members and officers by the day."""
    rng = np.random.default_rng([seed, 9002])
    start = (pd.Timestamp(now) - pd.DateOffset(years=cat.HISTORY_YEARS)).normalize()
    days = pd.date_range(start, pd.Timestamp(now).normalize() + pd.Timedelta(days=14), freq="D")
    leaders = [(n, "县政府", p) for n, p in zip(_names(rng, 8), _phones(rng, 8))]
    heads = [(n, u, p) for n, u, p in zip(_names(rng, 12), ["县应急管理局", "县公安局", "县水利局", "县自然资源和规划局",
             "县林业局", "县卫生健康局", "县消防救援大队", "县交通运输局", "县综合行政执法局", "县民政局",
             "县住房和城乡建设局", "县气象局"], _phones(rng, 12))]
    office = [(n, "县委办" if i % 2 else "县政府办", p) for i, (n, p) in enumerate(zip(_names(rng, 10), _phones(rng, 10)))]
    officers = [(n, "县联合值班室", p) for n, p in zip(_names(rng, 25), _phones(rng, 25))]
    extra_flood = [(n, "县水利局", p) for n, p in zip(_names(rng, 6), _phones(rng, 6))]
    extra_fire = [(n, "县林业局", p) for n, p in zip(_names(rng, 6), _phones(rng, 6))]
    rows = []
    monday = days[0] - pd.Timedelta(days=days[0].weekday())
    week = ((days - monday).days // 7).to_numpy()  # leader and department head change on Mondays
    for i, d in enumerate(days):
        people = {"leader": leaders[week[i] % len(leaders)], "dept_head": heads[week[i] % len(heads)],
                  "office_1": office[(2 * i) % len(office)], "office_2": office[(2 * i + 1) % len(office)]}
        for k in range(5):
            people[f"officer_{k + 1}"] = officers[(5 * i + k) % len(officers)]
        if 6 <= d.month <= 9:  # main flood season
            people["flood_extra"] = extra_flood[i % len(extra_flood)]
        if d.month >= 10 or d.month <= 4:  # high forest-fire season
            people["fire_extra"] = extra_fire[i % len(extra_fire)]
        for seat, (name, unit, phone) in people.items():
            rows.append((d.date(), seat, name, unit, phone))
    roster = pd.DataFrame(rows, columns=["duty_date", "seat", "person_name", "unit_name", "phone"])
    _insert(con, "duty_roster", roster, geom_sql="")


# ------------------------------------------------------------------ build
def build(out: str | Path, scale: float = 1.0, seed: int = 20261124, progress: Progress | None = None,
          now: datetime | None = None, boundary_path: str | Path | None = None) -> dict:
    """Write a complete demo database to out (replacing a partial one). Returns row counts and timings."""
    progress = progress or (lambda f, msg: None)
    out = Path(out)
    tmp = out.with_name(out.name + ".building")
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    now = now or now_cst()
    rng = np.random.default_rng(seed)
    progress(0.02, "geography")
    boundary_path = boundary_path or settings.load()["county"]["boundary_file"] or None
    county = County(geography.build_all(seed=seed, boundary_path=boundary_path))
    con = db.connect(tmp)
    # Fewer automatic checkpoints while the tables fill: each leaves a part-filled row group behind, which the
    # first real import's commit pays to merge (1.1 s of a 1 M-row import at scale 1). 256 MB of log covers a
    # whole default county (the final CHECKPOINT then writes full row groups) and bounds memory at 10 M.
    con.execute("SET checkpoint_threshold = '256MB'")
    try:
        db.create_schema(con)
        write_places(con, county, rng)
        units = write_units(con, county, rng)
        progress(0.15, "resources")
        res = write_resources(con, county, rng, now)
        write_incidents(con, county, units, res["sensors"], seed, scale, now, progress)
        # Reports of one happening from several channels, linked as an import links them (the live weeks only:
        # the history stands for data already processed).
        pipeline.link_recent(con, now - timedelta(days=LINKED_DAYS))
        progress(0.88, "reservoir readings, roster")
        write_reservoir_readings(con, res["reservoirs"], cat.EVENTS, seed, now)
        write_roster(con, seed, now)
        progress(0.92, "indexes")
        db.create_indexes(con)
        raster.build(con)  # the first import should not pay for it
        con.execute("INSERT INTO meta VALUES ('demo_seed', ?), ('demo_scale', ?), ('demo_now', ?), "
                    "('build_complete', 'true')", [str(seed), str(scale), now.isoformat(sep=" ")])
        db.bump_data_version(con)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        con.execute("INSERT INTO meta VALUES ('build_seconds', ?)", [f"{time.perf_counter() - t0:.1f}"])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    out.unlink(missing_ok=True)
    tmp.rename(out)  # readers never see a half-built file
    progress(1.0, "done")
    return {"rows": counts, "seconds": round(time.perf_counter() - t0, 1), "bytes": out.stat().st_size,
            "path": str(out)}


TABLES = ["townships", "villages", "grid_cells", "grid_members", "linkage_units", "incidents", "dispatches",
          "info_reports", "cameras", "sensors", "reservoirs", "reservoir_readings", "geo_hazard_points",
          "rescue_teams", "shelters", "duty_roster"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.demo", description="Build the OneMap demo county database.")
    parser.add_argument("--out", default=None, help="database file (default: $ONEMAP_DB or data/onemap.duckdb)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies incident volume (10 M rows: about 30)")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--boundary", default=None, metavar="FILE",
                        help="the county boundary to build on (GeoJSON/GPKG/Shapefile; default: [county] "
                             "boundary_file in onemap.toml, else data/geo/qingyuan_county.geojson)")
    parser.add_argument("--exports", default=None, metavar="DIR",
                        help="also write sample exports of the N source systems into DIR (data/demo_exports.py); "
                             "an already built database is reused")
    parser.add_argument("--export-rows", type=int, default=2000, help="rows of the 110 export (others: a tenth)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    out = db.resolve_db_path(args.out)

    def show(fraction: float, step: str) -> None:
        print(f"\r[{fraction * 100:5.1f}%] {step:<40}", end="", file=sys.stderr, flush=True)

    if args.exports and db.is_built(out):
        return _write_exports(out, args)
    stats = build(out, scale=args.scale, seed=args.seed, progress=show, boundary_path=args.boundary)
    print(file=sys.stderr)
    print(f"built {stats['path']} in {stats['seconds']} s, {stats['bytes'] / 1e6:.1f} MB")
    for table, n in stats["rows"].items():
        print(f"  {table:<20} {n:>12,}")
    return _write_exports(out, args) if args.exports else 0


def _write_exports(out: Path, args) -> int:
    from data import demo_exports
    for source, path in demo_exports.write_exports(out, args.exports, rows=args.export_rows, seed=args.seed).items():
        print(f"  export {source:<12} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
