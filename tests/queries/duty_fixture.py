"""A tiny hand-made county for the duty-desk queries: an in-memory DuckDB with the real schema and a few rows."""
from __future__ import annotations

from datetime import datetime

from data import db

T0 = datetime(2026, 7, 1, 8, 0)


def tiny_db():
    con = db.connect(":memory:")
    db.create_schema(con)
    con.execute("""INSERT INTO townships (township_id, code, name, kind, pinyin, population, population_estimated,
                   seat_lon, seat_lat, seat_estimated, seat, boundary_approx, geom) VALUES
                   (1, '001', '松源街道', '街道', 'songyuan', 1000, true, 119.06, 27.61, false,
                   ST_Point(119.06, 27.61), true,
                   ST_GeomFromText('POLYGON((119 27.5, 119.1 27.5, 119.1 27.7, 119 27.7, 119 27.5))')),
                   (2, '002', '黄田镇', '镇', 'huangtian', 500, true, 119.2, 27.6, false,
                   ST_Point(119.2, 27.6), true,
                   ST_GeomFromText('POLYGON((119.1 27.5, 119.3 27.5, 119.3 27.7, 119.1 27.7, 119.1 27.5))'))""")
    con.execute("""INSERT INTO linkage_units (unit_id, code, name, kind, linkage_level, township_id, hazards, phone)
                   VALUES
                   (1, 'U1', '县应急管理局', 'department', 1, NULL, ['flood'], '0578-1'),
                   (2, 'U2', '黄田镇人民政府', 'township', 2, 2, ['flood'], '0578-2')""")
    return con


def add_incident(con, incident_id: int, received_at: datetime, severity: int = 2, closed_at: datetime | None = None,
                 flagged: bool = False, township_id: int = 1, channel: str = "police_110", hazard: str = "flood",
                 caller_name: str | None = None, caller_phone: str | None = None) -> None:
    status = "closed" if closed_at else "dispatched"
    con.execute("""INSERT INTO incidents (incident_id, channel, source_ref, category, hazard, severity, is_flagged,
                   status,
                   received_at, dispatched_at, closed_at, lon, lat, geom, location_precision, township_id, description,
                   caller_name, caller_phone)
                   VALUES (?, ?, ?, 'emergency', ?, ?, ?, ?, ?, ?, ?, 119.05, 27.6, ST_Point(119.05, 27.6), 'exact', ?,
                   ?, ?, ?)""",
                [incident_id, channel, f"REF{incident_id}", hazard, severity, flagged, status, received_at, received_at,
                 closed_at, township_id, f"测试事件{incident_id}", caller_name, caller_phone])


def add_report(con, report_id: int, incident_id: int, kind: str, seq: int, due_at: datetime,
               sent_at: datetime | None) -> None:
    con.execute("INSERT INTO info_reports (report_id, incident_id, kind, seq, due_at, sent_at, author, summary) "
                "VALUES (?, ?, ?, ?, ?, ?, '值班员', NULL)",
                [report_id, incident_id, kind, seq, due_at, sent_at])


def add_dispatch(con, dispatch_id: int, incident_id: int, unit_id: int, assigned_at: datetime, deadline_at: datetime,
                 accepted_at=None, arrived_at=None, feedback_at=None, callback_at=None) -> None:
    con.execute("INSERT INTO dispatches (dispatch_id, incident_id, unit_id, assigned_at, accepted_at, deadline_at, "
                "arrived_at, feedback_at, callback_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [dispatch_id, incident_id, unit_id, assigned_at, accepted_at, deadline_at, arrived_at, feedback_at,
                 callback_at])
