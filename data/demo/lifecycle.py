"""One generated month's calls made into incidents: where exactly, how severe, which unit, and when each step
of received -> dispatched -> on scene -> feedback -> callback -> closed happened (up to now)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo import catalog as cat
from data.demo.common import random_names, random_phones
from data.demo.places import distance_km


def complete_incidents(county, units, sensors, inc, rng, now, first_id) -> pd.DataFrame:
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
            device[pick] = pool["code"].to_numpy()[j]
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
    t_dispatch = recv + minutes(np.where(emergency, rng.lognormal(np.log(4), 0.5, n),
                                         rng.lognormal(np.log(25), 0.6, n)))
    travel_min = (5 + 1.1 * travel_km) * speed * rng.lognormal(0, 0.35, n)
    t_scene = t_dispatch + minutes(np.where(emergency, travel_min, travel_min * 6 + rng.exponential(120, n)))
    t_feedback = t_scene + minutes(np.where(emergency, rng.lognormal(np.log(90), 0.6, n),
                                            rng.lognormal(np.log(300), 0.8, n)))
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
    names, phones = random_names(rng, n), random_phones(rng, n)
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
