"""views/county_data.py without Streamlit: the column mapping the page previews, the load from an upload's bytes
and file name (what the page does when Load is pressed), the result, the quarantine CSV, recent loads and the
check report, in both languages, on a small county built here."""
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import i18n
from data import db
from data.county import init, templates
from data.county.load import load
from views import county_data as cd

LON, LAT = 103.262, 29.230


def _square(half: float) -> list:
    return [[[LON - half, LAT - half], [LON + half, LAT - half], [LON + half, LAT + half], [LON - half, LAT + half],
             [LON - half, LAT - half]]]


def _geojson(path, props: dict, coordinates) -> str:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": coordinates}}]},
        ensure_ascii=False), encoding="utf-8")
    return str(path)


def _xlsx(frame: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.to_excel(out, index=False)
    return out.getvalue()


CAMERAS = pd.DataFrame({"设备编码": ["C1", "C2", "C3", "C4"], "设备名称": ["沙坪大桥", "沙坪场镇", "县外", None],
                        "类型": ["球机", "红外", "枪机", "球机"], "经度": [103.26, 103.27, 110.0, 103.26],
                        "纬度": [29.23, 29.24, 29.2, 29.23]})


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county_view")
    path = folder / "county.duckdb"
    init(path, "511132", "峨边彝族自治县", None, _geojson(folder / "boundary.geojson", {"n": "县"}, _square(0.06)))
    con = db.connect(path)
    load(con, "townships", _geojson(folder / "towns.geojson", {"乡镇代码": "511132100", "乡镇名称": "沙坪镇"},
                                    _square(0.03)))
    yield con
    con.close()


# ---------------------------------------------------------------- mapping preview

def test_a_template_maps_every_field_by_itself():
    columns = templates.headers(cd.LAYERS["cameras"])
    p = cd.plan("cameras", columns, has_geometry=False)
    assert p.ready and set(p.status.values()) == {"found"}
    assert p.mapping == {f.name: f.headers[0] for f in cd.LAYERS["cameras"].fields}


def test_a_missing_required_column_is_flagged_and_a_choice_fixes_it():
    columns = ["设备编码", "点位", "经度", "纬度", "备注"]
    p = cd.plan("cameras", columns, has_geometry=False)
    assert p.status["name"] == "required_missing" and not p.ready
    assert p.status["stream_ref"] == "missing", "an optional field not found is only missing"
    chosen = cd.plan("cameras", columns, False, {"name": "点位"})
    assert chosen.ready and chosen.status["name"] == "chosen" and chosen.overrides["点位"] == "name"


def test_lon_lat_are_required_only_when_the_file_has_no_points():
    columns = ["设备编码", "设备名称"]
    assert cd.plan("cameras", columns, has_geometry=False).missing_required == ["lon", "lat"]
    assert cd.plan("cameras", columns, has_geometry=True).ready


def test_one_column_for_two_fields_and_shapes_from_a_table_are_refused():
    p = cd.plan("cameras", ["设备编码", "设备名称", "经度", "纬度"], False, {"name": "设备编码"})
    assert p.duplicates == {"设备编码": ["code", "name"]} and not p.ready
    assert cd.plan("townships", ["乡镇代码", "乡镇名称"], has_geometry=False).needs_geometry


def test_the_mapping_table_names_fields_in_the_users_language():
    head = pd.DataFrame({"设备编码": ["C1"], "点位": ["沙坪大桥"], "经度": ["103.26"], "纬度": ["29.23"]})
    upload = cd.Upload("c.xlsx", list(head.columns), head, 1, False, {}, None)
    p = cd.plan("cameras", upload.columns, False)
    zh = cd.mapping_table(p, upload, "zh-CN")
    assert list(zh.columns) == ["field", "required", "column", "status", "sample"]
    assert zh.loc[zh["field"] == "设备名称", "status"].item() == "required_missing"
    assert zh.loc[zh["field"] == "设备编码", "sample"].item() == "C1"
    en = cd.mapping_table(p, upload, "en")
    assert en.loc[en["header"] == "设备名称", "field"].item() == "Name"
    assert set(cd.mapping_headers("zh-CN").values()) <= set(i18n.strings("zh-CN").values())


def test_crs_choices():
    assert cd.crs_text("file") is None and cd.crs_text("gcj02") == "gcj02"
    assert cd.crs_text("epsg", " 4549 ") == "EPSG:4549" and cd.crs_text("epsg", "") is None


# ---------------------------------------------------------------- the load

def test_inspect_reads_the_upload_for_its_preview():
    upload = cd.inspect_upload(_xlsx(CAMERAS), "cameras.xlsx")
    assert upload.columns == list(CAMERAS.columns) and upload.rows == 4 and not upload.has_geometry
    assert cd.excel_sheets(_xlsx(CAMERAS)) == ["Sheet1"]


def test_loading_an_upload_accounts_for_every_row(county):
    outcome = cd.load_upload(county, "cameras", _xlsx(CAMERAS), "监控点位.xlsx", username="admin", role="admin")
    assert outcome.ok, outcome.error_key
    r = outcome.result
    assert (r.rows_in, r.stored, r.quarantined) == (4, 2, 2)
    assert r.reasons == {"outside_county": 1, "missing_field": 1}
    row = county.execute("SELECT via, loaded_by, file_name FROM county_loads WHERE load_id = ?", [r.load_id]).fetchone()
    assert row == ("page", "admin", "监控点位.xlsx")
    summary = cd.result_summary(r, "zh-CN")
    assert summary["metrics"] == [("读入", 4), ("新增", 2), ("更新", 0), ("未变", 0), ("隔离", 2)]
    assert set(summary["reasons"]["原因"]) == {i18n.translate("county.reason.outside_county"),
                                              i18n.translate("county.reason.missing_field")}
    assert cd.result_summary(r, "en")["metrics"][1] == ("New", 2)
    table = cd.quarantine_table(outcome.quarantine, "cameras", "zh-CN")
    assert list(table.columns[:4]) == ["行号", "原因", "字段", "错误值"]
    assert table["行号"].tolist() == [3, 4] and table["字段"].tolist() == ["图形", "设备名称"]
    assert table["设备编码"].tolist() == ["C3", "C4"], "the row as the file had it, to fix and load again"
    csv = cd.quarantine_csv(table)
    assert csv.startswith(b"\xef\xbb\xbf") and "位置在县域边界之外" in csv.decode("utf-8-sig")
    again = cd.load_upload(county, "cameras", _xlsx(CAMERAS), "监控点位.xlsx")
    assert (again.result.stored, again.result.unchanged, again.result.quarantined) == (0, 2, 2)


def test_a_load_leaves_nothing_in_the_write_ahead_log(county):
    """R-tree rows left in the log break the next start of the app (see views.county_data._checkpoint)."""
    cd.load_upload(county, "cameras", _xlsx(CAMERAS.assign(设备编码=["W1", "W2", "W3", "W4"])), "wal.xlsx")
    path = county.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    wal = Path(path + ".wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_field_set_to_not_used_is_not_loaded(county):
    outcome = cd.load_upload(county, "cameras", _xlsx(CAMERAS.iloc[:1]), "one.xlsx", chosen={"kind": None})
    assert outcome.ok and outcome.result.updated == 1
    assert county.execute("SELECT kind FROM cameras WHERE code = 'C1'").fetchone()[0] == "other"
    cd.load_upload(county, "cameras", _xlsx(CAMERAS.iloc[:1]), "one.xlsx")
    assert county.execute("SELECT kind FROM cameras WHERE code = 'C1'").fetchone()[0] == "dome"


def test_a_chosen_column_and_a_chosen_crs_reach_the_loader(county):
    frame = pd.DataFrame({"编号": ["G1"], "点位": ["高德坐标"], "x坐标": [LON + 0.005], "y坐标": [LAT + 0.003]})
    chosen = {"code": "编号", "name": "点位", "lon": "x坐标", "lat": "y坐标"}
    outcome = cd.load_upload(county, "cameras", _xlsx(frame), "gcj.xlsx", crs=cd.crs_text("gcj02"), chosen=chosen)
    assert outcome.ok and outcome.result.stored == 1 and outcome.result.crs == "GCJ-02"
    lon = county.execute("SELECT lon FROM cameras WHERE code = 'G1'").fetchone()[0]
    assert abs(lon - (LON + 0.005)) > 1e-4, "moved from GCJ-02 to WGS84"


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_errors_come_back_as_text_in_the_users_language(county, lang):
    broken = cd.load_upload(county, "cameras", b"not a workbook", "x.xlsx")
    assert not broken.ok and broken.error_key == "unreadable"
    assert "x.xlsx" in cd.outcome_error(broken, lang)
    projected = "设备编码,设备名称,x,y\nP1,p,500000,3230000\n".encode()
    needs = cd.load_upload(county, "cameras", projected, "p.csv")
    assert needs.error_key == "crs_needed" and "--crs" not in cd.outcome_error(needs, lang)
    shapes = cd.load_upload(county, "townships", _xlsx(CAMERAS), "c.xlsx")
    text = cd.outcome_error(shapes, lang)
    assert shapes.error_key == "needs_geometry" and cd.layer_label("townships", lang) in text
    sheet = cd.load_upload(county, "cameras", _xlsx(CAMERAS), "c.xlsx", sheet="没有")
    assert sheet.error_key == "unknown_sheet"
    missing = cd.error_text("missing_columns", {"fields": "name, lon", "found": "编码"}, "cameras", lang)
    assert ("设备名称" if lang == "zh-CN" else "Name") in missing and "--map" not in missing


def test_the_page_errors_never_name_a_command_line_flag():
    for lang in i18n.LANGUAGES:
        for key, text in i18n.strings(lang).items():
            if key.startswith("county.page_error."):
                assert "--" not in text, key


# ---------------------------------------------------------------- below the form

@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_recent_loads_and_the_check_report(county, lang):
    cd.load_upload(county, "cameras", _xlsx(CAMERAS), "监控点位.xlsx", username="admin", role="admin")
    recent = cd.recent_loads(county, lang)
    assert recent.iloc[0][i18n.translate("county.page.via", lang)] == i18n.translate("county.page.via_page", lang)
    assert recent.iloc[0][i18n.translate("county.page.layer", lang)] == cd.layer_label("cameras", lang)
    report = cd.check_report(county, lang)
    assert "511132" in report["county"]
    severities = [f[0] for f in report["findings"]]
    assert severities == sorted(severities, key=["missing", "warning", "info"].index), "the missing first"
    unmapped = [text for _, _, text in report["findings"] if "红外" in text]
    assert unmapped and ("“类型”" if lang == "zh-CN" else "Kind") in unmapped[0]
    if lang == "zh-CN":
        assert "value_aliases" not in unmapped[0] and "kind" not in unmapped[0]
