"""queries/analysis_*.sql against the small demo database, with the answers computed independently in pandas
from a plain SELECT * of the tables; the URL <-> filter round trip of ui/filters.py; hostile values; exports."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from queries import runner
from reports import tabular
from ui import filters as flt

HOSTILE = ["x' OR '1'='1", "'; DROP TABLE incidents; --", '"', "%", "_", "\\", "a" * 10_000,
           "洪涝'); DELETE FROM townships; --", "\x00", "flood,forest_fire"]


@pytest.fixture(scope="module")
def frame(db) -> pd.DataFrame:
    return db.execute("SELECT * EXCLUDE (geom) FROM incidents").df()


@pytest.fixture(scope="module")
def dispatches(db) -> pd.DataFrame:
    return db.execute("SELECT * FROM dispatches").df()


def params(now, **changes) -> dict:
    return flt.replace(flt.Filters(period="all"), **changes).sql_params(now) if changes else \
        flt.Filters(period="all").sql_params(now)


def expected_mask(frame: pd.DataFrame, dispatches: pd.DataFrame, p: dict) -> pd.Series:
    """The filter block, re-implemented in pandas."""
    m = (frame["received_at"] >= p["start"]) & (frame["received_at"] < p["end"])
    for name, column in (("hazards", "hazard"), ("townships", "township_id"), ("grid_cells", "grid_cell_id"),
                         ("channels", "channel"), ("statuses", "status"), ("severities", "severity")):
        if p[name]:
            m &= frame[column].isin(p[name])
    if p["hours"]:
        m &= frame["received_at"].dt.hour.isin(p["hours"])
    if p["weekdays"]:
        m &= (frame["received_at"].dt.dayofweek + 1).isin(p["weekdays"])
    if p["text"]:
        needle = p["text"].lower()
        m &= (frame["description"].fillna("").str.lower().str.contains(needle, regex=False)
              | frame["address"].fillna("").str.lower().str.contains(needle, regex=False))
    if p["overdue_only"]:
        late = dispatches[dispatches["arrived_at"].fillna(pd.Timestamp(p["now"])) > dispatches["deadline_at"]]
        m &= frame["incident_id"].isin(late["incident_id"])
    return m


CASES = {
    "everything": {},
    "one hazard": {"hazards": ("forest_fire",)},
    "two townships, two channels": {"townships": (1, 2), "channels": ("police_110", "grid")},
    "major and closed": {"severities": (1, 2, 3), "statuses": ("closed", "feedback")},
    "night hours on weekends": {"hours": (0, 1, 2, 3, 22, 23), "weekdays": (6, 7)},
    "search text": {"text": "山火"},
    "overdue only": {"overdue_only": True},
    "last 30 days": {"period": "30d"},
    "custom window": {"period": "custom", "date_from": date(2024, 6, 1), "date_to": date(2024, 7, 15)},
    "grid cell": {"grid_cells": (5, 6, 7)},
    "unknown codes": {"hazards": ("no_such_hazard",), "channels": ("fax",)},
}


@pytest.mark.parametrize("case", CASES)
def test_summary_counts_match_pandas(db, frame, dispatches, now, case):
    p = params(now, **CASES[case])
    want = frame[expected_mask(frame, dispatches, p)]
    got = runner.run(db, "analysis_summary", **p).iloc[0]
    assert got["incidents"] == len(want)
    assert got["open_incidents"] == int((want["status"] != "closed").sum())
    assert got["major_incidents"] == int((want["severity"] <= 2).sum())
    assert got["approximate"] == int((want["location_precision"] != "exact").sum())
    if case == "unknown codes":
        assert got["incidents"] == 0
    else:
        assert got["incidents"] > 0, "a case that selects nothing proves little"


@pytest.mark.parametrize("case", ["everything", "one hazard", "night hours on weekends"])
def test_breakdowns_match_pandas(db, frame, dispatches, now, case):
    p = params(now, **CASES[case])
    want = frame[expected_mask(frame, dispatches, p)]
    by_township = runner.run(db, "analysis_by_township", **p)
    assert (dict(zip(by_township["township_id"], by_township["incidents"]))
            == want["township_id"].value_counts().to_dict())
    assert list(by_township["incidents"]) == sorted(by_township["incidents"], reverse=True)
    mix = runner.run(db, "analysis_channel_mix", **p)
    assert dict(zip(mix["channel"], mix["incidents"])) == want["channel"].value_counts().to_dict()
    heat = runner.run(db, "analysis_hour_weekday", **p)
    want_heat = want.groupby([want["received_at"].dt.dayofweek + 1, want["received_at"].dt.hour]).size()
    assert {(int(w), int(h)): n for w, h, n in heat.itertuples(index=False)} == \
        {(int(w), int(h)): int(n) for (w, h), n in want_heat.items()}
    monthly = runner.run(db, "analysis_over_time", granularity="month", **p)
    want_month = want.groupby([want["received_at"].dt.to_period("M").dt.start_time, "hazard"]).size()
    assert {(pd.Timestamp(b), h): n for b, h, n in monthly.itertuples(index=False)} == \
        {(pd.Timestamp(b), h): int(n) for (b, h), n in want_month.items()}
    for granularity in ("day", "week"):
        assert runner.run(db, "analysis_over_time", granularity=granularity, **p)["incidents"].sum() == len(want)


def test_response_time_percentiles_match_numpy(db, frame, dispatches, now):
    p = params(now)
    got = runner.run(db, "analysis_response_times", min_dispatches=5, max_units=500, **p)
    joined = dispatches.dropna(subset=["arrived_at"]).merge(frame[["incident_id", "received_at"]], on="incident_id")
    joined["m"] = (joined["arrived_at"] - joined["received_at"]).dt.total_seconds() / 60
    groups = {u: g["m"].to_numpy() for u, g in joined.groupby("unit_id") if len(g) >= 5}
    assert set(got["unit_id"]) == set(groups)
    for row in got.itertuples():
        values = groups[row.unit_id]
        assert row.arrivals == len(values)
        for q, column in ((0.05, "p05"), (0.5, "p50"), (0.9, "p90"), (0.95, "p95")):
            assert getattr(row, column) == pytest.approx(np.quantile(values, q), rel=1e-6)
    assert list(got["p90"]) == sorted(got["p90"], reverse=True)  # slowest first
    assert len(runner.run(db, "analysis_response_times", min_dispatches=5, max_units=3, **p)) == 3


def test_map_points_and_squares_account_for_every_incident(db, now):
    p = params(now, hazards=("flood", "geological"))
    total = runner.run(db, "analysis_summary", **p).iloc[0]["incidents"]
    summary = runner.run(db, "analysis_summary", **p).iloc[0]
    squares = runner.run(db, "analysis_map_squares", step=0.01, **p)
    assert squares["n"].sum() == total
    assert squares["open_n"].sum() == summary["open_incidents"]
    assert squares["approx_n"].sum() == summary["approximate"]
    assert not squares[["gx", "gy"]].duplicated().any()
    points = runner.run(db, "analysis_map_points", max_rows=100, **p)
    assert len(points) == min(100, total)
    assert points["received_at"].is_monotonic_decreasing
    assert (points["is_open"] == (points["status"] != "closed")).all()


def test_table_pages_tile_the_filtered_set_and_mask_callers(db, frame, now):
    p = params(now, hazards=("traffic",))
    total = runner.run(db, "analysis_summary", **p).iloc[0]["incidents"]
    pages = [runner.run(db, "analysis_table_page", lang="en", show_personal=False, page_size=40,
                        page_offset=o, **p) for o in range(0, total + 40, 40)]
    ids = pd.concat(pages)["incident_id"]
    assert len(ids) == total and ids.is_unique
    first = pages[0]
    assert set(first["hazard"]) == {"Traffic accident"}
    raw = frame.set_index("incident_id").loc[first["incident_id"]]
    for shown, full in zip(first["caller_phone"], raw["caller_phone"]):
        if full:
            assert shown != full and shown == full[:3] + "****" + full[-4:]
    for shown, full in zip(first["caller_name"], raw["caller_name"]):
        if full:
            assert shown[0] == full[0] and set(shown[1:]) == {"*"}


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_data_not_sql(db, frame, dispatches, now, value):
    for changes in ({"hazards": (value,)}, {"channels": (value, "grid")}, {"statuses": (value,)}, {"text": value}):
        p = params(now, **changes)
        got = runner.run(db, "analysis_summary", **p).iloc[0]["incidents"]
        assert got == int(expected_mask(frame, dispatches, p).sum())
    assert runner.run(db, "analysis_summary", **params(now, hazards=(value,))).iloc[0]["incidents"] == 0
    assert db.execute("SELECT count(*) FROM incidents").fetchone()[0] == len(frame)  # nothing was dropped


def test_every_analysis_query_shares_one_filter_block():
    def block(name):
        text = runner.sql_text(name)
        return text[text.index("WITH filtered AS"):text.index("\n)\n") + 2]
    names = [n for n in runner.query_names() if n.startswith("analysis_") and "WITH filtered AS" in runner.sql_text(n)]
    assert len(names) >= 10
    assert len({block(n) for n in names}) == 1, "the filter block differs between files"


# ------------------------------------------------------------------ exports
def _export(db, fmt, p):
    out = io.BytesIO()
    rows = tabular.export(db, "analysis_export", fmt, out, {"caller_name": "报警人", "lon": "lon", "lat": "lat"},
                          lang="zh-CN", show_personal=False, **p)
    return rows, out.getvalue()


def test_csv_export_has_bom_every_row_and_masked_callers(db, frame, now):
    p = params(now, hazards=("forest_fire", "flood"))
    total = runner.run(db, "analysis_summary", **p).iloc[0]["incidents"]
    rows, data = _export(db, "csv", p)
    assert data.startswith(tabular.UTF8_BOM)
    read = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert rows == total == len(read)
    assert "报警人" in read.columns and "caller_phone" in read.columns
    assert set(read["hazard"]) <= {"森林火灾", "洪涝"}
    assert read["received_at"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
    raw_phones = set(frame["caller_phone"].dropna())
    assert not raw_phones & set(read["caller_phone"])


def test_csv_export_of_nothing_is_a_header_line(db, now):
    rows, data = _export(db, "csv", params(now, hazards=("no_such_hazard",)))
    assert rows == 0
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert "报警人" in header and "incident_id" in header


def test_geojson_export_is_valid_points(db, now):
    p = params(now, hazards=("geological",))
    total = runner.run(db, "analysis_summary", **p).iloc[0]["incidents"]
    rows, data = _export(db, "geojson", p)
    doc = json.loads(data)
    assert rows == total == len(doc["features"])
    first = doc["features"][0]
    assert first["geometry"]["type"] == "Point" and 118 < first["geometry"]["coordinates"][0] < 120
    assert "报警人" in first["properties"] and "lon" not in first["properties"]


def test_xlsx_export_round_trips_and_caps_rows(db, now):
    from openpyxl import load_workbook
    p = params(now, hazards=("traffic",))
    total = runner.run(db, "analysis_summary", **p).iloc[0]["incidents"]
    rows, data = _export(db, "xlsx", p)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    values = list(sheet.values)
    assert rows == total == len(values) - 1
    assert "报警人" in values[0]
    out = io.BytesIO()
    written, truncated = tabular.write_xlsx(tabular.record_batches(db, "analysis_export", batch_rows=7, lang="en",
                                                                   show_personal=False, **p), out, max_rows=10)
    assert (written, truncated) == (10, True)


def test_export_streams_in_batches(db, now):
    reader = tabular.record_batches(db, "analysis_export", batch_rows=1000, lang="en", show_personal=False,
                                    **params(now))
    sizes = [b.num_rows for b in reader]
    assert len(sizes) > 1 and max(sizes) <= 2048  # DuckDB rounds batches to its vector size


# ------------------------------------------------------------------ filters <-> URL
OPTIONS = flt.Options(hazards=("flood", "forest_fire", "traffic"), townships=(1, 2, 3), grid_cells=(10, 11),
                      channels=("police_110", "grid"), statuses=("received", "closed"))


def test_url_round_trip_restores_every_field():
    full = flt.Filters(hazards=("flood", "traffic"), townships=(2,), grid_cells=(11,), channels=("grid",),
                       statuses=("closed",), severities=(1, 3), hours=(0, 23), weekdays=(6, 7), period="custom",
                       date_from=date(2025, 6, 1), date_to=date(2025, 6, 30), overdue_only=True, text="山 火",
                       granularity="month")
    query = flt.to_query(full)
    assert flt.parse(query, OPTIONS) == (full, [])
    assert flt.to_query(flt.Filters()) == {}  # the default view has a clean URL
    assert flt.parse({}, OPTIONS) == (flt.Filters(), [])


@pytest.mark.parametrize("query, field, kind", [
    ({"hazard": "flood,meteor"}, "hazards", "unknown_values"),
    ({"township": "1;DROP TABLE townships"}, "townships", "unknown_values"),
    ({"severity": "0,5"}, "severities", "unknown_values"),
    ({"hour": "24"}, "hours", "unknown_values"),
    ({"period": "forever"}, "period", "unknown_values"),
    ({"from": "2025-02-30"}, "date_from", "bad_date"),
    ({"q": "x" * 10_000}, "text", "text_cut"),
    ({"gran": "year"}, "granularity", "unknown_values"),
    ({"overdue": "yes please"}, "overdue_only", "unknown_values"),
    ({"period": "custom", "from": "2025-01-01"}, "period", "custom_needs_dates"),
])
def test_bad_url_values_are_dropped_with_a_reason(query, field, kind):
    filters, problems = flt.parse(query, OPTIONS)
    assert (kind, field) in [(p.kind, p.field) for p in problems]
    assert len(filters.text) <= flt.MAX_TEXT
    assert all(len(p.detail) <= 41 for p in problems)  # a 10 kB value is not echoed back whole
    if field == "hazards":
        assert filters.hazards == ("flood",)


def test_swapped_dates_are_put_in_order():
    filters, problems = flt.parse({"period": "custom", "from": "2025-07-01", "to": "2025-06-01"}, OPTIONS)
    assert (filters.date_from, filters.date_to) == (date(2025, 6, 1), date(2025, 7, 1))
    assert [p.kind for p in problems] == ["dates_swapped"]


def test_period_windows():
    now = datetime(2026, 3, 10, 9, 30)
    assert flt.Filters(period="today").window(now) == (datetime(2026, 3, 10), now + timedelta(minutes=1))
    assert flt.Filters(period="7d").window(now)[0] == datetime(2026, 3, 3, 9, 30)
    # before 15 April the flood season shown is last year's, whole
    assert flt.flood_season(now) == (datetime(2025, 4, 15), datetime(2025, 10, 16))
    # inside the season it runs to now
    assert flt.flood_season(datetime(2026, 7, 1, 12)) == (datetime(2026, 4, 15), datetime(2026, 7, 1, 12, 1))
    custom = flt.Filters(period="custom", date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    assert custom.window(now) == (datetime(2026, 1, 1), datetime(2026, 2, 1))  # the end day is included


def test_chart_buckets_become_a_custom_date_span():
    assert flt.bucket_span(["2026-11-05", "2026-11-03 00:00"], "day") == (date(2026, 11, 3), date(2026, 11, 5))
    assert flt.bucket_span(["2026-11-02"], "week") == (date(2026, 11, 2), date(2026, 11, 8))
    assert flt.bucket_span(["2026-01-01", "2026-02-01"], "month") == (date(2026, 1, 1), date(2026, 2, 28))
    assert flt.bucket_span(["2024-02-01"], "month") == (date(2024, 2, 1), date(2024, 2, 29))
    assert flt.bucket_span([], "day") is None


@pytest.mark.parametrize("lang,words", [("zh-CN", {"精确坐标", "近似（村委会位置）", "近似（乡镇驻地）"}),
                                        ("en", {"exact (source coordinates)", "approximate (village seat)",
                                                "approximate (township seat)"})])
def test_export_names_the_location_precision_in_the_language(db, now, lang, words):
    out = io.BytesIO()
    tabular.export(db, "analysis_export", "csv", out, {}, lang=lang, show_personal=False, **params(now))
    read = pd.read_csv(io.BytesIO(out.getvalue()), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    shown = set(read["location_precision"])
    assert shown and shown <= words, shown
    if lang == "zh-CN":
        assert not shown & {"exact", "village", "township"}
