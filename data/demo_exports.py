"""Sample exports of the N source systems, as they arrive (data/formats/README.md is the contract):
110 calls as GB18030 CSV, 96345 work orders as UTF-8-with-BOM CSV and .xlsx, city management cases in
EPSG:4549 or GCJ-02, grid reports as a JSON array in BD-09/GCJ-02/WGS84 or with no location, sensor alarms as
JSON lines, reservoir levels as CSV, each with a share of bad rows so the whole ingest path is exercised.

Places come from a built demo database (villages, reservoirs, sensors). Vectorised: a million 110 rows take a
few seconds, which is how the ingest benchmark gets its file:
    python -m data.demo_exports --db /tmp/demo1.duckdb --out /tmp/exports --rows 1000000 --only 110
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from data import coords, db
from data.clock import now_cst

HAZARD_110 = ["治安案件", "交通事故", "群众求助", "火灾", "纠纷", "溺水", "山体滑坡", "森林火灾", "生产安全事故"]
HAZARD_110_P = [0.36, 0.22, 0.18, 0.06, 0.08, 0.03, 0.02, 0.02, 0.03]
SEVERITY_110 = ["一般", "一般", "一般", "一般", "一般", "一般", "较大", "较大", "重大", "特别重大"]
HOTLINE_KINDS = ["供水", "供电", "噪声", "环境卫生", "道路", "物业", "社保", "医疗", "其他"]
# Who takes a 96345 work order (承办单位), by its 问题分类: the demo county's linkage units.
HOTLINE_UNITS = {"供水": "县水务集团", "供电": "国网庆元县供电公司", "噪声": "县综合行政执法局",
                 "环境卫生": "县环境卫生管理中心", "道路": "县交通运输局", "物业": "县住房和城乡建设局",
                 "社保": "县人力资源和社会保障局", "医疗": "县卫生健康局", "其他": "县信访局"}
CITY_KINDS = [("市容环境", "暴露垃圾"), ("设施", "井盖缺失"), ("街面秩序", "占道经营"), ("宣传广告", "违规招贴")]
GRID_KINDS = ["地质灾害隐患", "安全隐患", "森林火情", "防汛隐患", "矛盾纠纷", "环境卫生", "民生诉求"]
SENSOR_HAZARD = {"smoke_fire_ai": ("confidence", 0.5, 1.0), "water_level": ("m", 330.0, 345.0),
                 "rain_gauge": ("mm/h", 5.0, 80.0), "geo_monitor": ("mm displacement", 1.0, 40.0)}
BAD_KINDS = ("bad_time", "unknown_value", "outside_county", "swapped", "duplicate", "future", "bad_number")


def _places(con) -> dict:
    v = con.execute("""SELECT v.name AS village, t.name AS township, v.lon, v.lat FROM villages v
                       JOIN townships t USING (township_id) ORDER BY v.village_id""").df()
    r = con.execute("SELECT name, flood_limit_level_m, normal_level_m FROM reservoirs ORDER BY reservoir_id").df()
    s = con.execute("SELECT code AS device_code, sensor_type, lon, lat FROM sensors ORDER BY sensor_id").df()
    # 110's 管辖单位: the township's police station as the linkage units name it
    police = dict(con.execute("""SELECT t.name, min(u.name) FROM linkage_units u JOIN townships t USING (township_id)
                                 WHERE u.name LIKE '%派出所' GROUP BY t.name""").fetchall())
    v["police"] = [police.get(t, t + "派出所") for t in v["township"]]
    return {"villages": v, "reservoirs": r, "sensors": s}


def _times(rng, n: int, now, days: int) -> pd.Series:
    seconds = rng.integers(60, days * 86400, n)
    return pd.Series(pd.Timestamp(now) - pd.to_timedelta(np.sort(seconds)[::-1], unit="s"))


def _names(rng, n: int) -> np.ndarray:
    sur = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"))
    giv = np.array(["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "建华", "明"])
    return np.char.add(sur[rng.integers(0, len(sur), n)], giv[rng.integers(0, len(giv), n)])


def _phones(rng, n: int) -> np.ndarray:
    return np.char.add("13", rng.integers(100_000_000, 999_999_999, n).astype(str))


def _bad_rows(rng, n: int, share: float) -> dict[str, np.ndarray]:
    """Disjoint row positions for each kind of bad row (about share of n in all)."""
    k = int(round(n * share))
    picks = rng.choice(np.arange(1, n), size=min(k, n - 1), replace=False) if n > 1 and k else np.array([], int)
    return {kind: picks[i::len(BAD_KINDS)] for i, kind in enumerate(BAD_KINDS)}


def calls_110(places: dict, n: int, rng, now, bad_share: float = 0.02) -> pd.DataFrame:
    v = places["villages"]
    idx = rng.integers(0, len(v), n)
    lon = v["lon"].to_numpy()[idx] + rng.normal(0, 0.003, n)
    lat = v["lat"].to_numpy()[idx] + rng.normal(0, 0.003, n)
    has_xy = rng.random(n) < 0.6  # "often empty (address only)"
    t = _times(rng, n, now, 365)
    df = pd.DataFrame({
        "接警单编号": ("QY110-" + t.dt.strftime("%Y%m%d").to_numpy() + "-E"
                       + pd.Series(np.arange(n)).map("{:07d}".format)),
        "报警时间": t.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
        "报警人姓名": _names(rng, n), "报警电话": _phones(rng, n),
        "事发地址": "庆元县" + v["township"].to_numpy()[idx] + v["village"].to_numpy()[idx],
        "经度": np.where(has_xy, np.round(lon, 6).astype(str), ""),
        "纬度": np.where(has_xy, np.round(lat, 6).astype(str), ""),
        "警情类别": rng.choice(HAZARD_110, n, p=HAZARD_110_P),
        "警情级别": rng.choice(SEVERITY_110, n),
        "管辖单位": v["police"].to_numpy()[idx],
        "简要警情": "群众报警，民警已出警",
    })
    bad = _bad_rows(rng, n, bad_share)
    df.loc[bad["bad_time"], "报警时间"] = "2026-13-45 25:61"
    df.loc[bad["unknown_value"], "警情类别"] = "不明类别"
    df.loc[bad["outside_county"], ["经度", "纬度"]] = ["121.4737", "31.2304"]  # Shanghai
    sw = bad["swapped"]
    df.loc[sw, "经度"], df.loc[sw, "纬度"] = np.round(lat[sw], 6).astype(str), np.round(lon[sw], 6).astype(str)
    dup = bad["duplicate"]
    df.loc[dup, "接警单编号"] = df["接警单编号"].to_numpy()[dup - 1]
    df.loc[dup, "报警时间"] = df["报警时间"].to_numpy()[dup - 1]
    df.loc[bad["future"], "报警时间"] = (pd.Timestamp(now) + pd.Timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
    df.loc[bad["bad_number"], ["经度", "纬度"]] = ["119.0x", "27.6"]
    return df


def hotline_96345(places: dict, n: int, rng, now) -> pd.DataFrame:
    v = places["villages"]
    idx = rng.integers(0, len(v), n)
    t = _times(rng, n, now, 90)
    closed = rng.random(n) < 0.7
    done = t + pd.to_timedelta(rng.integers(600, 86400, n), unit="s")
    finished = closed & (done < pd.Timestamp(now))
    names, phones, asks = _names(rng, n), _phones(rng, n), rng.choice(["求助", "投诉", "咨询"], n)
    kinds = rng.choice(HOTLINE_KINDS, n)
    df = pd.DataFrame({
        "工单编号": "96345-" + t.dt.strftime("%Y-%m%d").to_numpy() + pd.Series(np.arange(n)).map("E{:06d}".format),
        "来电时间": t.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(), "来电人": names,
        "来电号码": phones, "诉求类别": asks,
        "问题分类": kinds, "诉求内容": "来电反映问题，请尽快处理",
        "所属乡镇": v["township"].to_numpy()[idx], "详细地址": v["village"].to_numpy()[idx] + "附近",
        "承办单位": [HOTLINE_UNITS[k] for k in kinds], "办理时限(小时)": "24",
        "办结时间": np.where(finished, done.dt.strftime("%Y-%m-%d %H:%M:%S"), ""),
        "回访结果": np.where(finished, "已回访", ""), "满意度": np.where(finished, "满意", ""),
    })
    if n > 3:
        df.loc[1, "所属乡镇"], df.loc[1, "详细地址"] = "", "不详"          # no place at all
        df.loc[2, "问题分类"] = "未知分类"                               # unknown enum
    return df


def city_cases(places: dict, n: int, rng, now) -> pd.DataFrame:
    v = places["villages"]
    idx = rng.integers(0, len(v), n)
    lon = v["lon"].to_numpy()[idx] + rng.normal(0, 0.002, n)
    lat = v["lat"].to_numpy()[idx] + rng.normal(0, 0.002, n)
    gk = rng.random(n) < 0.5
    x_gk, y_gk = coords.from_wgs84(lon, lat, "epsg4549")
    x_gcj, y_gcj = coords.from_wgs84(lon, lat, "gcj02")
    t = _times(rng, n, now, 60)
    kinds = np.array(CITY_KINDS)[rng.integers(0, len(CITY_KINDS), n)]
    status = rng.choice(["立案", "派遣", "处置中", "结案"], n, p=[0.1, 0.2, 0.2, 0.5])
    disp = t + pd.Timedelta(minutes=15)
    close = t + pd.Timedelta(hours=3)
    return pd.DataFrame({
        "案卷编号": "CG" + t.dt.strftime("%Y%m%d").to_numpy() + pd.Series(np.arange(n)).map("-E{:05d}".format),
        "上报时间": t.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(), "问题来源": "监督员上报",
        "大类": kinds[:, 0], "小类": kinds[:, 1], "问题描述": kinds[:, 1],
        "所在街道": v["township"].to_numpy()[idx], "地址": v["village"].to_numpy()[idx],
        "X": np.where(gk, np.round(x_gk, 1), np.round(x_gcj, 6)).astype(str),
        "Y": np.where(gk, np.round(y_gk, 1), np.round(y_gcj, 6)).astype(str),
        "坐标系": np.where(gk, "EPSG:4549", "GCJ-02"), "处置部门": "县综合执法局",
        "派遣时间": np.where(status != "立案", disp.dt.strftime("%Y-%m-%d %H:%M:%S"), ""),
        "处置截止时间": (t + pd.Timedelta(hours=4)).dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
        "结案时间": np.where(status == "结案", close.dt.strftime("%Y-%m-%d %H:%M:%S"), ""),
        "状态": status,
    })


def grid_reports(places: dict, n: int, rng, now) -> list[dict]:
    v = places["villages"]
    idx = rng.integers(0, len(v), n)
    lon = v["lon"].to_numpy()[idx] + rng.normal(0, 0.002, n)
    lat = v["lat"].to_numpy()[idx] + rng.normal(0, 0.002, n)
    kind = rng.choice(["bd09", "gcj02", "wgs84", "none"], n, p=[0.4, 0.3, 0.2, 0.1])
    t = _times(rng, n, now, 30)
    out = []
    for i in range(n):  # a JSON document is built per record; grid exports are thousands, not millions
        loc = None
        if kind[i] != "none":
            x, y = coords.from_wgs84(lon[i:i + 1], lat[i:i + 1], kind[i])
            loc = {"lng": round(float(x[0]), 6), "lat": round(float(y[0]), 6), "coord_type": str(kind[i])}
        out.append({"event_id": f"WG-331126-{t[i]:%Y%m%d}-E{i:05d}",
                    "report_time": f"{t[i]:%Y-%m-%dT%H:%M:%S}+08:00",
                    "reporter": {"name": str(_names(rng, 1)[0]), "grid_code": "331126-001-01",
                                 "phone": str(_phones(rng, 1)[0])},
                    "category": str(rng.choice(GRID_KINDS)), "description": "网格员巡查发现",
                    "village": f"{v['township'].iat[idx[i]]}{v['village'].iat[idx[i]]}", "location": loc,
                    "photos": []})
    if n > 2:
        out[1]["report_time"] = "昨天下午"   # bad time
    return out


def sensor_alarms(places: dict, n: int, rng, now) -> list[str]:
    s = places["sensors"]
    idx = rng.integers(0, len(s), n)
    t = _times(rng, n, now, 30)
    lines = []
    for i in range(n):
        stype = s["sensor_type"].iat[idx[i]]
        unit, lo, hi = SENSOR_HAZARD[stype]
        lines.append(json.dumps({"device_id": s["device_code"].iat[idx[i]], "device_type": stype,
                                 "ts": f"{t[i]:%Y-%m-%dT%H:%M:%S}+08:00", "value": round(float(rng.uniform(lo, hi)), 2),
                                 "unit": unit, "alarm_level": str(rng.choice(["blue", "yellow", "orange", "red"])),
                                 "lng": round(float(s["lon"].iat[idx[i]]), 6),
                                 "lat": round(float(s["lat"].iat[idx[i]]), 6),
                                 "coord_type": "wgs84"}, ensure_ascii=False))
    if n > 2:
        lines[1] = '{"device_id": "WL-X", "ts": '          # truncated line
    return lines


def reservoir_levels(places: dict, hours: int, now) -> pd.DataFrame:
    r = places["reservoirs"].head(3)
    t = pd.date_range(end=pd.Timestamp(now).floor("h"), periods=hours, freq="h")
    rows = []
    for _, res in r.iterrows():
        level = res["flood_limit_level_m"] - 1.0 + np.sin(np.arange(hours) / 12.0)
        rows.append(pd.DataFrame({"水库名称": res["name"], "观测时间": t.strftime("%Y-%m-%d %H:%M"),
                                  "库水位(m)": np.round(level, 2), "汛限水位(m)": res["flood_limit_level_m"],
                                  "正常蓄水位(m)": res["normal_level_m"], "入库流量(m3/s)": 40.0,
                                  "出库流量(m3/s)": 35.0}))
    df = pd.concat(rows, ignore_index=True)
    df.loc[len(df)] = ["不存在水库", t[-1].strftime("%Y-%m-%d %H:%M"), 300.0, 1, 1, 1, 1]  # unknown reservoir
    return df


def write_exports(db_path, out_dir, rows: int = 2000, seed: int = 1, now=None, only: list[str] | None = None,
                  bad_share: float = 0.02) -> dict[str, Path]:
    """Write one file of each kind (rows: the 110 file's size; the others scale with it). Returns paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    now = now or now_cst()
    con = db.connect(db_path, read_only=True)
    try:
        places = _places(con)
    finally:
        con.close()
    want = set(only or ["110", "96345", "city", "grid", "sensor", "reservoir"])
    files: dict[str, Path] = {}
    if "110" in want:
        p = out / "110_calls.csv"
        p.write_bytes(calls_110(places, rows, rng, now, bad_share).to_csv(index=False).encode("gb18030"))
        files["110"] = p
    small = max(rows // 10, 10)
    if "96345" in want:
        df = hotline_96345(places, small, rng, now)
        p = out / "96345_hotline.csv"
        p.write_bytes(b"\xef\xbb\xbf" + df.to_csv(index=False).encode("utf-8"))
        files["96345"] = p
        px = out / "96345_hotline.xlsx"
        df.head(200).to_excel(px, index=False)
        files["96345_xlsx"] = px
    if "city" in want:
        p = out / "city_management.csv"
        city_cases(places, small, rng, now).to_csv(p, index=False)
        files["city"] = p
    if "grid" in want:
        p = out / "grid_reports.json"
        p.write_text(json.dumps(grid_reports(places, small, rng, now), ensure_ascii=False, indent=1), encoding="utf-8")
        files["grid"] = p
    if "sensor" in want:
        p = out / "sensor_alarms.jsonl"
        p.write_text("\n".join(sensor_alarms(places, small, rng, now)) + "\n", encoding="utf-8")
        files["sensor"] = p
    if "reservoir" in want:
        p = out / "reservoir_levels.csv"
        reservoir_levels(places, 72, now - timedelta(hours=1)).to_csv(p, index=False)
        files["reservoir"] = p
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.demo_exports", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="a built demo database (default: $ONEMAP_DB)")
    parser.add_argument("--out", required=True, help="folder for the export files")
    parser.add_argument("--rows", type=int, default=2000, help="rows of the 110 file (others: a tenth)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="*", default=None, help="sources to write (default: all)")
    parser.add_argument("--bad-share", type=float, default=0.02)
    args = parser.parse_args(argv)
    files = write_exports(args.db, args.out, rows=args.rows, seed=args.seed, only=args.only, bad_share=args.bad_share)
    for source, path in files.items():
        print(f"{source:<12} {path}  {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
