"""Incidents draw and pick above resources (issue 17: hovering the incidents of the last 24 h showed a team,
a shelter, a reservoir or a grid cell instead in more than half the cases): deck.gl draws layers in order and
picks the top-most object, and within a layer draws rows in order, the last on top. Also the map's controls:
the controller, the offline base-map style behind the zoom buttons, the scale bar, the home button's nudge and
the fit to the measured width."""
import json
from datetime import timedelta

import pandas as pd
import pytest

import settings
from layers import base, incidents
from queries import runner
from views import map_view
from views import one_map as view

RESOURCES = ("cameras", "reservoirs", "shelters", "rescue_teams")
INCIDENTS = ("incidents_open_halo", "incidents_approx", "incidents")


@pytest.fixture()
def fetch(con):
    return lambda name, **params: runner.run(con, name, **params)


def _deck(fetch, now, **request):
    window = request.pop("window", "24h")
    if window.endswith("d"):
        start, end = now - timedelta(days=int(window[:-1])), now
    else:
        start, end = view.window_bounds(window, now)
    built = view.build_map(fetch, view.MapRequest(start, end, now, layers=view.LAYERS, **request),
                           settings.load()["map"])
    return built, json.loads(built.deck.to_json())


def test_incidents_are_drawn_after_every_resource_alarm_and_grid_layer(fetch, demo_now):
    built, deck = _deck(fetch, demo_now, window="7d")
    assert built.mode == "points"
    ids = [layer["id"] for layer in deck["layers"]]
    assert set(RESOURCES + INCIDENTS + ("grid_cells",)) <= set(ids), ids
    first_incident = min(ids.index(i) for i in INCIDENTS)
    assert max(ids.index(r) for r in RESOURCES + ("grid_cells",)) < first_incident
    if "alarms" in ids:  # open sensor/AI alarms in the window: their halos between the two
        assert max(ids.index(r) for r in RESOURCES) < ids.index("alarms") < first_incident
    assert ids.index("incidents_approx") < ids.index("incidents"), "exact dots on top of approximate rings"
    pickable_after = [layer["id"] for layer in deck["layers"][ids.index("incidents") + 1:] if layer.get("pickable")]
    assert pickable_after == [], "nothing that picks is drawn over the incidents"


def test_severe_incidents_are_drawn_last_within_each_incident_layer(fetch, demo_now):
    _, deck = _deck(fetch, demo_now, window="90d")
    seen = set()
    for layer in deck["layers"]:
        if layer["id"] in ("incidents", "incidents_approx", "incidents_open_halo"):
            levels = [row["s"] for row in layer["data"]]
            assert levels == sorted(levels, reverse=True), f"{layer['id']}: least severe first, I last"
            seen |= set(levels)
    assert len(seen) >= 3, f"the window has several levels: {seen}"


def test_frame_points_are_in_the_same_drawing_order():
    hazards = pd.DataFrame({"code": ["flood", "traffic"], "sort_order": [1, 2], "colour": ["#0072B2", "#E69F00"]})
    severities = pd.DataFrame({"level": [1, 2, 3, 4], "colour": ["#FF0000", "#FF8800", "#FFFF00", "#0000FF"]})
    points = pd.DataFrame({"incident_id": [1, 2, 3, 4, 5], "hazard": ["flood", "traffic", "flood", "flood", "traffic"],
                           "severity": [1, 4, 2, 4, 3], "is_open": [True] * 5,
                           "received_at": pd.to_datetime(["2026-11-25 10:00", "2026-11-25 09:00", "2026-11-25 08:00",
                                                          "2026-11-25 07:00", "2026-11-25 06:00"]),
                           "lon": [119.0] * 5, "lat": [27.0] * 5, "location_precision": ["exact"] * 5})
    layers = incidents.point_layers_from_frame(points, pd.Series(list("abcde")), hazards, severities)
    rows = next(layer for layer in layers if layer.id == "incidents").data
    assert [r["i"] for r in rows] == [4, 2, 5, 3, 1], "IV (oldest first), III, II, then I drawn last"
    assert [r["tip"] for r in rows] == ["d", "b", "e", "c", "a"], "tooltips travel with their rows"


def test_the_desk_deck_has_controls_and_the_wall_deck_does_not(fetch, demo_now):
    _, desk = _deck(fetch, demo_now)
    assert desk["views"][0]["controller"] == base.CONTROLLER and base.CONTROLLER["scrollZoom"] is False
    assert desk["mapStyle"] == [base.LOCAL_STYLE] and "http" not in json.dumps(desk["mapStyle"])
    assert "mapProvider" not in desk or desk["mapProvider"] in (None, "")
    _, wall = _deck(fetch, demo_now, wall=True)
    assert wall.get("mapStyle") in (None, "", "__MAP_STYLE__"), "no base map, no buttons on the wall"


@pytest.mark.parametrize(("width_deg", "expected"), [(0.9, 10), (0.1, 1), (0.05, 0.5), (3.0, 50)])
def test_scale_bar_is_a_round_length_about_a_fifth_of_the_county(width_deg, expected):
    assert base.scale_bar_km((119.0, 27.0, 119.0 + width_deg, 27.5)) == expected


def test_scale_bar_length_on_the_ground(fetch):
    extent = map_view.county_extent(fetch)
    bar, label = base.scale_bar_layers(extent, "{km} km")
    path = bar.data[0]["path"]
    import math
    km = (path[2][0] - path[1][0]) * 111.32 * math.cos(math.radians(path[1][1]))
    assert km == pytest.approx(base.scale_bar_km(extent), rel=0.01)
    assert label.data[0]["t"] == f"{base.scale_bar_km(extent):g} km"
    assert not bar.pickable and not label.pickable


def test_home_button_nudge_moves_every_field_and_comes_back(fetch):
    cfg = settings.load()["map"]
    views = [map_view.initial_view(fetch, cfg, map_view.DESK_MAP, reset=n) for n in range(3)]
    fields = ("longitude", "latitude", "zoom")
    assert all(getattr(views[1], f) != getattr(views[0], f) for f in fields)
    assert all(getattr(views[2], f) == getattr(views[0], f) for f in fields)


def test_the_county_fits_the_measured_map_width(fetch, demo_now):
    zooms = {}
    for width in (420, 700, 1000):
        _, deck = _deck(fetch, demo_now, map_width=width)
        zooms[width] = deck["initialViewState"]["zoom"]
    assert zooms[420] < zooms[700] < zooms[1000] or zooms[420] < zooms[700] == zooms[1000], zooms
    extent = map_view.county_extent(fetch)
    cfg = settings.load()["map"]
    if cfg.get("zoom") in (None, ""):
        assert zooms[420] == pytest.approx(map_view.fit_zoom(extent, 420, map_view.DESK_MAP[1]), abs=1e-5)
