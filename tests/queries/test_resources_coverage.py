"""Coverage on the hand-built county: nearest team per specialty, nearest shelter, gaps beyond reach."""
import pytest

from config import risk_config
from queries import runner
from tests.queries import tiny_county

SPECIALTIES = ["water_rescue", "medical", "geo_hazard"]


@pytest.fixture(scope="module")
def coverage():
    con = tiny_county.build()
    frame = runner.run(con, "coverage_villages", specialties=SPECIALTIES, reach_min=5.0, detour=1.0,
                       speed_kmh=60.0, township_id=None)
    places = runner.run(con, "coverage_shelter_places")
    con.close()
    return frame, places


def _cell(frame, village, specialty):
    return frame[(frame.village == village) & (frame.specialty == specialty)].iloc[0]


def test_one_row_per_village_and_specialty_plus_shelter(coverage):
    frame, _ = coverage
    assert len(frame) == 3 * (len(SPECIALTIES) + 1)


def test_nearest_team_and_travel_time(coverage):
    frame, _ = coverage
    near = _cell(frame, "近村", "water_rescue")
    assert near.nearest == "水上一队" and near.distance_km == pytest.approx(1.13, abs=0.02)
    assert near.travel_min == 2 and not near.beyond_reach
    far = _cell(frame, "远村", "water_rescue")
    assert far.nearest == "山地二队" and far.distance_km == pytest.approx(6.90, abs=0.03) and far.beyond_reach
    assert not _cell(frame, "远村", "medical").beyond_reach


def test_a_specialty_no_team_has_is_a_gap_everywhere(coverage):
    frame, _ = coverage
    geo = frame[frame.specialty == "geo_hazard"]
    assert geo["beyond_reach"].all() and geo["nearest"].isna().all()


def test_nearest_shelter_and_gap_count(coverage):
    frame, _ = coverage
    assert _cell(frame, "近村", "shelter").nearest == "近村避灾点"
    assert _cell(frame, "远村", "shelter").beyond_reach  # 6.8 km to 远乡避灾点
    gaps = frame.drop_duplicates("village").set_index("village")["gaps"].to_dict()
    # 近村: medical (9.9 km), geo_hazard; 中村: medical, geo_hazard; 远村: water_rescue, geo_hazard, shelter
    assert gaps == {"近村": 2, "中村": 2, "远村": 3}


def test_shelter_places_per_100_residents(coverage):
    _, places = coverage
    per_100 = dict(zip(places.township, places.places_per_100))
    assert per_100 == {"甲1乡": 10.0, "甲2乡": 2.5}
    assert places.township.tolist()[0] == "甲2乡", "worst-served township first"


def test_reach_must_be_positive():
    with pytest.raises(ValueError):
        risk_config.coverage_params(0)
