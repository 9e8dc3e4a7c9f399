"""Things on the map: cameras, reservoirs, sensors and geo-hazard points (then the teams and shelters, in the
order the random stream has always drawn them)."""
from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from data.demo.common import county_table, load_layer, normalised, update_by_code
from data.demo.places import County, distance_km, near, township_of, village_codes
from data.demo.responders import write_shelters, write_teams


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
    lon, lat = np.concatenate([lon1, lon2]), np.concatenate([lat1, lat2])
    tid = np.concatenate([tid1, tid2])
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
    load_layer(con, "cameras", county_table(
        "cameras", code=cams["code"], name=cams["name"], kind=cams["kind"],
        township=county.township_codes(cams["township_id"]), lon=cams["lon"], lat=cams["lat"],
        online=np.where(cams["online"], "在线", "离线")), ids=cams["camera_id"])
    update_by_code(con, "cameras", cams[["code", "last_seen_at"]])

    # Reservoirs: the two real ones (positions estimated) and generated small ones near villages on rivers.
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
    res.insert(1, "code", [f"SK{i:03d}" for i in res["reservoir_id"]])
    res["township_id"] = township_of(county, res["lon"].to_numpy(), res["lat"].to_numpy())
    load_layer(con, "reservoirs", county_table(
        "reservoirs", code=res["code"], name=res["name"], scale=res["scale"],
        # 总库容 in 万 m³ as a county writes it (the loader divides by 100 again: an integer over 100 gives back
        # the two-decimal figure exactly).
        capacity_10k_m3=np.round(res["capacity_mcm"] * 100), dead_level_m=res["dead_level_m"],
        flood_limit_level_m=res["flood_limit_level_m"], normal_level_m=res["normal_level_m"],
        design_flood_level_m=res["design_flood_level_m"], check_flood_level_m=res["check_flood_level_m"],
        township=county.township_codes(res["township_id"]), lon=res["lon"], lat=res["lat"]), ids=res["reservoir_id"])
    update_by_code(con, "reservoirs", res[["code", "is_generated", "note"]])

    # Sensors: the 204 provincial sensing devices (seed 003), by type.
    sensor_rows = []
    counts = {"rain_gauge": 70, "water_level": 40, "geo_monitor": 60, "smoke_fire_ai": 34}
    for stype, n in counts.items():
        if stype == "water_level":
            vi = np.argsort(county.v_river_km)[:n]
        elif stype == "smoke_fire_ai":
            vi = rng.choice(len(v), n, replace=False, p=normalised(county.v_remoteness + 3))
        else:
            vi = rng.choice(len(v), n, replace=False, p=normalised(np.where(county.v_urban, 0.3, 1.0)))
        slon, slat, stid, _ = county.scatter(rng, vi, 0.8 if stype == "smoke_fire_ai" else 0.3)
        prefix = {"rain_gauge": "RG", "water_level": "WL", "geo_monitor": "GM", "smoke_fire_ai": "AI-CAM"}[stype]
        for j in range(n):
            sensor_rows.append({"code": f"{prefix}-{len(sensor_rows) + 1:04d}", "sensor_type": stype,
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
    res_code = dict(zip(res["reservoir_id"], res["code"]))
    load_layer(con, "sensors", county_table(
        "sensors", code=sensors["code"], name=sensors["name"], sensor_type=sensors["sensor_type"],
        township=county.township_codes(sensors["township_id"]), lon=sensors["lon"], lat=sensors["lat"],
        reservoir=[res_code[int(r)] if pd.notna(r) else None for r in sensors["reservoir_id"]],
        online=np.where(sensors["online"], "在线", "离线")), ids=sensors["sensor_id"])

    # Geo-hazard points in the mountains, where the seed's landslides happened.
    n_gh = 150
    weights = np.where(county.v_urban, 0.15, 1.0) * (1 + county.v_remoteness / 10)
    vi = rng.choice(len(v), n_gh, p=normalised(weights))
    glon, glat, gtid, _ = county.scatter(rng, vi, 0.9)
    kinds = rng.choice(["landslide", "debris_flow", "collapse", "subsidence"], n_gh, p=[0.55, 0.2, 0.2, 0.05])
    kind_zh = {"landslide": "滑坡", "debris_flow": "泥石流", "collapse": "崩塌", "subsidence": "地面塌陷"}
    gh = pd.DataFrame({
        "hazard_point_id": np.arange(1, n_gh + 1), "code": [f"DZ331126{i:04d}" for i in range(1, n_gh + 1)],
        "name": [f"{v['name'].iat[i]}{kind_zh[k]}隐患点" for i, k in zip(vi, kinds)],
        "kind": kinds, "risk_level": rng.choice([1, 2, 3, 4], n_gh, p=[0.05, 0.2, 0.4, 0.35]),
        "threatened_people": rng.integers(3, 260, n_gh), "township_id": gtid,
        "village_id": v["village_id"].to_numpy()[vi], "lon": glon, "lat": glat})
    load_layer(con, "geo_hazard_points", county_table(
        "geo_hazard_points", code=gh["code"], name=gh["name"], kind=gh["kind"], risk_level=gh["risk_level"],
        threatened_people=gh["threatened_people"], township=county.township_codes(gh["township_id"]),
        village=village_codes(gh["village_id"]), lon=gh["lon"], lat=gh["lat"]), ids=gh["hazard_point_id"])

    write_teams(con, county, rng)
    write_shelters(con, county, rng)
    return {"geo_hazard": gh, "sensors": sensors, "reservoirs": res}


def vname_of(v: pd.DataFrame, i: int) -> str:
    return str(v["name"].iat[i]).removesuffix("村").removesuffix("社区")


def _sensor_word(stype: str) -> str:
    return {"rain_gauge": "雨量站", "water_level": "水位站", "geo_monitor": "地灾监测点",
            "smoke_fire_ai": "烟火识别点"}[stype]
