"""Level of detail, totals and payload of the One Map deck (views/one_map.py over the real demo database),
plus the pure incident, grid, legend and base builders."""
import json
from datetime import timedelta

import pandas as pd
import pydeck as pdk
import pytest

import settings
from layers import base, grid, incidents, legend
from queries import runner
from views import one_map as view


@pytest.fixture()
def fetch(con):
    return lambda name, **params: runner.run(con, name, **params)


def _cfg(**overrides):
    return {**settings.load()["map"], **overrides}


def _layer(deck, layer_id):
    return next((layer for layer in json.loads(deck.to_json())["layers"] if layer["id"] == layer_id), None)


def _db_total(con, start, end, open_only=False):
    sql = "SELECT count(*), count(*) FILTER (WHERE location_precision <> 'exact') FROM incidents " \
          "WHERE received_at >= ? AND received_at < ?" + (" AND status <> 'closed'" if open_only else "")
    return con.execute(sql, [start, end]).fetchone()


def test_below_threshold_every_incident_is_a_point(con, fetch, demo_now):
    start, end = view.window_bounds("7d", demo_now)
    built = view.build_map(fetch, view.MapRequest(start, end, demo_now), _cfg())
    total, approx = _db_total(con, start, end)
    assert built.mode == "points"
    assert built.total == built.drawn == total > 0
    exact, rings = _layer(built.deck, "incidents"), _layer(built.deck, "incidents_approx")
    # every report is a point, but the later reports of a cross-channel event, which its first one stands for
    folded = con.execute("""SELECT count(*) - count(DISTINCT event_id) FROM incidents
                            WHERE event_id IS NOT NULL AND received_at >= ? AND received_at < ?""",
                         [start, end]).fetchone()[0]
    assert built.folded == folded and (built.events > 0) == (folded > 0)
    assert len(exact["data"]) + len(rings["data"]) == total - folded
    approx_folded = con.execute("""SELECT count(*) FROM incidents i WHERE event_id IS NOT NULL
                                   AND received_at >= ? AND received_at < ? AND location_precision <> 'exact'
                                   AND EXISTS (SELECT 1 FROM incidents j WHERE j.event_id = i.event_id
                                               AND (j.received_at, j.incident_id) < (i.received_at, i.incident_id)
                                               AND j.received_at >= ?)""", [start, end, start]).fetchone()[0]
    assert len(rings["data"]) == approx - approx_folded > 0, "approximate ones are drawn, not dropped"
    assert built.approximate == approx
    ids = {row["i"] for row in exact["data"] + rings["data"]}
    assert len(ids) == total - folded


def test_above_threshold_squares_add_up_to_the_filtered_total(con, fetch, demo_now):
    start, end = demo_now - timedelta(days=120), demo_now + timedelta(minutes=1)
    built = view.build_map(fetch, view.MapRequest(start, end, demo_now), _cfg(point_threshold=1000))
    total, approx = _db_total(con, start, end)
    assert total > 1000
    assert built.mode == "cells"
    cells = _layer(built.deck, "incident_cells")
    assert sum(row["n"] for row in cells["data"]) == total == built.drawn == built.total
    assert _layer(built.deck, "incidents") is None
    assert built.payload_bytes < 2_000_000


def test_open_only_and_hazard_filters_keep_totals_consistent(con, fetch, demo_now):
    start, end = view.window_bounds("7d", demo_now)
    hazards = ("flood", "traffic")
    req = view.MapRequest(start, end, demo_now, hazards=hazards, open_only=True)
    for cfg in (_cfg(), _cfg(point_threshold=0)):
        built = view.build_map(fetch, req, cfg)
        expected = con.execute("SELECT count(*) FROM incidents WHERE received_at >= ? AND received_at < ? "
                               "AND hazard IN ('flood', 'traffic') AND status <> 'closed'", [start, end]).fetchone()[0]
        assert built.total == built.drawn == expected


def test_payload_budget_forces_squares(fetch, demo_now):
    start, end = view.window_bounds("7d", demo_now)
    points = view.build_map(fetch, view.MapRequest(start, end, demo_now), _cfg())
    squeezed = view.build_map(fetch, view.MapRequest(start, end, demo_now),
                              _cfg(max_payload_bytes=points.payload_bytes - 1))
    assert points.mode == "points" and squeezed.mode == "cells"
    assert squeezed.drawn == points.drawn


def test_deck_has_no_outside_urls_and_compact_json(fetch, demo_now):
    start, end = view.window_bounds("24h", demo_now)
    built = view.build_map(fetch, view.MapRequest(start, end, demo_now, layers=view.LAYERS), _cfg(tile_url=""))
    text = built.deck.to_json()
    assert "http://" not in text and "https://" not in text
    assert "\n" not in text and "\\u" not in text, "compact and UTF-8"
    assert built.payload_bytes == len(text.encode("utf-8"))
    assert _layer(built.deck, "tiles") is None


def test_tile_url_adds_tiles_under_everything(fetch, demo_now):
    start, end = view.window_bounds("24h", demo_now)
    url = "http://tiles.intranet/{z}/{x}/{y}.png"
    built = view.build_map(fetch, view.MapRequest(start, end, demo_now), _cfg(tile_url=url, tile_zoom=11))
    layers = json.loads(built.deck.to_json())["layers"]
    tiles = [layer for layer in layers if layer["@@type"] == "BitmapLayer"]
    assert 4 <= len(tiles) <= 64
    assert layers[:len(tiles)] == tiles, "tiles are drawn first (under everything)"
    assert all(t["image"].startswith("http://tiles.intranet/11/") for t in tiles)
    # the tiles together cover the county seat
    seat = (119.06, 27.62)
    assert any(t["bounds"][0] <= seat[0] <= t["bounds"][2] and t["bounds"][1] <= seat[1] <= t["bounds"][3]
               for t in tiles)


def test_tile_math_round_trips():
    x, y = base.tile_index(119.06, 27.62, 11)
    west, south, east, north = base.tile_bounds(x, y, 11)
    assert west <= 119.06 <= east and south <= 27.62 <= north
    assert base.tile_index(0.0, 0.0, 1) == (1, 1)


def test_view_state_is_the_same_on_every_build(fetch, demo_now):
    """Refreshes must not reset the viewer's zoom/pan: the initial view depends on config only."""
    a = view.build_map(fetch, view.MapRequest(*view.window_bounds("24h", demo_now), demo_now), _cfg())
    later = demo_now + timedelta(minutes=7)
    b = view.build_map(fetch, view.MapRequest(*view.window_bounds("7d", later), later), _cfg())
    assert json.loads(a.deck.to_json())["initialViewState"] == json.loads(b.deck.to_json())["initialViewState"]


@pytest.mark.parametrize("lang, word", [("zh-CN", "级"), ("en", "IV")])
def test_tooltips_in_the_ui_language(fetch, demo_now, lang, word):
    start, end = view.window_bounds("7d", demo_now)
    built = view.build_map(fetch, view.MapRequest(start, end, demo_now, lang=lang), _cfg())
    tips = [row["tip"] for row in _layer(built.deck, "incidents")["data"]]
    assert any(word in tip for tip in tips)
    approx_tips = [row["tip"] for row in _layer(built.deck, "incidents_approx")["data"]]
    marker = {"zh-CN": "近似位置", "en": "approximate"}[lang]
    assert approx_tips and all(marker in tip for tip in approx_tips)


def test_window_bounds_and_bad_window(demo_now):
    start, end = view.window_bounds("today", demo_now)
    assert start.hour == 0 and start.minute == 0 and end > demo_now
    with pytest.raises(ValueError):
        view.window_bounds("fortnight", demo_now)


def test_compact_points_and_colour_expressions(fetch):
    hazards, severities = fetch("hazard_types"), fetch("severity_levels")
    points = pd.DataFrame({"incident_id": [1, 2], "hazard": ["flood", "forest_fire"], "severity": [1, 4],
                           "is_open": [True, False], "lon": [119.123456, 119.2], "lat": [27.6, 27.7],
                           "location_precision": ["exact", "village"]})
    rows = incidents.compact_points(points, hazards, pd.Series(["a", "b"]))
    assert list(rows.columns) == ["i", "c", "s", "o", "x", "y", "tip"]
    assert rows.loc[0, "x"] == pytest.approx(119.1235)
    layers = incidents.point_layers_from_frame(points, pd.Series(["a", "b"]), hazards, severities)
    ids = [layer.id for layer in layers]
    assert ids == ["incidents_open_halo", "incidents_approx", "incidents"], "exact dots drawn (and picked) on top"
    fill = json.loads(base.make_deck(layers, base.view_state(119, 27, 9)).to_json())["layers"][2]["getFillColor"]
    code = incidents.hazard_codes(hazards)["forest_fire"]
    assert f"c == {code} ? [213, 94, 0, 235]" in fill, "forest fire keeps its table colour"


def test_cell_ramp_is_monotonic_and_grid_shading():
    steps = [incidents.cell_ramp_step(n, 1000) for n in (1, 10, 100, 1000)]
    assert steps == sorted(steps) and steps[0] == 0 and steps[-1] == len(incidents.COUNT_RAMP) - 1
    assert grid.shade(0, 10) == grid.EMPTY_RGBA
    assert grid.shade(10, 10)[:3] == base.hex_to_rgb(grid.GRID_RAMP[-1])[:3]


def test_grid_layer_from_query(fetch, demo_now):
    cells = fetch("onemap_grid_cells", start=demo_now - timedelta(days=30), end=demo_now)
    assert len(cells) == 389 or len(cells) > 0
    layer = grid.grid_layer(cells, "open_n", tip=cells["name"])
    features = layer.data["features"]
    assert len(features) == len(cells)
    busiest = max(features, key=lambda f: f["properties"]["open_n"])
    assert busiest["properties"]["fill"] != grid.EMPTY_RGBA


def test_legend_lists_every_hazard_in_the_language(fetch):
    hazards = fetch("hazard_types")
    entries = legend.hazard_entries(hazards, "name_en")
    assert [e["label"] for e in entries] == list(hazards.sort_values("sort_order")["name_en"])
    html = legend.legend_html([("Hazards", entries)])
    assert html.count('class="onemap-legend-item"') == len(hazards)
    assert "<script" not in legend.legend_html([("<script>", [])])


def test_raw_json_rows_go_into_the_deck_as_they_are():
    rows = [{"i": 1, "tip": "洪涝 · \"quoted\" · @@raw-0@@"}, {"i": 2, "tip": "b"}]
    text = json.dumps(rows, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    raw = base.RawJson(text, 2)
    layers = [pdk.Layer("ScatterplotLayer", data=raw, id="a", get_position="[x, y]"),
              pdk.Layer("ScatterplotLayer", data=[{"tip": "@@raw-0@@"}], id="b", get_position="[x, y]"),
              pdk.Layer("ScatterplotLayer", data=base.RawJson("[]", 0), id="c", get_position="[x, y]")]
    deck = base.make_deck(layers, base.view_state(119, 27, 9), {"html": "{tip}"})
    out = deck.to_json()
    assert text in out, "spliced unchanged"
    parsed = json.loads(out)
    assert [layer["data"] for layer in parsed["layers"]] == [rows, [{"tip": "@@raw-0@@"}], []]
    assert len(raw) == 2 and raw.rows() == rows
    # the same deck with plain lists gives the same JSON text
    plain = base.make_deck([pdk.Layer("ScatterplotLayer", data=rows, id="a", get_position="[x, y]"), layers[1],
                            pdk.Layer("ScatterplotLayer", data=[], id="c", get_position="[x, y]")],
                           base.view_state(119, 27, 9), {"html": "{tip}"})
    assert plain.to_json() == out


def _ramp_colour(n: int, max_n: int) -> list[int]:
    return base.hex_to_rgb(incidents.COUNT_RAMP[incidents.cell_ramp_step(n, max_n)], incidents.COUNT_ALPHA)


def _eval_fill(expression: str, n: int) -> list[int]:
    """deck.gl's evaluation of a cell_fill_expression ('n >= T ? [..] : (...)') for one square."""
    import re
    expr = expression.removeprefix("@@=")
    while (m := re.fullmatch(r"n >= (\d+) \? (\[[^\]]*\]) : \((.*)\)", expr)):
        if n >= int(m.group(1)):
            return json.loads(m.group(2))
        expr = m.group(3)
    return json.loads(expr.strip("()"))


@pytest.mark.parametrize("max_n", [1, 2, 3, 5, 16, 81, 1000, 163_606])
def test_cell_fill_expression_draws_the_ramp_colour_of_every_count(max_n):
    expression = incidents.cell_fill_expression(max_n)
    counts = set(range(1, min(max_n, 3000) + 1)) | {max_n} | {t + d for t in incidents.cell_ramp_thresholds(max_n)
                                                                for d in (-1, 0, 1) if 1 <= t + d <= max_n}
    for n in sorted(counts):
        assert _eval_fill(expression, n) == _ramp_colour(n, max_n), (max_n, n)


def test_cells_deck_colours_by_count_in_the_browser(fetch, demo_now):
    start, end = demo_now - timedelta(days=120), demo_now + timedelta(minutes=1)
    built = view.build_map(fetch, view.MapRequest(start, end, demo_now), _cfg(point_threshold=1000))
    cells = _layer(built.deck, "incident_cells")
    top = max(row["n"] for row in cells["data"])
    assert _eval_fill(cells["getFillColor"], top) == base.hex_to_rgb(incidents.COUNT_RAMP[-1], 200)
    assert _eval_fill(cells["getFillColor"], 1) == _ramp_colour(1, top)
    assert set(cells["data"][0]) == {"n", "p", "tip"}, "rows carry only what the browser draws"


def test_base_layers_carry_duckdb_geojson_text_unparsed_but_equal(con, fetch):
    """County, townships and rivers go into the deck as JSON text; parsed, they are the same collections
    feature_collection and json.loads would have built (the rivers: the rivers table's rows)."""
    townships, outline = fetch("township_boundaries"), fetch("county_outline").iloc[0]["geojson"]
    rivers = fetch("onemap_rivers").iloc[0]
    layers = [base.county_layer(outline), base.township_layer(townships), base.river_layer(rivers["geojson"])]
    assert [len(layer.data) for layer in layers] == [1, len(townships), 1]
    deck = json.loads(base.make_deck(layers, base.view_state(119, 27, 9)).to_json())
    parsed = {la["id"]: la["data"] for la in deck["layers"]}
    assert parsed["county"] == {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(outline), "properties": {}}]}
    assert parsed["townships"] == base.feature_collection(townships[["name", "geojson"]])
    rows = con.execute("SELECT ST_AsGeoJSON(geom), name FROM rivers ORDER BY river_id").fetchall()
    assert int(rivers["n"]) == len(rows) > 0
    assert parsed["rivers"] == {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(geometry), "properties": {"name": name}} for geometry, name in rows]}
