"""Resource layer builders: real rows from the demo database in, pydeck layers out (no Streamlit)."""
import base64
from datetime import timedelta

import pandas as pd
import pytest

from layers import resources
from queries import runner


def _records(layer):
    data = layer.data
    return data.to_dict("records") if isinstance(data, pd.DataFrame) else data


def test_camera_layer_colours_online_and_offline_differently(con):
    cameras = runner.run(con, "onemap_cameras")
    assert cameras["online"].any() and (~cameras["online"]).any(), "demo has both online and offline cameras"
    layer = resources.camera_layer(cameras)
    rows = _records(layer)
    assert len(rows) == len(cameras)
    colours = {bool(r["online"]): tuple(r["fill"]) for r in rows}
    assert colours[True] != colours[False]
    assert layer.pickable and layer.id == "cameras"


@pytest.mark.parametrize("level, limit, expected", [
    (338.2, 338.0, "above"), (337.8, 338.0, "near"), (337.0, 338.0, "normal"), (None, 338.0, "no_reading")])
def test_reservoir_status_against_limit(level, limit, expected):
    assert resources.reservoir_status(level, limit) == expected


def test_reservoir_query_status_matches_python_rule(con, demo_now):
    frame = runner.run(con, "onemap_reservoirs", now=demo_now)
    assert len(frame) == con.execute("SELECT count(*) FROM reservoirs").fetchone()[0]
    for row in frame.itertuples():
        assert row.status == resources.reservoir_status(row.level_m, row.limit_m)
    # November is outside the flood season (15 Apr - 15 Oct): the normal level applies.
    november = runner.run(con, "onemap_reservoirs", now=pd.Timestamp("2026-11-20 12:00"))
    assert (november["limit_m"] == november["normal_level_m"]).all()
    july = runner.run(con, "onemap_reservoirs", now=pd.Timestamp("2026-07-20 12:00"))
    assert (july["limit_m"] == july["flood_limit_level_m"]).all()


def test_reservoir_layer_colours_by_status():
    frame = pd.DataFrame({"reservoir_id": [1, 2], "name": ["甲", "乙"], "scale": ["medium", "small_1"],
                          "capacity_mcm": [78.26, 0.5], "level_m": [339.0, 400.0], "limit_m": [338.0, 402.0],
                          "status": ["above", "normal"], "lon": [119.0, 119.1], "lat": [27.6, 27.7]})
    rows = _records(resources.reservoir_layer(frame))
    assert rows[0]["line"][:3] != rows[1]["line"][:3]
    assert rows[0]["radius"] > rows[1]["radius"], "bigger reservoir, bigger ring"
    assert rows[0]["over_m"] == pytest.approx(1.0)


def test_team_layer_uses_inline_icons_only(con):
    teams = runner.run(con, "onemap_teams")
    rows = _records(resources.team_layer(teams, labels={"kind": {"professional": "专业队伍"}}))
    assert len(rows) == len(teams)
    layer = resources.team_layer(teams)
    atlas = layer.icon_atlas
    assert atlas.startswith("data:image/svg+xml;base64,"), "the sprite sheet is inline: no icon is fetched"
    assert set(r["icon"] for r in rows) <= set(layer.icon_mapping)
    svg = base64.b64decode(atlas.split(",", 1)[1]).decode()
    assert svg.count("<polygon") == len(resources.TEAM_COLOURS) + 1  # the triangles and the warehouse diamond
    assert any(r["kind_label"] == "专业队伍" for r in rows)
    # leader contact is masked by the query
    assert teams["leader_phone"].str.contains(r"\*\*\*\*").all()


def test_shelter_status_and_layer(con):
    assert resources.shelter_status(100, 100) == "full"
    assert resources.shelter_status(100, 90) == "filling"
    assert resources.shelter_status(100, 10) == "free"
    shelters = runner.run(con, "onemap_shelters")
    rows = _records(resources.shelter_layer(shelters))
    assert len(rows) == len(shelters)
    assert all(r["free_places"] == r["capacity"] - r["occupancy"] for r in rows)


def test_alarm_layer_holds_only_open_sensor_and_video_alarms(con, demo_now):
    alarms = runner.run(con, "onemap_alarms", start=demo_now - timedelta(days=30), end=demo_now)
    assert set(alarms["channel"]) <= {"iot_sensor", "ai_video"}
    assert (alarms["status"] != "closed").all()
    layer = resources.alarm_layer(alarms)
    assert len(_records(layer)) == len(alarms)
    assert layer.pickable and layer.id == "alarms"
