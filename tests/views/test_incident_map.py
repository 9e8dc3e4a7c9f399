"""views/incident_map.py: the one level-of-detail rule of every map of incidents, and the frame path (Analysis,
Risk) writing the same rows and tooltips as the DuckDB path (One Map) for the same incidents."""
import json
from datetime import timedelta

import pandas as pd
import pydeck as pdk
import pytest

from layers import base, incidents
from queries import runner
from views import incident_map
from views import one_map as view

CFG = {"point_threshold": 10, "max_payload_bytes": 10_000, "cell_step_deg": 0.05}


def _deck(layers):
    return base.make_deck(layers, base.view_state(119, 27.6, 9))


def _source(kind, calls, size=0):
    def source(arg):
        calls.append((kind, arg))
        data = [{"pad": "x" * size}] if size else []
        return incident_map.Drawn([pdk.Layer("ScatterplotLayer", data=data, id=kind)], 7)
    return source


@pytest.mark.parametrize("total, size, mode", [(10, 0, "points"), (11, 0, "cells"), (5, 20_000, "cells")])
def test_points_up_to_the_threshold_and_budget_squares_otherwise(total, size, mode):
    calls = []
    built = incident_map.build(total, CFG, _source("points", calls, size), _source("cells", calls), _deck)
    assert built.mode == mode and built.drawn == 7
    assert built.payload_bytes == len(built.deck.to_json().encode("utf-8"))
    assert [layer.id for layer in built.deck.layers] == [mode]
    expected = [("points", 10)] if total <= 10 else []
    if mode == "cells":
        expected.append(("cells", 0.05))
        assert built.cell_step == 0.05
    assert calls == expected, "points asked only below the threshold, squares only when points will not do"


def test_hidden_incidents_draw_nothing():
    calls = []
    built = incident_map.build(3, CFG, _source("points", calls), _source("cells", calls), _deck, show=False)
    assert (built.mode, built.drawn, calls, built.deck.layers) == ("none", 0, [], [])


def _window(con, start, end):
    return con.execute("""SELECT incident_id, hazard, severity, status, status <> 'closed' AS is_open, received_at,
                                 lon, lat, location_precision, event_id
                          FROM incidents WHERE received_at >= ? AND received_at < ?
                          ORDER BY received_at DESC, incident_id DESC""", [start, end]).df()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_frame_points_are_the_rows_and_tooltips_duckdb_writes(con, demo_now, lang):
    start, end = view.window_bounds("7d", demo_now)
    hazards, severities = runner.run(con, "hazard_types"), runner.run(con, "severity_levels")
    statuses = runner.run(con, "onemap_incident_statuses")
    frame = _window(con, start, end)
    drawn = incident_map.points_from_frame(frame, hazards, severities, statuses, lang)
    by_id = {row["i"]: row for layer in drawn.layers if layer.id != "incidents_open_halo"
             for row in layer.data}
    sql = runner.run(con, "onemap_incident_points", start=start, end=end, hazards=list(hazards["code"]),
                     open_only=False, max_rows=30000,
                     **view.point_query_params(hazards, statuses, runner.run(con, "onemap_channels"), lang))
    alone = set(frame.loc[frame["event_id"].isna(), "incident_id"])
    compared = 0
    for layer in incident_map.points_from_json(sql, hazards, severities).layers:
        if layer.id == "incidents_open_halo":
            continue
        for row in layer.data.rows():
            if row["i"] in alone:  # an event's point also names its reports (DuckDB only)
                mine = by_id[row["i"]]
                assert mine == pytest.approx({k: v for k, v in row.items() if k != "o"}), row
                compared += 1
    assert compared > 20
    frame_layers = json.loads(_deck(drawn.layers).to_json())["layers"]
    sql_layers = json.loads(_deck(incident_map.points_from_json(sql, hazards, severities).layers).to_json())["layers"]
    strip = lambda layers: [{k: v for k, v in la.items() if k != "data"} for la in layers]  # noqa: E731
    assert strip(frame_layers) == strip(sql_layers), "same layers, ids and accessors"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_frame_squares_are_the_squares_duckdb_counts(con, demo_now, lang):
    start, end = demo_now - timedelta(days=30), demo_now + timedelta(minutes=1)
    hazards = runner.run(con, "hazard_types")
    step = 0.01
    mine = incident_map.cells_from_frame(incident_map.square_counts(_window(con, start, end), step, hazards), step,
                                         hazards, lang)
    sql = runner.run(con, "onemap_incident_cells", start=start, end=end, hazards=list(hazards["code"]),
                     open_only=False, step=step, **view.cell_query_params(hazards, lang))
    theirs = incident_map.cells_from_json(sql)
    assert mine.drawn == theirs.drawn > 0
    mine_json, theirs_json = (json.loads(_deck(d.layers).to_json())["layers"][0] for d in (mine, theirs))
    assert mine_json == theirs_json, "same squares, tooltips and colours"


def test_frames_without_a_location_precision_are_exact(con, demo_now):
    hazards, severities = runner.run(con, "hazard_types"), runner.run(con, "severity_levels")
    statuses = pd.DataFrame({"code": ["open", "closed"], "name_zh": ["未办结", "已办结"]})
    frame = _window(con, demo_now - timedelta(days=1), demo_now).drop(columns=["location_precision"])
    frame["status"] = frame["is_open"].map({True: "open", False: "closed"})
    drawn = incident_map.points_from_frame(frame, hazards, severities, statuses, "zh-CN")
    sizes = {layer.id: len(layer.data) for layer in drawn.layers}
    assert sizes["incidents"] == drawn.drawn == len(frame) > 0 and sizes["incidents_approx"] == 0
    assert incidents.SEVERITY_RADIUS[1] > incidents.SEVERITY_RADIUS[4]
