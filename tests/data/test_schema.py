"""The schema rejects bad rows, and the CHECK lists agree with the code tables."""
import re
from datetime import datetime

import duckdb
import pytest

from data import db

GOOD_INCIDENT = dict(
    incident_id=1, channel="police_110", source_ref="QY110-1", category="emergency", hazard="flood", severity=3,
    is_flagged=False, status="dispatched", received_at=datetime(2026, 7, 15, 8, 0),
    dispatched_at=datetime(2026, 7, 15, 8, 5),
    on_scene_at=None, feedback_at=None, callback_at=None, closed_at=None, lon=119.06, lat=27.62,
    location_precision="exact", township_id=1)


@pytest.fixture()
def mem(memory_db):
    return memory_db


def insert_incident(con, **overrides):
    row = {**GOOD_INCIDENT, **overrides}
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"INSERT INTO incidents ({cols}, geom) VALUES ({marks}, ST_Point(?, ?))",
                list(row.values()) + [row["lon"], row["lat"]])


def test_a_good_incident_is_accepted(mem):
    insert_incident(mem)
    assert mem.execute("SELECT count(*) FROM incidents").fetchone()[0] == 1


@pytest.mark.parametrize("overrides", [
    {"channel": "fax"},                                   # unknown channel
    {"hazard": "meteor"},                                 # unknown hazard
    {"severity": 5}, {"severity": 0},                     # severity is I-IV
    {"status": "lost"},                                   # not in the lifecycle
    {"category": "urgent"},
    {"dispatched_at": datetime(2026, 7, 15, 7, 0)},       # dispatched before received
    {"status": "closed"},                                 # closed without closed_at
    {"closed_at": datetime(2026, 7, 16)},                 # closed_at on an open incident
    {"status": "on_scene", "on_scene_at": datetime(2026, 7, 15, 8, 1)},  # on scene before dispatch
    {"lon": 200.0},                                       # not on Earth
    {"location_precision": "guess"},
    {"received_at": None},
])
def test_bad_incident_rows_are_rejected(mem, overrides):
    with pytest.raises(duckdb.ConstraintException):
        insert_incident(mem, **overrides)


def test_duplicate_incident_id_is_rejected(mem):
    insert_incident(mem)
    with pytest.raises(duckdb.ConstraintException):
        insert_incident(mem, source_ref="other")


def insert_township(con):
    con.execute("INSERT INTO townships (township_id, code, name, kind, pinyin, population, population_estimated, "
                "seat_lon, seat_lat, seat_estimated, seat, boundary_approx, geom) VALUES "
                "(1,'001','松源街道','街道','Songyuan',1000,true,119.06,27.62,false,"
                "ST_Point(119.06,27.62),true,ST_GeomFromText('POLYGON((119 27.6,119.1 27.6,119.1 27.7,119 27.6))'))")


def test_reservoir_levels_must_be_in_order(mem):
    insert_township(mem)
    sql = ("INSERT INTO reservoirs (reservoir_id, code, name, scale, capacity_mcm, dead_level_m, flood_limit_level_m, "
           "normal_level_m, design_flood_level_m, check_flood_level_m, township_id, lon, lat, geom, is_generated, "
           "note) VALUES (1,'SK001','甲水库','medium',10,?,?,?,?,?,1,119.05,27.62,ST_Point(119.05,27.62),true,NULL)")
    mem.execute(sql, [300, 338, 340, 342, 344])
    with pytest.raises(duckdb.ConstraintException):  # flood-limit above normal level
        mem.execute(sql.replace("(1,'SK001','甲", "(2,'SK002','乙"), [300, 341, 340, 342, 344])


def test_shelter_occupancy_cannot_exceed_capacity(mem):
    insert_township(mem)
    sql = ("INSERT INTO shelters (shelter_id, code, name, level, setting, purpose, stay, capacity, occupancy, "
           "is_open, township_id, lon, lat, geom) VALUES (?, ?, 'x', 'village', 'indoor', 'single', "
           "'emergency', 50, ?, ?, 1, 119.05, 27.62, ST_Point(119.05, 27.62))")
    mem.execute(sql, [1, "BN1", 50, True])
    with pytest.raises(duckdb.ConstraintException):
        mem.execute(sql, [2, "BN2", 51, True])
    with pytest.raises(duckdb.ConstraintException):
        mem.execute(sql, [3, "BN3", 5, False])  # people in a closed shelter


def _check_list(schema: str, table: str, column: str) -> set[str]:
    body = schema[schema.index(f"CREATE TABLE {table} ("):]
    match = re.search(rf"{column} VARCHAR NOT NULL CHECK \({column} IN \(([^)]*)\)\)", body)
    return set(re.findall(r"'([^']+)'", match.group(1)))


@pytest.mark.parametrize("table,column,code_table", [
    ("incidents", "channel", "channels"), ("incidents", "hazard", "hazard_types"),
    ("incidents", "status", "incident_statuses"), ("info_reports", "kind", "report_kinds"),
    ("sensors", "sensor_type", "sensor_types"),
])
def test_check_lists_equal_the_code_tables(mem, table, column, code_table):
    schema = db.SCHEMA_SQL.read_text(encoding="utf-8")
    codes = {r[0] for r in mem.execute(f"SELECT code FROM {code_table}").fetchall()}
    assert _check_list(schema, table, column) == codes


def test_every_table_and_incident_person_column_has_a_comment(mem):
    uncommented = mem.execute("SELECT table_name FROM duckdb_tables() WHERE comment IS NULL").fetchall()
    code_tables = {"channels", "incident_classes", "hazard_types", "severity_levels", "warning_levels",
                   "fire_danger_levels", "incident_statuses", "linkage_levels", "report_kinds", "report_rules",
                   "dispatch_time_limits", "team_specialties", "sensor_types", "duty_seats"}
    missing = {r[0] for r in uncommented} - code_tables
    assert not missing, f"tables without a comment: {missing}"
    comments = dict(mem.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE table_name='incidents'").fetchall())
    assert "PIPL" in comments["caller_name"] and "PIPL" in comments["caller_phone"]


def test_spatial_loads_from_the_package_without_network():
    path = db.spatial_extension_path()
    assert path.exists() and path.name == "spatial.duckdb_extension"
    con = db.connect(":memory:")
    settings = dict(con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name LIKE 'auto%extensions'").fetchall())
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    assert con.execute("SELECT ST_AsText(ST_Point(119, 27))").fetchone()[0] == "POINT (119 27)"


def test_masks_hide_personal_data(mem):
    assert mem.execute("SELECT mask_name('张伟'), mask_phone('13857801234')").fetchone() == ("张*", "138****1234")


@pytest.mark.parametrize("section,table", [("accounts", "audit_log"), ("ingest", "events"),
                                           ("roster_history", "duty_roster_history")])
def test_later_sections_can_be_added_to_an_older_database(mem, section, table):
    """A database built before a section existed gets exactly that section, and running it twice is harmless."""
    mem.execute(f"DROP TABLE {table}")
    db.ensure_section(mem, section)
    db.ensure_section(mem, section)
    assert mem.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [table]).fetchone()[0] == 1


def test_an_unknown_schema_section_is_an_error():
    with pytest.raises(ValueError):
        db.schema_section("no_such_section")
