"""Coordinate conversion against published reference points."""
import numpy as np
import pytest

from data import coords


def test_gcj02_and_bd09_match_the_published_beijing_examples():
    # The examples of the widely used coordtransform library (wandergis): input 116.404, 39.915.
    lon, lat = coords.from_wgs84([116.404], [39.915], "gcj02")
    assert lon[0] == pytest.approx(116.41024449916938, abs=1e-9)
    assert lat[0] == pytest.approx(39.91640428150164, abs=1e-9)
    # and back: the exact inverse lands within a centimetre of the WGS84 input
    back_lon, back_lat = coords.to_wgs84(lon, lat, "GCJ-02")
    assert back_lon[0] == pytest.approx(116.404, abs=1e-7)
    assert back_lat[0] == pytest.approx(39.915, abs=1e-7)


def test_bd09_reference_and_round_trip():
    import prcoords
    # coordtransform: gcj02tobd09(116.404, 39.915) = (116.41036949371029, 39.92133699351021)
    bd = prcoords.gcj_bd(prcoords.Coords(39.915, 116.404))
    assert (bd.lon, bd.lat) == pytest.approx((116.41036949371029, 39.92133699351021), abs=1e-9)
    lon, lat = coords.from_wgs84([119.2534], [27.5581], "bd09")
    back = coords.to_wgs84(lon, lat, "bd09")
    assert back[0][0] == pytest.approx(119.2534, abs=1e-7) and back[1][0] == pytest.approx(27.5581, abs=1e-7)


def test_gcj02_offset_in_qingyuan_is_the_known_half_kilometre():
    """FACTS.md: here GCJ-02 lies about 490 m east and 350 m south of WGS84."""
    x, y = coords.from_wgs84([119.06], [27.62], "gcj02")
    east = (x[0] - 119.06) * 111320 * np.cos(np.radians(27.62))
    north = (y[0] - 27.62) * 110540
    assert 450 < east < 550 and -400 < north < -300


def test_epsg4549_central_meridian_point_has_the_published_meridian_arc():
    # On the central meridian (120 E) x is the false easting 500 000 m and y the meridian arc length;
    # at 30 N the GRS80/CGCS2000 arc is 3 320 113.40 m (geodesy tables; WGS84 differs by < 1 mm).
    x, y = coords.from_wgs84([120.0], [30.0], "EPSG:4549")
    assert x[0] == pytest.approx(500000.0, abs=0.01)
    assert y[0] == pytest.approx(3320113.40, abs=0.05)
    lon, lat = coords.to_wgs84([500000.0], [3320113.398], "epsg4549")
    assert lon[0] == pytest.approx(120.0, abs=1e-8) and lat[0] == pytest.approx(30.0, abs=1e-8)


def test_city_management_sample_point_lands_in_the_county_seat():
    lon, lat = coords.to_wgs84([407196.7], [3056850.8], "EPSG:4549")
    assert 119.04 < lon[0] < 119.08 and 27.60 < lat[0] < 27.64


def test_wgs84_and_cgcs2000_pass_through_and_bad_input_is_nan():
    lon, lat = coords.to_wgs84([119.1, np.nan], [27.6, 27.6], "cgcs2000")
    assert lon[0] == 119.1 and np.isnan(lon[1])
    lon, lat = coords.to_wgs84([np.nan], [27.6], "gcj02")
    assert np.isnan(lon[0]) and np.isnan(lat[0])
    with pytest.raises(ValueError):
        coords.to_wgs84([1.0], [2.0], "EPSG:3857")
    assert coords.normalise_system("GCJ-02") == "gcj02" and coords.normalise_system("nonsense") is None
