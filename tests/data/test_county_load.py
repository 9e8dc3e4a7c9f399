"""python -m data.county on the second county's files (tests/packs/ebian): formats, coordinate systems, the row
accounting, quarantine reasons, upserts with history, and the CLI contract other tools call."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import shapely

from data import db
from data.county import check, init
from data.county.load import MappingError, load
from data.county.read import ReadError
from tests.conftest import PACK_DIR

EXPECTED = json.loads((PACK_DIR / "expected.json").read_text(encoding="utf-8"))
MANIFEST = json.loads((PACK_DIR / "pack.json").read_text(encoding="utf-8"))
ROOT = PACK_DIR.parent.parent.parent


def _expected_key(step: dict) -> str:
    return step["file"] + (f"#{step['sheet']}" if step.get("sheet") else "")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The pack loaded step by step, each step's result kept (the same calls data.county.pack makes)."""
    out = tmp_path_factory.mktemp("county") / "ebian.duckdb"
    c = MANIFEST["county"]
    init(out, c["code"], c["name_zh"], c["name_en"], PACK_DIR / c["boundary"])
    con = db.connect(out)
    results = {}
    for step in MANIFEST["loads"]:
        results[_expected_key(step)] = load(con, step["layer"], PACK_DIR / step["file"], crs=step.get("crs"),
                                            sheet=step.get("sheet"))
    yield con, results
    con.close()


@pytest.fixture()
def county(built, tmp_path):
    """A private copy of the loaded county to change."""
    con, _ = built
    con.execute("CHECKPOINT")
    path = tmp_path / "copy.duckdb"
    shutil.copy(con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchone()[0], path)
    return path


def test_the_pack_uses_at_least_three_formats_and_three_coordinate_systems():
    formats = {step["file"].rsplit(".", 1)[1] for step in MANIFEST["loads"]}
    systems = {EXPECTED[_expected_key(s)]["crs"].split(" ")[0] for s in MANIFEST["loads"]}
    assert {"zip", "gpkg", "csv", "xlsx", "kml", "geojson"} <= formats
    assert {"EPSG:4543", "EPSG:4490", "GCJ-02", "BD-09"} <= systems


@pytest.mark.parametrize("key", [_expected_key(s) for s in MANIFEST["loads"]])
def test_every_file_loads_with_the_expected_counts_and_reasons(built, key):
    _, results = built
    result, want = results[key], EXPECTED[key]
    assert (result.rows_in, result.stored, result.quarantined, result.reasons) == (
        want["rows_in"], want["stored"], want["quarantined"], want["reasons"])
    assert result.stored + result.updated + result.unchanged + result.quarantined == result.rows_in


def test_quarantined_rows_keep_their_row_number_reason_and_source_record(built):
    con, results = built
    load_id = results["grid_cells.gpkg"].load_id
    rows = con.execute("SELECT row_no, reason, record FROM county_quarantine WHERE load_id = ? ORDER BY row_no",
                       [load_id]).fetchall()
    want = {int(k): v for k, v in EXPECTED["grid_cells.gpkg"]["bad_rows"].items()}
    assert {r[0]: r[1] for r in rows} == want
    assert all(json.loads(r[2]) for r in rows)


def test_rows_land_in_the_tables_the_pages_read_in_wgs84(built):
    con, _ = built
    bounds = con.execute("SELECT min_lon, min_lat, max_lon, max_lat FROM county").fetchone()
    assert 102.9 < bounds[0] < bounds[2] < 103.7 and 28.9 < bounds[1] < bounds[3] < 29.6
    for table in ("villages", "cameras", "shelters", "rescue_teams", "reservoirs", "geo_hazard_points", "sensors"):
        outside = con.execute(f"""SELECT count(*) FROM {table} x, county c
            WHERE NOT ST_Within(x.geom, ST_Buffer(c.geom, 0.001)) OR abs(ST_X(x.geom) - x.lon) > 1e-9""").fetchone()[0]
        assert outside == 0, table
    # the Shapefile in Gauss-Kruger metres became lon/lat polygons tiling the county
    area = con.execute("SELECT sum(ST_Area(geom)) / (SELECT ST_Area(geom) FROM county) FROM townships").fetchone()[0]
    assert area == pytest.approx(1.0, abs=0.005)


def test_department_codes_of_any_length_are_kept(built):
    con, _ = built
    assert con.execute("SELECT min(length(code)) FROM cameras").fetchone()[0] == 20  # GB/T 28181
    assert con.execute("SELECT min(length(code)) FROM townships").fetchone()[0] == 9


def test_a_web_map_position_is_converted_to_wgs84(built):
    """GCJ-02 (villages) and BD-09 (cameras) are offset by hundreds of metres: stored positions must be the
    generator's WGS84 ones, inside the township the row names."""
    con, _ = built
    wrong = con.execute("""SELECT count(*) FROM cameras c JOIN townships t USING (township_id)
                           WHERE NOT ST_Within(c.geom, t.geom)""").fetchone()[0]
    assert wrong == 0


def test_a_swapped_point_is_swapped_back_and_says_so(built):
    con, _ = built
    notes = con.execute("SELECT name, load_note FROM villages WHERE load_note LIKE '%lon_lat_swapped%'").fetchall()
    assert len(notes) == 1


def test_a_value_outside_the_code_table_is_stored_as_other_with_the_raw_value(built):
    con, _ = built
    rows = con.execute("SELECT kind, unmapped FROM geo_hazard_points WHERE unmapped IS NOT NULL").fetchall()
    assert rows == [("other", json.dumps({"kind": "不稳定斜坡"}, ensure_ascii=False))]
    team = con.execute("SELECT specialty FROM rescue_teams WHERE unmapped LIKE '%民兵应急%'").fetchall()
    assert team == [("other",)]


def test_reloading_the_same_file_changes_nothing(county):
    con = db.connect(county)
    version = db.data_version(con)
    result = load(con, "villages", PACK_DIR / "villages.csv", crs="gcj02")
    assert (result.stored, result.updated, result.quarantined) == (0, 0, 3)
    assert result.unchanged == 60 and db.data_version(con) == version
    assert con.execute("SELECT count(*) FROM reference_history").fetchone()[0] == 0


def test_a_changed_row_is_updated_and_its_old_version_kept(county):
    con = db.connect(county)
    before = dict(con.execute("SELECT code, name FROM villages").fetchall())
    result = load(con, "villages", PACK_DIR / "villages_changed.csv", crs="gcj02")
    want = EXPECTED["villages_changed.csv"]
    assert (result.stored, result.updated, result.unchanged) == (want["stored"], want["updated"], want["unchanged"])
    history = con.execute("SELECT code, old_record FROM reference_history WHERE layer = 'villages'").fetchall()
    assert len(history) == want["updated"]
    after = dict(con.execute("SELECT code, name FROM villages").fetchall())
    for code, old in history:
        assert json.loads(old)["name"] == before[code]
        assert json.loads(old)["geom"].startswith("POINT")
    renamed = [code for code in before if before[code] != after[code]]
    assert renamed and set(renamed) <= {code for code, _ in history}


def test_a_projected_file_without_a_crs_is_refused_not_guessed(county):
    con = db.connect(county)
    with pytest.raises(ReadError) as err:
        load(con, "villages", PACK_DIR / "villages_noheader_crs.csv")
    assert err.value.key == "crs_needed"
    result = load(con, "villages", PACK_DIR / "villages_noheader_crs.csv", crs="EPSG:4543")
    assert result.quarantined == 0


def test_a_crs_that_contradicts_the_file_names_both(county):
    con = db.connect(county)
    with pytest.raises(ReadError) as err:
        load(con, "townships", PACK_DIR / "townships.zip", crs="EPSG:4549")
    assert err.value.key == "crs_conflict"
    assert (err.value.values["declared"], err.value.values["given"]) == ("EPSG:4543", "EPSG:4549")


def test_headers_match_case_insensitively_after_trimming_and_unknown_ones_map_with_map(county, tmp_path):
    con = db.connect(county)
    town = con.execute("SELECT name, seat_lon, seat_lat FROM townships LIMIT 1").fetchone()
    path = tmp_path / "depots.csv"
    pd.DataFrame({" NAME ": ["甲仓库"], "Code": ["CK-X1"], "LON": [town[1]], "Lat": [town[2]],
                  "保管员": ["钱八"]}).to_csv(path, index=False)
    result = load(con, "warehouses", path, mapping={"保管员": "manager_name"})
    assert result.stored == 1
    assert con.execute("SELECT manager_name FROM warehouses WHERE code = 'CK-X1'").fetchone()[0] == "钱八"


def test_a_missing_required_column_lists_the_columns_found(county, tmp_path):
    con = db.connect(county)
    path = tmp_path / "teams.csv"
    teams = pd.DataFrame({"队伍名称": ["甲队"], "队伍编码": ["D1"], "经度": [103.26], "纬度": [29.23]})
    teams.to_csv(path, index=False)
    with pytest.raises(MappingError) as err:
        load(con, "rescue_teams", path)
    assert err.value.key == "missing_columns"
    assert "headcount" in err.value.values["fields"] and "队伍名称" in err.value.values["found"]


def test_check_reports_what_the_county_lacks_in_both_languages(built):
    con, _ = built
    report = check.run(con, "zh-CN")
    keys = {f["key"]: f for f in report["findings"]}
    assert float(keys["grid_coverage"]["values"]["percent"]) > 99.5
    assert keys["reservoirs_without_flood_limit"]["values"]["count"] == 2
    assert {f["values"]["value"] for f in report["findings"] if f["key"] == "unmapped_value"} >= {
        "热成像", "不稳定斜坡", "民兵应急"}
    assert "河流" in check.as_text(report, "zh-CN")  # no rivers loaded: said, not failed
    english = check.as_text(check.run(con, "en"), "en")
    assert "flood-limit" in english and "庆元" not in english


def test_check_finds_overlapping_and_missing_grid_cells(tmp_path):
    square = shapely.box(103.0, 29.0, 103.2, 29.2)
    boundary = tmp_path / "b.geojson"
    boundary.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(square)}]}))
    init(tmp_path / "c.duckdb", "999999", "测试县", None, boundary)
    con = db.connect(tmp_path / "c.duckdb")
    towns = tmp_path / "t.geojson"
    towns.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"名称": "甲乡", "代码": "999999100"},
         "geometry": shapely.geometry.mapping(square)}]}))
    load(con, "townships", towns)
    cells = tmp_path / "g.geojson"
    cells.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"网格名称": n, "网格编码": n, "所属乡镇": "甲乡"},
         "geometry": shapely.geometry.mapping(g)} for n, g in (
            ("G1", shapely.box(103.0, 29.0, 103.12, 29.2)), ("G2", shapely.box(103.1, 29.0, 103.15, 29.2)))]}))
    load(con, "grid_cells", cells)
    keys = {f["key"]: f["values"] for f in check.run(con, "en")["findings"]}
    assert keys["grid_overlaps"]["count"] == 1 and {keys["grid_overlaps"]["first"], keys["grid_overlaps"]["second"]} \
        == {"G1", "G2"}
    assert keys["grid_gaps"]["count"] == 1 and float(keys["grid_gaps"]["km2"]) > 50
    assert float(keys["grid_coverage"]["percent"]) == pytest.approx(75.0, abs=0.5)


def test_incidents_are_placed_by_the_loaded_polygons(county, tmp_path):
    """An import into the second county lands in its own grid cells and townships (the raster is cut from them)."""
    con = db.connect(county)
    code, lon, lat, township = con.execute("""SELECT g.code, ST_X(ST_PointOnSurface(g.geom)),
        ST_Y(ST_PointOnSurface(g.geom)), t.name FROM grid_cells g JOIN townships t USING (township_id)
        ORDER BY g.code LIMIT 1""").fetchone()
    con.close()
    export = tmp_path / "110.csv"
    export.write_text("接警单编号,报警时间,报警人姓名,报警电话,事发地址,经度,纬度,警情类别,警情级别,管辖单位,简要警情\n"
                      f"EB110-1,2026-11-25 09:43:10,张伟,13857801234,{township},{lon:.6f},{lat:.6f},"
                      "火灾,一般,派出所,起火\n",
                      encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "data.ingest", "--db", str(county), "--source", "110", str(export),
                          "--json"], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(out.stdout.splitlines()[-1])["stored"] == 1
    con = db.connect(county, read_only=True)
    placed = con.execute("""SELECT g.code, t.name FROM incidents i JOIN grid_cells g USING (grid_cell_id)
                            JOIN townships t ON t.township_id = i.township_id""").fetchall()
    assert placed == [(code, township)]


def test_cli_contract_prints_json_last_and_exits_by_whether_it_read_the_file(county, tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "data.county", *args], capture_output=True, text=True,
                              cwd=ROOT)
    ok = run("load", "--db", str(county), "--layer", "shelters", str(PACK_DIR / "shelters.kml"), "--json")
    assert ok.returncode == 0
    summary = json.loads(ok.stdout.strip().splitlines()[-1])
    assert set(summary) == {"layer", "rows_in", "stored", "updated", "unchanged", "quarantined", "reasons"}
    assert summary["unchanged"] == 14 and summary["quarantined"] == 1
    refused = run("load", "--db", str(county), "--layer", "villages", str(PACK_DIR / "villages_noheader_crs.csv"))
    assert refused.returncode == 2 and "--crs" in refused.stderr and "Traceback" not in refused.stderr
    english = run("--lang", "en", "load", "--db", str(county), "--layer", "villages",
                  str(PACK_DIR / "villages_noheader_crs.csv"))
    assert "states no coordinate system" in english.stderr
    checked = run("check", "--db", str(county), "--json")
    assert checked.returncode == 0 and json.loads(checked.stdout)["county"]["code"] == "511132"
    again = run("init", "--db", str(county), "--code", "1", "--name", "x", "--boundary",
                str(PACK_DIR / "boundary.geojson"))
    assert again.returncode == 2 and "峨边" in again.stderr


def test_reservoir_levels_out_of_order_are_quarantined_not_a_crash(county, tmp_path):
    con = db.connect(county)
    town = con.execute("SELECT name, seat_lon, seat_lat FROM townships LIMIT 1").fetchone()
    path = tmp_path / "res.csv"
    pd.DataFrame({"水库名称": ["甲水库", "乙水库"], "水库编码": ["R-A", "R-B"], "汛限水位": [620.0, 618.0],
                  "正常蓄水位": [619.0, None], "校核洪水位": [None, 617.0], "所属乡镇": [town[0]] * 2,
                  "经度": [town[1]] * 2, "纬度": [town[2]] * 2}).to_csv(path, index=False)
    result = load(con, "reservoirs", path)
    assert (result.stored, result.reasons) == (0, {"levels_out_of_order": 2})
