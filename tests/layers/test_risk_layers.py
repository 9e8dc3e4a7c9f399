"""Risk and decision overlays: fixed score classes, one feature per cell, highlighted cells outlined."""
import pandas as pd

from layers import risk


def test_score_classes_are_fixed_and_grow_more_opaque():
    colours = [risk.risk_colour(s) for s in (0, 19.9, 20, 59.9, 60, 80, 100)]
    assert colours[0] == colours[1] and colours[1] != colours[2]
    assert colours[4] != colours[5] and colours[5] == colours[6]
    assert [c[3] for c in (colours[0], colours[2], colours[4], colours[5])] == sorted(
        c[3] for c in (colours[0], colours[2], colours[4], colours[5]))
    assert [label for label, _ in risk.risk_legend()][-1] == "80–100"


def test_cell_layer_outlines_the_highlighted_cells():
    square = '{"type":"Polygon","coordinates":[[[119,27.6],[119.1,27.6],[119.1,27.7],[119,27.6]]]}'
    cells = pd.DataFrame({"grid_cell_id": [1, 2], "rank": [1, 2], "name": ["甲", "乙"], "township": ["t", "t"],
                          "score": [85.0, 10.0], "members": ["王一 138", None], "geojson": [square, square]})
    layer = risk.risk_cell_layer(cells, {1})
    features = layer.data["features"]
    assert [f["properties"]["line_width"] for f in features] == [3, 1]
    assert features[0]["properties"]["fill"] == risk.risk_colour(85.0)
    assert layer.id == "risk_cells" and layer.pickable


def test_sensor_layer_greys_offline_sensors_and_colours_by_type():
    sensors = pd.DataFrame({"sensor_id": [1, 2, 3], "device_code": ["a", "b", "c"], "name": ["x", "y", "z"],
                            "sensor_type": ["rain_gauge", "geo_monitor", "rain_gauge"], "online": [True, True, False],
                            "lon": [119.0] * 3, "lat": [27.6] * 3})
    data = risk.sensor_layer(sensors).data
    rows = data.to_dict("records") if isinstance(data, pd.DataFrame) else data
    fills = [tuple(r["fill"]) for r in rows]
    assert fills[0] != fills[1] and fills[2] == tuple(risk.OFFLINE_RGBA)


def test_the_legend_shows_each_class_as_the_cells_are_filled():
    for (label, css), lower in zip(risk.risk_legend(), (0, 20, 40, 60, 80)):
        r, g, b, a = risk.risk_colour(lower + 1)
        assert css == f"rgba({r},{g},{b},{a / 255:.2f})", label
