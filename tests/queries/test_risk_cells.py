"""Risk scores on the hand-built county: each component, that the shares add up to the score, and replay."""
from datetime import datetime

import pytest

from config import risk_config
from queries import runner
from tests.queries import tiny_county

SHARES = ["share_history", "share_reservoir", "share_geo_points", "share_alarms", "share_population"]


@pytest.fixture(scope="module")
def tiny():
    con = tiny_county.build()
    yield con
    con.close()


def _params(as_of, hazard="flood", **weights):
    params = risk_config.risk_params(hazard, as_of)
    params.update({f"w_{k}": v for k, v in weights.items()})
    return params


def _by_cell(frame):
    return frame.set_index("grid_cell_id")


def test_components_at_the_date(tiny):
    cells = _by_cell(runner.run(tiny, "risk_cells", **_params(tiny_county.AS_OF)))
    # same-day-of-year history: 3 in cell 1, 1 in cell 2; cell 3's is half a year off, cell 4's is in the future
    assert cells.loc[[1, 2, 3, 4], "history"].tolist() == pytest.approx([1.0, 1 / 3, 0.0, 0.0])
    assert cells.loc[[1, 2, 3, 4], "incidents"].tolist() == [3, 1, 1, 0]
    # the reservoir sits at cell 1's centre at its flood-limit level
    assert cells.loc[1, "reservoir"] == pytest.approx(1.0, abs=1e-6) and cells.loc[1, "reservoir_name"] == "甲水库"
    assert cells.loc[3, "reservoir"] == 0.0  # 9.8 km away, beyond the 8 km radius
    assert cells.loc[[1, 2, 3, 4], "geo_points"].tolist() == [0, 0, 1, 0]
    assert cells.loc[3, "geo_points_norm"] == 1.0
    assert cells.loc[[1, 2], "alarms"].tolist() == [0, 1]  # cell 1's alarm comes a day after the date
    assert cells.loc[2, "alarms_norm"] == pytest.approx(1 - 2.718281828 ** (-1 / 3), abs=1e-6)
    assert cells.loc[[1, 2, 3, 4], "population_norm"].tolist() == pytest.approx([0.25, 0.5, 1.0, 0.0])
    assert cells.loc[1, "members"] == "王一 13800000001; 李二 13800000002"


@pytest.mark.parametrize("hazard", risk_config.RISK_HAZARDS)
def test_shares_add_up_to_the_score_and_follow_the_weights(tiny, hazard):
    params = _params(tiny_county.AS_OF, hazard)
    cells = runner.run(tiny, "risk_cells", **params)
    assert (cells[SHARES].sum(axis=1) - cells["score"]).abs().max() < 1e-9
    assert cells["score"].between(0, 100).all()
    w_sum = sum(params[f"w_{c}"] for c in risk_config.COMPONENTS)
    norms = {"history": "history", "reservoir": "reservoir", "geo_points": "geo_points_norm",
             "alarms": "alarms_norm", "population": "population_norm"}
    for component, norm in norms.items():
        expected = 100 * params[f"w_{component}"] * cells[norm] / w_sum
        assert (cells[f"share_{component}"] - expected).abs().max() < 1e-9
    assert cells["rank"].tolist() == list(range(1, 5))
    assert cells["score"].is_monotonic_decreasing


def test_one_weight_alone_ranks_by_that_component(tiny):
    only_geo = runner.run(tiny, "risk_cells", **_params(tiny_county.AS_OF, history=0, reservoir=0, geo_points=1,
                                                        alarms=0, population=0))
    assert only_geo.iloc[0]["grid_cell_id"] == 3 and only_geo.iloc[0]["score"] == pytest.approx(100.0)
    only_history = runner.run(tiny, "risk_cells", **_params(tiny_county.AS_OF, history=1, reservoir=0,
                                                            geo_points=0, alarms=0, population=0))
    assert only_history["grid_cell_id"].tolist()[:2] == [1, 2]
    assert only_history["score"].tolist()[:2] == pytest.approx([100.0, 100 / 3])


def test_replay_uses_only_what_was_known_then(tiny):
    later = _by_cell(runner.run(tiny, "risk_cells", **_params(datetime(2026, 7, 17, 12, 0))))
    assert later.loc[1, "alarms"] == 1  # the alarm of 07-16 is now in the past week
    assert later.loc[1, "reservoir"] == 0.0  # the 07-16 reading is at dead level
    assert later.loc[4, "incidents"] == 0  # 07-20 still in the future
    long_before = _by_cell(runner.run(tiny, "risk_cells", **_params(datetime(2025, 7, 1))))
    assert long_before["incidents"].sum() == 0 and long_before["alarms"].sum() == 0
    assert long_before["reservoir"].sum() == 0.0  # no reading in the week before


def test_forest_fire_counts_only_its_own_history(tiny):
    cells = _by_cell(runner.run(tiny, "risk_cells", **_params(tiny_county.AS_OF, "forest_fire")))
    assert cells["incidents"].to_dict() == {1: 0, 2: 0, 3: 0, 4: 1}
    assert cells.loc[4, "history"] == 1.0


def test_incidents_as_they_stood(tiny):
    frame = runner.run(tiny, "risk_incidents_as_of", as_of=datetime(2025, 7, 15, 11, 30),
                       hazards=["flood"], window_days=3, max_rows=100)
    status = dict(zip(frame.incident_id, frame.status_then))
    # 10 closed at 12:00, 11 received 10:00 closed 13:00, 12 received 11:00; 13 closed at 11:00
    assert status == {10: "open", 11: "open", 12: "open", 13: "closed"}


def test_bad_weights_are_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[risk.weights.flood]\nhistory = -1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="flood"):
        risk_config.load(str(bad))
