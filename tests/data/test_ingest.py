"""Ingest: every kind of bad input ends stored, quarantined with its reason, or already present, and the
accounting is exact (rows in = stored + quarantined + already present), checked against the database too."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from data import db
from data.clock import now_cst
from data.ingest import export, import_file, records, reimport_quarantined

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ROOT / "data" / "formats"
HEADER_110 = "接警单编号,报警时间,报警人姓名,报警电话,事发地址,经度,纬度,警情类别,警情级别,管辖单位,简要警情"


@pytest.fixture()
def dbfile(db_copy) -> Path:
    return db_copy("ingest")


@pytest.fixture()
def wcon(dbfile):
    con = db.connect(dbfile)
    yield con
    con.close()


def _ts(minutes_ago: int = 60) -> str:
    return (now_cst() - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%d %H:%M:%S")


def _row(ref: str, lon="119.0612", lat="27.6198", hazard="火灾", when=None, desc="居民楼起火", level="一般") -> str:
    return (f"{ref},{_ts() if when is None else when},张伟,13857801234,庆元县松源街道石龙社区人民路18号,{lon},{lat},"
            f"{hazard},{level},松源派出所,{desc}")


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _counts(con) -> tuple[int, int]:
    return (con.execute("SELECT count(*) FROM incidents").fetchone()[0],
            con.execute("SELECT count(*) FROM quarantine").fetchone()[0])


def _run(con, path, source="110", **expect):
    """Import and check the accounting both in the result and in the database."""
    before = _counts(con)
    res = import_file(con, path, source)
    assert res.error is None, res.error
    got = {k: getattr(res, k) for k in expect}
    assert got == expect, res.as_dict()
    assert res.rows_in == res.stored + res.quarantined + res.already_present
    after = _counts(con)
    if source != "reservoir":
        assert after[0] - before[0] == res.stored
    assert after[1] - before[1] == res.quarantined
    return res


def _reasons(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT reason FROM quarantine ORDER BY quarantine_id").fetchall()]


# ------------------------------------------------------------------ the samples of every source
@pytest.mark.parametrize("source,name,rows", [
    ("110", "110_calls.sample.csv", 3), ("96345", "96345_hotline.sample.csv", 2),
    ("city", "city_management.sample.csv", 2), ("grid", "grid_reports.sample.json", 2),
    ("sensor", "sensor_alarms.sample.jsonl", 4), ("reservoir", "reservoir_levels.sample.csv", 2)])
def test_every_sample_export_is_stored_whole(wcon, source, name, rows):
    res = _run(wcon, FORMATS / name, source, rows_in=rows, quarantined=0)
    assert res.stored + res.already_present == rows


def test_sample_placement_precision_and_conversion(wcon):
    for source, name in [("110", "110_calls.sample.csv"), ("grid", "grid_reports.sample.json"),
                         ("city", "city_management.sample.csv")]:
        import_file(wcon, FORMATS / name, source)
    rows = dict(wcon.execute("""SELECT source_ref, location_precision FROM incidents
                                WHERE source_ref IN ('QY110-20260716-000031', 'WG-331126-20260715-0032',
                                                     'WG-331126-20260715-0031', 'CG20260715-0451')""").fetchall())
    assert rows == {"QY110-20260716-000031": "township", "WG-331126-20260715-0032": "village",
                    "WG-331126-20260715-0031": "exact", "CG20260715-0451": "exact"}
    # BD-09 input stored as WGS84: about 1 km south-west of the Baidu numbers
    lon, lat = wcon.execute("SELECT lon, lat FROM incidents WHERE source_ref = 'WG-331126-20260715-0031'").fetchone()
    assert 119.240 < lon < 119.245 and 27.553 < lat < 27.557
    # grid time 16:20:11+08:00 stays 16:20:11 CST
    t = wcon.execute("SELECT received_at FROM incidents WHERE source_ref = 'WG-331126-20260715-0031'").fetchone()[0]
    assert t.strftime("%H:%M:%S") == "16:20:11"
    # township, grid cell and village assigned at ingest, consistent with each other
    bad = wcon.execute("""SELECT count(*) FROM incidents i JOIN grid_cells g USING (grid_cell_id)
                          WHERE i.source_ref LIKE 'CG2026%' AND g.township_id <> i.township_id""").fetchone()[0]
    assert bad == 0


# ------------------------------------------------------------------ adversarial inputs (each exact)
def test_gbk_encoded_export(wcon, tmp_path):
    text = HEADER_110 + "\n" + _row("A-1") + "\n" + _row("A-2") + "\n"
    path = _write(tmp_path, "gbk.csv", text, "gbk")
    res = _run(wcon, path, rows_in=2, stored=2, quarantined=0, already_present=0)
    assert res.encoding == "gb18030"
    assert wcon.execute("SELECT description FROM incidents WHERE source_ref = 'A-1'").fetchone()[0] == "居民楼起火"


def test_utf8_bom(wcon, tmp_path):
    path = _write(tmp_path, "bom.csv", HEADER_110 + "\n" + _row("B-1") + "\n", "utf-8-sig")
    assert _run(wcon, path, rows_in=1, stored=1, quarantined=0).encoding == "utf-8-sig"


def test_semicolon_delimiter_and_reordered_extra_columns(wcon, tmp_path):
    cols = HEADER_110.split(",")
    reordered = ["备注"] + cols[::-1]
    row = _row("C-1").split(",")
    text = ";".join(reordered) + "\n" + ";".join(["无关列"] + row[::-1]) + "\n"
    _run(wcon, _write(tmp_path, "semi.csv", text), rows_in=1, stored=1, quarantined=0)


def test_unrecognised_header_is_unreadable_and_the_cli_exits_non_zero(dbfile, tmp_path):
    path = _write(tmp_path, "other.csv", "a,b,c\n1,2,3\n")
    cp = subprocess.run([sys.executable, "-m", "data.ingest", "--db", str(dbfile), "--source", "110", "--json",
                         str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert cp.returncode == 1
    out = json.loads(cp.stdout.strip().splitlines()[-1])
    assert out["file"] == "other.csv" and out["rows_in"] == 0 and "header" in out["error"]


def test_swapped_lat_lon(wcon, tmp_path):
    text = HEADER_110 + "\n" + _row("D-1") + "\n" + _row("D-2", lon="27.6198", lat="119.0612") + "\n"
    _run(wcon, _write(tmp_path, "swap.csv", text), rows_in=2, stored=1, quarantined=1)
    assert _reasons(wcon) == ["swapped_coordinates"]


def test_coordinates_in_the_wrong_system(wcon, tmp_path):
    header = "案卷编号,上报时间,大类,问题描述,所在街道,地址,X,Y,坐标系,派遣时间,结案时间,状态"
    rows = [f"E-1,{_ts()},设施,井盖缺失,濛洲街道,同济路,407196.7,3056850.8,GCJ-02,,,立案",   # metres called GCJ-02
            f"E-2,{_ts()},设施,井盖缺失,濛洲街道,同济路,119.0847,27.6121,EPSG:4549,,,立案",  # degrees called 4549
            f"E-3,{_ts()},设施,井盖缺失,濛洲街道,同济路,119.0847,27.6121,火星坐标,,,立案",   # unknown system
            f"E-4,{_ts()},设施,井盖缺失,濛洲街道,同济路,407196.7,3056850.8,EPSG:4549,,,立案"]  # right
    _run(wcon, _write(tmp_path, "crs.csv", header + "\n" + "\n".join(rows) + "\n"), "city",
         rows_in=4, stored=1, quarantined=3)
    assert _reasons(wcon) == ["bad_coordinates", "outside_county", "unknown_value"]


def test_out_of_county_beyond_the_tolerance_only(wcon, tmp_path):
    # Shanghai is quarantined; a point 500 m outside the county line (GPS error) is kept and placed.
    west = wcon.execute("SELECT ST_XMin(ST_Extent_Agg(geom)), ST_Y(ST_Centroid(ST_Union_Agg(geom))) "
                        "FROM grid_cells").fetchone()
    edge_lon, edge_lat = wcon.execute(
        "SELECT ST_XMin(geom), (ST_YMin(geom) + ST_YMax(geom)) / 2 FROM grid_cells ORDER BY ST_XMin(geom) LIMIT 1"
    ).fetchone()
    near_lon = edge_lon - 0.004  # ~400 m west of the westernmost cell's extreme
    del west
    text = (HEADER_110 + "\n" + _row("F-1", lon="121.4737", lat="31.2304") + "\n"
            + _row("F-2", lon=f"{near_lon:.6f}", lat=f"{edge_lat:.6f}") + "\n")
    _run(wcon, _write(tmp_path, "out.csv", text), rows_in=2, stored=1, quarantined=1)
    assert _reasons(wcon) == ["outside_county"]
    assert wcon.execute("SELECT grid_cell_id IS NOT NULL FROM incidents WHERE source_ref = 'F-2'").fetchone()[0]


def test_empty_file_and_header_only(wcon, tmp_path):
    _run(wcon, _write(tmp_path, "empty.csv", ""), rows_in=0, stored=0, quarantined=0, already_present=0)
    _run(wcon, _write(tmp_path, "header.csv", HEADER_110 + "\n"), rows_in=0, stored=0, quarantined=0)


def test_duplicated_rows_and_second_import_of_the_same_file(wcon, tmp_path):
    text = HEADER_110 + "\n" + _row("G-1") + "\n" + _row("G-1") + "\n" + _row("G-2") + "\n"
    path = _write(tmp_path, "dup.csv", text)
    _run(wcon, path, rows_in=3, stored=2, quarantined=1, already_present=0)
    assert _reasons(wcon) == ["duplicate_id"]
    # the same file again adds nothing
    _run(wcon, path, rows_in=3, stored=0, quarantined=0, already_present=3)
    # an overlapping export (another file): known ids and the known bad row are already present
    text2 = text + _row("G-3") + "\n"
    _run(wcon, _write(tmp_path, "dup2.csv", text2), rows_in=4, stored=1, quarantined=0, already_present=3)


def test_future_and_unparseable_times(wcon, tmp_path):
    future = (now_cst() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    text = (HEADER_110 + "\n" + _row("H-1", when=future) + "\n" + _row("H-2", when="2026-13-45 25:61") + "\n"
            + _row("H-3", when="昨天晚上") + "\n" + _row("H-4", when="") + "\n" + _row("H-5") + "\n")
    _run(wcon, _write(tmp_path, "time.csv", text), rows_in=5, stored=1, quarantined=4)
    assert _reasons(wcon) == ["future_time", "bad_time", "bad_time", "missing_field"]


def _between_readings(hours_ago: int) -> str:
    """A reading time the demo's hourly readings never use (on the hour), so the row is judged, not already
    present, whatever minute the clock shows."""
    return (now_cst().replace(minute=17) - timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M")


def test_absurd_values_and_unparseable_numbers(wcon, tmp_path):
    text = ("水库名称,观测时间,库水位(m),汛限水位(m),正常蓄水位(m),入库流量(m3/s),出库流量(m3/s)\n"
            f"兰溪桥水库,{_between_readings(1)},99999,338,340,10,10\n"
            f"兰溪桥水库,{_between_readings(2)},三百三十,338,340,10,10\n"
            f"兰溪桥水库,{_between_readings(3)},337.5,338,340,-5,10\n"
            f"兰溪桥水库,{(now_cst() - timedelta(days=3000)).strftime('%Y-%m-%d %H:%M')},337.5,338,340,10,10\n")
    _run(wcon, _write(tmp_path, "res.csv", text), "reservoir", rows_in=4, stored=1, quarantined=3)
    assert _reasons(wcon) == ["absurd_value", "bad_number", "absurd_value"]
    text110 = HEADER_110 + "\n" + _row("I-1", lon="119.0x") + "\n"
    _run(wcon, _write(tmp_path, "num.csv", text110), rows_in=1, stored=0, quarantined=1)
    assert _reasons(wcon)[-1] == "bad_number"


def test_ten_megabyte_free_text_cell(wcon, tmp_path):
    huge = "很长的描述" * (2 * 1024 * 1024 // 3)  # > 10 MB in UTF-8
    text = HEADER_110 + "\n" + _row("J-1", desc=huge) + "\n" + _row("J-2") + "\n"
    path = _write(tmp_path, "huge.csv", text)
    assert path.stat().st_size > 10_000_000
    _run(wcon, path, rows_in=2, stored=1, quarantined=1)
    assert _reasons(wcon) == ["text_too_long"]


def test_malformed_rows_unknown_values_missing_fields(wcon, tmp_path):
    text = (HEADER_110 + "\n" + _row("K-1") + "\n" + _row("K-2") + ",多出来的列\n" + "K-3,只有两列\n"
            + _row("K-4", hazard="外星人") + "\n" + _row("K-5", level="超级大") + "\n" + _row("") + "\n")
    _run(wcon, _write(tmp_path, "mixed.csv", text), rows_in=6, stored=1, quarantined=5)
    assert sorted(_reasons(wcon)) == sorted(["malformed_row", "malformed_row", "unknown_value", "unknown_value",
                                             "missing_field"])


def test_formula_injection_is_stored_verbatim_and_neutralised_on_export(wcon, tmp_path):
    evil = "=cmd|' /C calc'!A0"
    text = HEADER_110 + "\n" + _row("L-1", desc=evil) + "\n" + _row("L-2", desc="@SUM(1+1)", hazard="+外星") + "\n"
    _run(wcon, _write(tmp_path, "evil.csv", text), rows_in=2, stored=1, quarantined=1)
    assert wcon.execute("SELECT description FROM incidents WHERE source_ref = 'L-1'").fetchone()[0] == evil
    frame = wcon.execute("SELECT source_ref, description FROM incidents WHERE source_ref = 'L-1'").df()
    out = export.to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=cmd|" in out and "\n=cmd" not in out and ",=cmd" not in out
    q = wcon.execute("SELECT bad_value FROM quarantine").df()
    assert export.to_csv_bytes(q).decode("utf-8-sig").splitlines()[1] == "'+外星"
    assert export.neutralise(-3.5) == -3.5 and export.neutralise("-1") == "'-1"


def test_json_sources_bad_records(wcon, tmp_path):
    good = json.loads((FORMATS / "grid_reports.sample.json").read_text(encoding="utf-8"))
    items = [dict(good[0], event_id="M-1"), dict(good[1], event_id="M-2", report_time="2026-99-99"), 42,
             dict(good[1], event_id="M-3", village="不存在的地方", location=None)]
    path = _write(tmp_path, "grid.json", json.dumps(items, ensure_ascii=False))
    _run(wcon, path, "grid", rows_in=4, stored=1, quarantined=3)
    assert sorted(_reasons(wcon)) == ["bad_time", "malformed_row", "no_location"]
    lines = (FORMATS / "sensor_alarms.sample.jsonl").read_text(encoding="utf-8").splitlines()
    broken = lines[:2] + ['{"device_id": "X-1", "ts": '] + [lines[3].replace('"value": 12.4', '"value": 1e9')]
    _run(wcon, _write(tmp_path, "s.jsonl", "\n".join(broken) + "\n"), "sensor", rows_in=4, stored=2, quarantined=2)
    path_bad = _write(tmp_path, "notjson.json", "{not json")
    assert import_file(wcon, path_bad, "grid").error is not None


def test_xlsx_hotline_export(wcon, tmp_path):
    frame = pd.read_csv(FORMATS / "96345_hotline.sample.csv", dtype=str, keep_default_na=False)
    frame["工单编号"] = ["X-1", "X-2"]
    path = tmp_path / "hotline.xlsx"
    frame.to_excel(path, index=False)
    res = _run(wcon, path, "96345", rows_in=2, stored=2, quarantined=0)
    assert res.encoding == "xlsx"
    assert wcon.execute("SELECT count(*) FROM incidents WHERE source_ref IN ('X-1', 'X-2') "
                        "AND location_precision = 'village'").fetchone()[0] == 2


def test_cross_channel_reports_link_to_one_event(wcon, tmp_path):
    t0 = now_cst() - timedelta(hours=2)
    text = HEADER_110 + "\n" + _row("N-1", lon="119.0612", lat="27.6198", when=t0.strftime("%Y-%m-%d %H:%M:%S")) + "\n"
    _run(wcon, _write(tmp_path, "n110.csv", text), linked=0, stored=1)
    grid = [{"event_id": "N-2", "report_time": (t0 + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%S+08:00"),
             "reporter": {"name": "吴建华", "phone": "13505780000"}, "category": "消防隐患", "description": "冒烟",
             "village": "松源街道石龙社区", "location": {"lng": 119.0640, "lat": 27.6200, "coord_type": "wgs84"}},
            {"event_id": "N-3", "report_time": (t0 + timedelta(minutes=25)).strftime("%Y-%m-%dT%H:%M:%S+08:00"),
             "reporter": {"name": "周丽", "phone": "13605781111"}, "category": "消防隐患", "description": "远处",
             "village": "松源街道石龙社区", "location": {"lng": 119.1200, "lat": 27.6200, "coord_type": "wgs84"}}]
    res = _run(wcon, _write(tmp_path, "ngrid.json", json.dumps(grid, ensure_ascii=False)), "grid", stored=2)
    assert res.linked == 1
    ev = wcon.execute("""SELECT source_ref, event_id FROM incidents WHERE source_ref IN ('N-1', 'N-2', 'N-3')
                         ORDER BY source_ref""").fetchall()
    assert ev[0][1] is not None and ev[0][1] == ev[1][1] and ev[2][1] is None
    count, channels = wcon.execute("SELECT report_count, channels FROM events WHERE event_id = ?",
                                   [ev[0][1]]).fetchone()
    assert count == 2 and channels == ["grid", "police_110"]


def test_quarantine_correct_and_reimport(wcon, tmp_path):
    text = HEADER_110 + "\n" + _row("P-1", hazard="外星人") + "\n"
    _run(wcon, _write(tmp_path, "p.csv", text), rows_in=1, stored=0, quarantined=1)
    qid, record = wcon.execute("SELECT quarantine_id, record FROM quarantine").fetchone()
    shown = records.masked_fields("110", record)
    assert shown["报警人姓名"] == "张*" and shown["报警电话"] == "138****1234"
    # a wrong correction keeps the entry with the new reason
    still = records.merge_corrections("110", record, dict(shown, 警情类别="火灾", 报警时间="不知道"))
    res = reimport_quarantined(wcon, "110", [(qid, still)])
    assert (res.rows_in, res.stored, res.quarantined) == (1, 0, 1)
    assert wcon.execute("SELECT reason, status FROM quarantine").fetchone() == ("bad_time", "open")
    fixed = records.merge_corrections("110", record, dict(shown, 警情类别="火灾"))
    res = reimport_quarantined(wcon, "110", [(qid, fixed)])
    assert (res.rows_in, res.stored, res.quarantined) == (1, 1, 0)
    assert wcon.execute("SELECT status FROM quarantine").fetchone()[0] == "resolved"
    # the masked values shown in the form never replace the real personal data
    assert wcon.execute("SELECT caller_name, caller_phone FROM incidents WHERE source_ref = 'P-1'").fetchone() == (
        "张伟", "13857801234")


def test_import_bumps_the_data_version(wcon, tmp_path):
    before = db.data_version(wcon)
    _run(wcon, _write(tmp_path, "v.csv", HEADER_110 + "\n" + _row("Q-1") + "\n"), stored=1)
    assert db.data_version(wcon) == before + 1


def test_generated_exports_round_trip(dbfile, tmp_path):
    from data import demo_exports
    files = demo_exports.write_exports(dbfile, tmp_path / "exp", rows=400, seed=3)
    con = db.connect(dbfile)
    try:
        res = import_file(con, files["110"], "110")
        assert res.encoding == "gb18030"
        assert res.rows_in == 400 and res.quarantined == 8 and res.stored == 392  # 2 % bad rows, each caught
        for source in ("96345", "city", "grid", "sensor", "reservoir"):
            r = import_file(con, files[source], source)
            assert r.error is None and r.rows_in == r.stored + r.quarantined + r.already_present
            assert r.stored > 0 or r.already_present > 0
        r = import_file(con, files["96345_xlsx"], "96345")
        assert r.already_present == r.rows_in  # the same work orders as the CSV
    finally:
        con.close()


def _import_rows(path, source_file) -> tuple:
    """Import into the database at path; the rows it stored and quarantined."""
    con = db.connect(path)
    try:
        base = con.execute("SELECT coalesce(max(incident_id), 0) FROM incidents").fetchone()[0]
        res = import_file(con, source_file, "110")
        stored = con.execute("SELECT * EXCLUDE (geom) FROM incidents WHERE incident_id > $b ORDER BY incident_id",
                             {"b": base}).fetchall()
        quarantined = con.execute("SELECT * EXCLUDE (resolved_at) FROM quarantine WHERE import_id = $i "
                                  "ORDER BY quarantine_id", {"i": res.import_id}).fetchall()
    finally:
        con.close()
    return res.summary(), stored, quarantined


def test_profile_times_every_stage_and_statement_and_changes_nothing(db_copy, tmp_path, monkeypatch, capsys):
    """ONEMAP_INGEST_PROFILE=1: every stage and every statement with its wall and CPU time on stderr; the same rows
    stored and quarantined as without it."""
    from data import demo_exports
    from data.ingest import pipeline
    plain, profiled = db_copy("plain"), db_copy("profiled")
    files = demo_exports.write_exports(plain, tmp_path / "exp", rows=200, seed=5, only=["110"])
    monkeypatch.delenv("ONEMAP_INGEST_PROFILE", raising=False)
    expected = _import_rows(plain, files["110"])
    assert "ingest profile:" not in capsys.readouterr().err
    monkeypatch.setenv("ONEMAP_INGEST_PROFILE", "1")
    assert _import_rows(profiled, files["110"]) == expected
    assert expected[0]["stored"] > 0 and expected[0]["quarantined"] > 0
    err = capsys.readouterr().err.splitlines()
    head = re.fullmatch(r"ingest profile: (\d+) stages, (\d+) statements, [\d.]+ s wall, [\d.]+ s CPU", err[0])
    assert head, err[0]
    stages = [re.fullmatch(r"stage (\S+) +\d+ ms wall +\d+ ms CPU  (\d+) statements", line) for line in err
              if line.startswith("stage ")]
    statements = [re.fullmatch(r" {4} *\d+ ms wall +\d+ ms CPU  (.+)", line) for line in err
                  if line.startswith("    ")]
    assert all(stages) and all(statements)
    names = [m.group(1) for m in stages]
    before = [st.name for st in pipeline.STAGES if "incidents" in st.targets and not st.in_transaction]
    inside = [st.name for st in pipeline.STAGES if "incidents" in st.targets and st.in_transaction]
    assert names == ["start", *before, "begin", *inside, "commit"]
    assert int(head.group(1)) == len(stages) and int(head.group(2)) == len(statements)
    assert sum(int(m.group(2)) for m in stages) == len(statements)
    assert any(m.group(1).startswith("INSERT INTO incidents") for m in statements)


def test_stage_callbacks_see_every_stage_in_order(wcon, tmp_path):
    from data.ingest import pipeline, profile
    path = _write(tmp_path, "staged.csv", HEADER_110 + "\n" + _row("QY-STAGE-1") + "\n")
    seen = []
    hook = profile.after_stage(lambda name, cur: seen.append(name))
    try:
        _run(wcon, path, rows_in=1, stored=1)
    finally:
        profile.remove(hook)
    assert seen == [st.name for st in pipeline.STAGES if "incidents" in st.targets]
    _run(wcon, _write(tmp_path, "unseen.csv", HEADER_110 + "\n" + _row("QY-STAGE-2") + "\n"), rows_in=1, stored=1)
    assert len(seen) == len([st for st in pipeline.STAGES if "incidents" in st.targets])  # removed: not called
