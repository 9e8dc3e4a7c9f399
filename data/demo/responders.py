"""Who answers and where people go: linkage units, rescue teams and shelters."""
from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo import catalog as cat
from data.demo.common import county_table, load_layer, random_names, random_phones, update_by_code
from data.demo.places import County, near, township_of, village_codes


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
    load_layer(con, "linkage_units", county_table(
        "linkage_units", code=[f"LD{i:03d}" for i in units["unit_id"]], name=units["name"],
        level=units["linkage_level"], kind=units["kind"],
        township=[county.township_code[int(t)] if pd.notna(t) else None for t in units["township_id"]],
        phone=units["phone"], hazards=units["hazards"].map("、".join)), ids=units["unit_id"])
    return units


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
                     "specialty": spec,
                     "specialties": [spec, "mountain_search"] if spec != "mountain_search" else [spec],
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
    teams["leader_name"] = random_names(rng, len(teams))
    teams["leader_phone"] = random_phones(rng, len(teams))
    teams["code"] = [f"DW{i:03d}" for i in teams["team_id"]]
    load_layer(con, "rescue_teams", county_table(
        "rescue_teams", code=teams["code"], name=teams["name"], specialty=teams["specialty"].map(SPECIALTY_ZH),
        kind=teams["kind"], headcount=teams["headcount"], leader_name=teams["leader_name"],
        leader_phone=teams["leader_phone"], township=county.township_codes(teams["township_id"]), lon=teams["lon"],
        lat=teams["lat"]), ids=teams["team_id"])
    # A county's file names one specialty a team; the demo's teams have their others too.
    update_by_code(con, "rescue_teams", teams[["code", "specialties"]],
                   {"specialties": "CAST(e.specialties AS VARCHAR[])"})


# How a county's file writes a team's specialty (value_aliases team_specialty).
SPECIALTY_ZH = {"firefighting": "消防救援", "forest_firefighting": "森林消防", "medical": "医疗救护",
                "power_repair": "电力抢修", "road_clearance": "道路抢通", "geo_hazard": "地灾处置",
                "communications": "通信保障", "water_rescue": "水域救援", "mountain_search": "山地搜救"}


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
    sh.insert(1, "code", [f"BN{i:04d}" for i in sh["shelter_id"]])
    sh["township_id"] = township_of(county, sh["lon"].to_numpy(), sh["lat"].to_numpy())
    sh["village_id"] = pd.array(sh["village_id"], dtype="Int16")
    # Two village shelters are open today, housing people moved away from a geo-hazard point.
    sh["is_open"] = False
    sh["occupancy"] = 0
    open_idx = sh.index[sh["level"] == "village"][[3, 17]]
    sh.loc[open_idx, "is_open"] = True
    sh.loc[open_idx, "occupancy"] = np.minimum(sh.loc[open_idx, "capacity"], [12, 8])
    load_layer(con, "shelters", county_table(
        "shelters", code=sh["code"], name=sh["name"], capacity=sh["capacity"], setting=sh["setting"],
        level=sh["level"], township=county.township_codes(sh["township_id"]),
        village=[village_codes([i])[0] if pd.notna(i) else None for i in sh["village_id"]], lon=sh["lon"],
        lat=sh["lat"]), ids=sh["shelter_id"])
    update_by_code(con, "shelters", sh[["code", "purpose", "stay", "is_open", "occupancy"]])
