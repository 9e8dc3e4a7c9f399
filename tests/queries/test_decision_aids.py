"""Decision aids on the hand-built county (tiny_county.py), where nearest teams and buffers are known."""
import pytest

from config import risk_config
from queries import runner
from tests.queries import tiny_county

FLOOD_FIT = ["water_rescue", "mountain_search", "medical"]
TRAVEL = {"detour": 1.0, "speed_kmh": 60.0}  # 1 km = 1 minute


@pytest.fixture(scope="module")
def tiny():
    con = tiny_county.build()
    yield con
    con.close()


def test_suggested_teams_are_the_fitting_ones_nearest_first(tiny):
    teams = runner.run(tiny, "decision_suggested_teams", incident_id=1, specialties=FLOOD_FIT, need=60,
                       max_teams=8, **TRAVEL)
    # the firefighters are nearest (0.49 km) but do not fit a flood
    assert teams["name"].tolist() == ["水上一队", "山地二队", "医疗四队"]
    assert teams["distance_km"].tolist() == pytest.approx([0.985, 2.955, 9.85], abs=0.02)
    assert teams["travel_min"].tolist() == [1, 3, 10]
    assert teams["cumulative_headcount"].tolist() == [30, 70, 90]
    # 30 + 40 reach the need of 60: the medical team is not needed to make up the numbers
    assert teams["send"].tolist() == [True, True, False]
    assert set(teams["need"]) == {60}
    assert teams["leader_phone"].iloc[0] == "139****1111", "leader phone is masked"


def test_no_specialty_list_means_any_team_and_max_teams_cuts(tiny):
    teams = runner.run(tiny, "decision_suggested_teams", incident_id=1, specialties=[], need=10, max_teams=2,
                       **TRAVEL)
    assert teams["name"].tolist() == ["消防三队", "水上一队"]
    assert teams["send"].tolist() == [True, False]


def test_affected_area_lists_villages_and_shelters_inside_the_radius(tiny):
    inside_1km = runner.run(tiny, "decision_affected_area", incident_id=1, radius_m=1000.0)
    assert inside_1km[inside_1km.kind == "village"]["name"].tolist() == ["近村"]
    assert inside_1km[inside_1km.kind == "shelter"]["name"].tolist() == ["近村避灾点"]
    inside_3km = runner.run(tiny, "decision_affected_area", incident_id=1, radius_m=3000.0)
    villages = inside_3km[inside_3km.kind == "village"]
    assert villages["name"].tolist() == ["近村", "中村"]
    assert villages["distance_m"].tolist() == pytest.approx([556, 2224], abs=5)


def test_affected_summary_counts_people_shelter_places_and_cameras(tiny):
    one = runner.run(tiny, "decision_affected_summary", incident_id=1, radius_m=1000.0).iloc[0]
    assert (one.villages, one.population, one.shelters, one.free_places, one.cameras, one.cameras_online) == \
        (1, 100, 1, 90, 1, 1)
    three = runner.run(tiny, "decision_affected_summary", incident_id=1, radius_m=3000.0).iloc[0]
    assert (three.villages, three.population, three.cameras, three.cameras_online) == (2, 300, 2, 1)
    missing = runner.run(tiny, "decision_affected_summary", incident_id=999, radius_m=3000.0).iloc[0]
    assert missing.found == 0 and missing.villages == 0


def test_incident_row_masks_the_caller(tiny):
    tiny.execute("UPDATE incidents SET caller_name = '张伟', caller_phone = '13857801234' WHERE incident_id = 1")
    row = runner.run(tiny, "decision_incident", incident_id=1).iloc[0]
    assert (row.caller_name, row.caller_phone) == ("张*", "138****1234")
    assert (row.hazard, row.severity, row.severity_roman) == ("flood", 2, "II")


def test_config_gives_need_radius_and_specialties_by_hazard_and_severity():
    cfg = risk_config.load()
    assert risk_config.headcount_need(1, cfg) > risk_config.headcount_need(4, cfg)
    assert risk_config.affected_radius_m("flood", 1, cfg) > risk_config.affected_radius_m("flood", 4, cfg)
    assert risk_config.affected_radius_m("traffic", 3, cfg) == cfg["decision"]["radius_km"]["default"]["3"] * 1000
    assert "water_rescue" in risk_config.fitting_specialties("flood", cfg)
    assert risk_config.fitting_specialties("livelihood", cfg) == []
    params = risk_config.team_params("geological", 2, cfg)
    assert params["need"] == risk_config.headcount_need(2, cfg) and params["specialties"][0] == "geo_hazard"


def test_case_handling_lists_units_on_time_arrivals_and_time_to_close(tiny):
    tiny.execute("INSERT INTO linkage_units (unit_id, code, name, kind, linkage_level, township_id, hazards, phone)"
                 " VALUES (1, 'U1', '水利局', 'department', 1, NULL, ['flood'], NULL),"
                 " (2, 'U2', '甲1乡政府', 'township', 1, 1, ['flood'], NULL)")
    tiny.execute("INSERT INTO dispatches (dispatch_id, incident_id, unit_id, assigned_at, accepted_at, deadline_at,"
                 " arrived_at, feedback_at, callback_at) VALUES"
                 " (1, 10, 1, TIMESTAMP '2025-07-15 09:05', NULL, TIMESTAMP '2025-07-15 09:35',"
                 " TIMESTAMP '2025-07-15 09:30', NULL, NULL),"
                 " (2, 10, 2, TIMESTAMP '2025-07-15 09:05', NULL, TIMESTAMP '2025-07-15 09:35',"
                 " TIMESTAMP '2025-07-15 10:00', NULL, NULL)")
    cases = runner.run(tiny, "decision_case_handling", incident_ids=[10, 13, 10]).set_index("incident_id")
    assert sorted(cases.loc[10, "units"].split("、")) == sorted(["水利局", "甲1乡政府"])
    assert (cases.loc[10, "dispatches"], cases.loc[10, "arrived_on_time"],
            cases.loc[10, "minutes_to_close"]) == (2, 1, 180)
    assert cases.loc[13, "dispatches"] == 0 and cases.loc[13, "minutes_to_close"] == 60
    assert len(cases) == 2, "a repeated id is one case"


@pytest.mark.parametrize("radius_m, expected", [(1000.0, [1]), (1500.0, [1, 2]), (5000.0, [1, 2, 3])])
def test_grid_cells_reached_by_the_buffer(tiny, radius_m, expected):
    # incident in cell 1, 0.01 deg (1.11 km) south of cell 2, 0.05 deg lon (4.93 km) west of cell 3;
    # cell 4's nearest corner is 5.05 km away
    cells = runner.run(tiny, "decision_affected_cells", incident_id=1, radius_m=radius_m)
    assert cells["grid_cell_id"].tolist() == expected
    assert cells["contains_incident"].tolist() == [True] + [False] * (len(expected) - 1)
    assert cells["members"].iloc[0] == "王一 13800000001; 李二 13800000002"
    if len(expected) > 1:
        assert cells["distance_m"].iloc[1] == pytest.approx(1109, abs=15)
