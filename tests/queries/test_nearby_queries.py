"""Nearest-resource queries (reused by the resources/risk decision aids): distances checked against an
independent haversine in Python, ordering, limits and filters on the demo database."""
import math

import pytest

from queries import runner

CENTRE = {"lon": 119.07, "lat": 27.61}  # the county seat


def haversine_km(lon1, lat1, lon2, lat2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def test_nearby_teams_are_the_nearest_with_true_distances(con):
    teams = runner.run(con, "nearby_teams", **CENTRE, limit=5, specialty=None)
    assert len(teams) == 5
    assert teams["distance_km"].is_monotonic_increasing
    for row in teams.itertuples():
        assert row.distance_km == pytest.approx(haversine_km(row.lon, row.lat, **{"lon2": CENTRE["lon"],
                                                                                   "lat2": CENTRE["lat"]}), abs=0.02)
        assert row.travel_min >= row.distance_km  # slower than 60 km/h on mountain roads
    every = con.execute("SELECT lon, lat FROM rescue_teams").fetchall()
    fifth = sorted(haversine_km(lon, lat, CENTRE["lon"], CENTRE["lat"]) for lon, lat in every)[4]
    assert teams["distance_km"].max() == pytest.approx(fifth, abs=0.02)
    assert teams["leader_phone"].str.contains(r"\*\*\*\*").all()


def test_nearby_teams_specialty_filter(con):
    teams = runner.run(con, "nearby_teams", **CENTRE, limit=3, specialty="water_rescue")
    assert len(teams) >= 1
    assert all("water_rescue" in list(s) for s in teams["specialties"])


def test_nearby_shelters_have_free_places(con):
    shelters = runner.run(con, "nearby_shelters", **CENTRE, limit=4)
    assert len(shelters) == 4
    assert (shelters["free_places"] > 0).all()
    assert shelters["distance_km"].is_monotonic_increasing


def test_nearby_cameras_stay_inside_the_radius(con):
    cams = runner.run(con, "nearby_cameras", **CENTRE, radius_m=1000.0)
    assert len(cams) > 0
    assert (cams["distance_m"] <= 1000).all()
    assert cams["distance_m"].is_monotonic_increasing
    every = con.execute("SELECT lon, lat FROM cameras").fetchall()
    inside = sum(haversine_km(lon, lat, CENTRE["lon"], CENTRE["lat"]) <= 0.999 for lon, lat in every)
    assert len(cams) >= inside, "the lon/lat prefilter box must not lose cameras inside the circle"


def test_similar_incidents_same_hazard_nearby_same_season_and_earlier(con):
    row = con.execute("""SELECT incident_id, hazard, lon, lat, received_at FROM incidents
                         WHERE hazard = 'flood' ORDER BY received_at DESC LIMIT 1""").fetchone()
    _, hazard, lon, lat, at = row
    similar = runner.run(con, "similar_incidents", lon=lon, lat=lat, radius_km=10.0, hazard=hazard, at=at, limit=20)
    assert len(similar) > 0
    assert (similar["hazard"] == hazard).all()
    assert (similar["distance_km"] <= 10.0).all()
    assert (similar["received_at"] < at).all()
    assert (similar["season_gap_days"] <= 45).all()
    gaps = [min(abs(r.dayofyear - at.timetuple().tm_yday), 365 - abs(r.dayofyear - at.timetuple().tm_yday))
            for r in similar["received_at"]]
    assert max(gaps) <= 45
    assert similar["received_at"].is_monotonic_decreasing
