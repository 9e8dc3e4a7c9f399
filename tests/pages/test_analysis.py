"""The analysis page under AppTest: both languages, URL -> widgets round trip, hostile URLs, empty results,
the table is paged and masked, the URL follows applied filters."""
import json

import pytest

import i18n

PAGE = "pages/analysis.py"


@pytest.fixture(autouse=True, scope="module")
def release_app_connection(demo_db_path):
    """Close the app's read-write connection after these tests: while it is open in this process DuckDB
    refuses the read-only `con` fixture that later test modules use."""
    yield
    import gc

    from ui import database
    database._connection(str(database.path())).close()
    database._connection.clear()
    gc.collect()


def run(app_test, lang="zh-CN", **query_params):
    at = app_test(PAGE, lang=lang, **query_params)
    at.session_state["lang"] = lang
    return at.run()


def app_cursor():
    """The page's own (read-write) connection: a second, read-only one to the same file is refused in-process."""
    from ui import database
    return database.cursor()


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_page_draws_kpis_charts_map_table_and_exports(app_test, lang):
    at = run(app_test, lang=lang, period="all")
    assert not at.exception, at.exception
    s = i18n.strings(lang)
    assert at.title[0].value == s["analysis.heading"]
    subheaders = _texts(at.subheader)
    for key in ("chart.over_time", "chart.by_township", "chart.heatmap", "chart.response", "chart.channel_mix",
                "map.heading", "table.heading", "export.heading"):
        assert s[f"analysis.{key}"] in subheaders, key
    assert at.metric[0].label == s["analysis.kpi.incidents"]
    assert int(at.metric[0].value.replace(",", "")) > 1000
    table = at.dataframe[0].value
    assert len(table) == 50  # one page, never the whole set
    assert s["analysis.col.caller_name"] in table.columns
    assert {b.label for b in at.get("download_button")} == {s["analysis.export.csv"], s["analysis.export.xlsx"],
                                                           s["analysis.export.geojson"]}
    assert not at.warning


def test_table_masks_callers(app_test):
    at = run(app_test, lang="en", period="all")
    con = app_cursor()
    names = at.dataframe[0].value["Caller"].dropna()
    phones = at.dataframe[0].value["Phone"].dropna()
    assert len(names) and all("*" in n for n in names)
    assert len(phones) and all("****" in p for p in phones)
    raw = {r[0] for r in con.execute("SELECT caller_phone FROM incidents WHERE caller_phone IS NOT NULL").fetchall()}
    assert not raw & set(phones)


def test_url_restores_every_filter_widget(app_test):
    run(app_test)  # opens the app's connection first
    township, cell = app_cursor().execute(
        "SELECT township_id, grid_cell_id FROM grid_cells ORDER BY grid_cell_id LIMIT 1").fetchone()
    at = run(app_test, hazard="flood,geological", township=str(township), grid=str(cell), channel="grid",
             status="closed", severity="3,4", hour="7,8", weekday="1", period="custom", **{"from": "2024-06-01"},
             to="2024-07-15", overdue="1", q="滑坡", gran="week")
    assert not at.exception, at.exception
    assert at.multiselect(key="analysis_f_hazards").value == ["flood", "geological"]
    assert at.multiselect(key="analysis_f_townships").value == [township]
    assert at.multiselect(key="analysis_f_grid_cells").value == [cell]
    assert at.multiselect(key="analysis_f_channels").value == ["grid"]
    assert at.multiselect(key="analysis_f_statuses").value == ["closed"]
    assert at.multiselect(key="analysis_f_severities").value == [3, 4]
    assert at.multiselect(key="analysis_f_hours").value == [7, 8]
    assert at.multiselect(key="analysis_f_weekdays").value == [1]
    assert at.selectbox(key="analysis_f_period").value == "custom"
    assert str(at.date_input(key="analysis_f_date_from").value) == "2024-06-01"
    assert str(at.date_input(key="analysis_f_date_to").value) == "2024-07-15"
    assert at.checkbox(key="analysis_f_overdue_only").value is True
    assert at.text_input(key="analysis_f_text").value == "滑坡"
    assert at.session_state["analysis_f_granularity"] == "week"  # its radio sits above the (here empty) chart
    # and the URL still says the same after the run (nothing was dropped on the way)
    assert at.query_params["hazard"] == "flood,geological"
    assert at.query_params["from"] == "2024-06-01"
    assert not at.warning


def test_applied_filters_go_into_the_url_and_narrow_the_count(app_test):
    at = run(app_test, lang="en", period="all")
    everything = int(at.metric[0].value.replace(",", ""))
    at.multiselect(key="analysis_f_hazards").set_value(["forest_fire"])
    at.button(key="FormSubmitter:analysis_filters-Apply filters").click()
    at.run()
    assert not at.exception, at.exception
    assert at.query_params["hazard"] == "forest_fire"
    assert at.query_params["period"] == "all"
    narrowed = int(at.metric[0].value.replace(",", ""))
    assert 0 < narrowed < everything


@pytest.mark.parametrize("query", [
    {"hazard": "flood' OR '1'='1"},
    {"township": "1; DROP TABLE incidents"},
    {"severity": "9,-1,abc"},
    {"period": "'; --"},
    {"from": "2024-13-45", "to": "x", "period": "custom"},
    {"q": "a" * 10_000},
    {"q": "'; DROP TABLE incidents; --"},
    {"gran": "year", "overdue": "maybe", "channel": "telegram", "status": "lost"},
])
def test_hostile_url_values_give_a_clear_message_or_an_empty_result(app_test, query):
    at = run(app_test, lang="en", **query)
    assert not at.exception, at.exception
    s = i18n.strings("en")
    warned = any(s["analysis.problem.heading"] in w.value or "custom period" in w.value for w in at.warning)
    empty = any(s["analysis.empty"] == i.value for i in at.info)
    assert warned or empty, (query, _texts(at.warning), _texts(at.info))
    if "q" in query and len(query["q"]) > 200:
        assert len(at.text_input(key="analysis_f_text").value) == 200


def test_no_match_says_so_in_words(app_test):
    at = run(app_test, lang="zh-CN", period="all", q="这段文字不会出现在任何事件描述里")
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [i18n.strings("zh-CN")["analysis.empty"]]
    assert not at.get("plotly_chart")
    assert not at.dataframe


def test_chart_selection_values_are_read_back_from_either_customdata_form():
    from ui import analysis_charts as charts
    # as Streamlit hands it over: lists, or a typed array turned into {"0": v, "1": w} by the browser
    selection = {"selection": {"points": [{"x": "2026-01-05", "customdata": {"0": 3, "1": 14}},
                                          {"x": "2026-01-06", "customdata": [3, 15]},
                                          {"x": "2026-01-07"}]}}
    assert charts.selected_values(selection, 0) == [3]
    assert charts.selected_values(selection, 1) == [14, 15]
    assert charts.selected_x(selection) == ["2026-01-05", "2026-01-06", "2026-01-07"]
    assert charts.selected_values(None) == [] and charts.selected_values({"selection": {}}) == []


def _deck(at) -> dict:
    charts = [e for e in at.get("deck_gl_json_chart")]
    assert charts, "no map on the page"
    return json.loads(charts[0].proto.json)


def test_map_uses_points_below_the_threshold_and_squares_above(app_test, tmp_path, monkeypatch):
    import settings
    at = run(app_test, lang="en", period="all")  # ~16 k incidents, below the default threshold: points
    layer_ids = {layer["id"] for layer in _deck(at)["layers"]}
    assert "incidents" in layer_ids and "incident_cells" not in layer_ids
    config = tmp_path / "onemap.toml"
    config.write_text("[map]\npoint_threshold = 1000\n", encoding="utf-8")
    monkeypatch.setenv("ONEMAP_CONFIG", str(config))
    settings.load.cache_clear()
    try:
        at = run(app_test, lang="en", period="all")
        deck = _deck(at)
    finally:
        monkeypatch.delenv("ONEMAP_CONFIG")
        settings.load.cache_clear()
    cells = next(layer for layer in deck["layers"] if layer["id"] == "incident_cells")
    assert "incidents" not in {layer["id"] for layer in deck["layers"]}
    total = int(at.metric[0].value.replace(",", ""))
    assert sum(row["n"] for row in cells["data"]) == total  # squares account for every incident
    assert len(json.dumps(deck)) < 2_000_000


def test_points_that_would_overflow_the_payload_budget_become_squares(app_test, tmp_path, monkeypatch):
    import settings
    config = tmp_path / "onemap.toml"
    config.write_text("[map]\nmax_payload_bytes = 200000\n", encoding="utf-8")  # ~16 k points do not fit
    monkeypatch.setenv("ONEMAP_CONFIG", str(config))
    settings.load.cache_clear()
    try:
        at = run(app_test, lang="en", period="all")
        deck = _deck(at)
    finally:
        monkeypatch.delenv("ONEMAP_CONFIG")
        settings.load.cache_clear()
    ids = {layer["id"] for layer in deck["layers"]}
    assert "incident_cells" in ids and "incidents" not in ids
    assert len(json.dumps(deck)) < 2_000_000



def test_exports_unmask_callers_only_for_a_role_that_may_and_with_a_reason(app_test):
    s = i18n.strings("zh-CN")
    analyst = app_test(PAGE, role="analyst", lang="zh-CN", period="7d")
    analyst.session_state["lang"] = "zh-CN"
    analyst.run()
    assert s["analysis.export.personal"] not in [c.label for c in analyst.checkbox]
    at = app_test(PAGE, role="commander", lang="zh-CN", period="7d")
    at.session_state["lang"] = "zh-CN"
    at.run()
    box = next(c for c in at.checkbox if c.label == s["analysis.export.personal"])
    assert not box.value and s["analysis.export.note"].split("{")[0] in " ".join(c.value for c in at.caption)
    box.check().run()
    assert [w.value for w in at.warning] == [s["analysis.export.personal_reason_missing"]]
    at.text_input(key="analysis_export_reason").input("回访报警人核实火情").run()
    assert not at.warning and not at.exception
    assert s["analysis.export.note_personal"].split("{")[0] in " ".join(c.value for c in at.caption)


def test_the_density_view_draws_counted_squares_as_heat(app_test):
    at = run(app_test, lang="zh-CN", period="30d")
    at.radio(key="analysis_map_mode").set_value("density").run()
    assert not at.exception, at.exception
    deck = json.loads(at.get("deck_gl_json_chart")[-1].proto.json)
    heat = [layer for layer in deck["layers"] if layer["@@type"] == "HeatmapLayer"]
    total = at.metric[0].value
    assert len(heat) == 1 and sum(row["n"] for row in heat[0]["data"]) == int(total.replace(",", ""))
    assert i18n.translate("analysis.map.density", "zh-CN", n=total) in [c.value for c in at.caption]
