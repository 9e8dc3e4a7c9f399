"""A hand-built county of two square townships and four grid cells where every answer can be worked out by hand.

Township 1 spans lon 119.00-119.10, township 2 lon 119.10-119.20, both lat 27.60-27.70; each is split into a
south cell (lat < 27.65) and a north cell. At lat 27.64 0.01 degree of longitude is ~0.985 km and 0.01 degree
of latitude ~1.112 km. Incident 1 (a serious flood) lies at (119.05, 27.64) in cell 1."""
from __future__ import annotations

from datetime import datetime

from data import db

INCIDENT_LON, INCIDENT_LAT = 119.05, 27.64
AS_OF = datetime(2026, 7, 15, 12, 0)


def _square(lon0, lat0, lon1, lat1) -> str:
    return f"POLYGON(({lon0} {lat0}, {lon1} {lat0}, {lon1} {lat1}, {lon0} {lat1}, {lon0} {lat0}))"


def _incident(con, incident_id, hazard, received_at, cell, lon, lat, channel="police_110", severity=4,
              township=1, closed_at=None):
    status = "closed" if closed_at else "received"
    con.execute(
        "INSERT INTO incidents (incident_id, channel, source_ref, category, hazard, severity, status, received_at,"
        " closed_at, lon, lat, geom, location_precision, township_id, grid_cell_id)"
        " VALUES (?, ?, ?, 'emergency', ?, ?, ?, ?, ?, ?, ?, ST_Point(?, ?), 'exact', ?, ?)",
        [incident_id, channel, f"T{incident_id}", hazard, severity, status, received_at, closed_at, lon, lat,
         lon, lat, township, cell])


def build():
    con = db.connect(":memory:")
    db.create_schema(con)
    for tid, lon0, pop in ((1, 119.00, 1000), (2, 119.10, 2000)):
        con.execute(
            "INSERT INTO townships (township_id, code, name, kind, pinyin, population, population_estimated, seat_lon,"
            " seat_lat, seat_estimated, seat, boundary_approx, geom)"
            " VALUES (?, ?, ?, '乡', ?, ?, false, ?, 27.65, false, ST_Point(?, 27.65), true, ST_GeomFromText(?))",
            [tid, f"00{tid}", f"甲{tid}乡", f"jia{tid}", pop, lon0 + 0.05, lon0 + 0.05,
             _square(lon0, 27.60, lon0 + 0.10, 27.70)])
    # cells 1 (t1 south), 2 (t1 north), 3 (t2 south), 4 (t2 north); populations 100, 200, 400, 0
    for cell, tid, lon0, lat0, pop in ((1, 1, 119.00, 27.60, 100), (2, 1, 119.00, 27.65, 200),
                                       (3, 2, 119.10, 27.60, 400), (4, 2, 119.10, 27.65, 0)):
        con.execute("INSERT INTO grid_cells (grid_cell_id, code, township_id, name, population, geom)"
                    " VALUES (?, ?, ?, ?, ?, ST_GeomFromText(?))",
                    [cell, f"G{cell}", tid, f"网格{cell}", pop, _square(lon0, lat0, lon0 + 0.10, lat0 + 0.05)])
    con.execute("INSERT INTO grid_members (member_id, code, grid_cell_id, name, phone, role)"
                " VALUES (1, 'M1', 1, '王一', '13800000001', 'full_time'),"
                " (2, 'M2', 1, '李二', '13800000002', 'part_time'), (3, 'M3', 3, '张三', '13800000003', 'full_time')")
    villages = ((1, 1, "近村", 100, 119.05, 27.645), (2, 1, "中村", 200, 119.05, 27.66),
                (3, 2, "远村", 300, 119.15, 27.64))
    for vid, tid, name, pop, lon, lat in villages:
        con.execute("INSERT INTO villages (village_id, code, township_id, name, kind, population, lon, lat,"
                    " location_estimated, geom) VALUES (?, ?, ?, ?, 'village', ?, ?, ?, false, ST_Point(?, ?))",
                    [vid, f"V{vid}", tid, name, pop, lon, lat, lon, lat])
    teams = ((1, "水上一队", "water_rescue", ["water_rescue"], 30, 119.06, 27.64, 1),
             (2, "山地二队", "mountain_search", ["water_rescue", "mountain_search"], 40, 119.08, 27.64, 1),
             (3, "消防三队", "firefighting", ["firefighting"], 50, 119.055, 27.64, 1),
             (4, "医疗四队", "medical", ["medical"], 20, 119.15, 27.64, 2))
    for team_id, name, spec, specs, head, lon, lat, tid in teams:
        con.execute("INSERT INTO rescue_teams (team_id, code, name, kind, specialty, specialties, headcount,"
                    " leader_name, leader_phone, township_id, lon, lat, geom)"
                    " VALUES (?, ?, ?, 'technical', ?, ?, ?, '赵队长', '13900001111', ?, ?, ?, ST_Point(?, ?))",
                    [team_id, f"T{team_id}", name, spec, specs, head, tid, lon, lat, lon, lat])
    con.execute("INSERT INTO shelters (shelter_id, code, name, level, setting, purpose, stay, capacity, occupancy,"
                " is_open, township_id, village_id, lon, lat, geom)"
                " VALUES (1, 'S1', '近村避灾点', 'village', 'indoor', 'comprehensive', 'short_term', 100,"
                " 10, true, 1, 1, 119.051, 27.645, ST_Point(119.051, 27.645)),"
                " (2, 'S2', '远乡避灾点', 'township', 'indoor', 'comprehensive', 'short_term', 50, 0, false, 2, NULL,"
                " 119.19, 27.69, ST_Point(119.19, 27.69))")
    con.execute("INSERT INTO cameras (camera_id, code, name, kind, township_id, lon, lat, geom, online, last_seen_at)"
                " VALUES (1, 'C1', '近处摄像头', 'fixed', 1, 119.05, 27.642,"
                " ST_Point(119.05, 27.642), true, TIMESTAMP '2026-07-15 11:00'),"
                " (2, 'C2', '远处摄像头', 'dome', 1, 119.05, 27.66, ST_Point(119.05, 27.66), false,"
                " TIMESTAMP '2026-07-01 00:00')")
    # reservoir at the centre of cell 1; full to its flood-limit level before AS_OF, empty (dead level) after
    con.execute("INSERT INTO reservoirs (reservoir_id, code, name, scale, capacity_mcm, dead_level_m,"
                " flood_limit_level_m, normal_level_m, design_flood_level_m, check_flood_level_m, township_id, lon,"
                " lat, geom, is_generated, note)"
                " VALUES (1, 'R1', '甲水库', 'small_1', 1.0, 100, 120, 121, 122, 123, 1, 119.05,"
                " 27.625, ST_Point(119.05, 27.625), true, NULL)")
    con.execute("INSERT INTO reservoir_readings VALUES (1, TIMESTAMP '2026-07-14 08:00', 120, NULL, NULL),"
                " (1, TIMESTAMP '2026-07-16 08:00', 100, NULL, NULL)")
    # one risk-level-I geo-hazard point inside cell 3
    con.execute("INSERT INTO geo_hazard_points (hazard_point_id, code, name, kind, risk_level, threatened_people,"
                " township_id, village_id, lon, lat, geom)"
                " VALUES (1, 'GH1', '滑坡点', 'landslide', 1, 30, 2, 3, 119.15, 27.62,"
                " ST_Point(119.15, 27.62))")
    # the incident the decision aids are asked about
    _incident(con, 1, "flood", AS_OF, 1, INCIDENT_LON, INCIDENT_LAT, severity=2)
    # flood history: 3 in cell 1 and 1 in cell 2 on the same day a year earlier (season weight 1),
    # 1 in cell 3 half a year away (weight 0), 1 in cell 4 after AS_OF (must never count at AS_OF)
    for k in range(3):
        _incident(con, 10 + k, "flood", datetime(2025, 7, 15, 9 + k), 1, 119.04, 27.62,
                  closed_at=datetime(2025, 7, 15, 12 + k))
    _incident(con, 13, "flood", datetime(2025, 7, 15, 10), 2, 119.04, 27.67, closed_at=datetime(2025, 7, 15, 11))
    _incident(con, 14, "flood", datetime(2026, 1, 14, 10), 3, 119.15, 27.62, township=2)
    _incident(con, 15, "flood", datetime(2026, 7, 20, 10), 4, 119.15, 27.67, township=2)
    # alarms: one flood sensor alarm in cell 2 the day before AS_OF; one in cell 1 the day after
    _incident(con, 20, "flood", datetime(2026, 7, 14, 10), 2, 119.04, 27.67, channel="iot_sensor")
    _incident(con, 21, "flood", datetime(2026, 7, 16, 10), 1, 119.04, 27.62, channel="iot_sensor")
    # a forest fire in cell 4 the year before (does not count for flood)
    _incident(con, 30, "forest_fire", datetime(2025, 7, 15, 10), 4, 119.15, 27.67, township=2)
    db.create_indexes(con)
    return con
