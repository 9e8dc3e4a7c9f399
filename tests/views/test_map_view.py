"""Where the maps open (views/map_view.py): the county's extent from its database fitted to each map's size, the
settings as overrides, the tiles' extent; on the demo county it is the view the settings used to hard-code."""
import math

import pytest

import settings
from queries import runner
from views import map_view

EBIAN = (103.0429, 28.9766, 103.5105, 29.4379)  # tests/packs/ebian/boundary.geojson


def _shown(extent, lon, lat, zoom, size):
    """The (west, south, east, north) a deck.gl map of size shows at (lon, lat, zoom)."""
    width, height = size
    scale = 512 * 2 ** zoom
    half_lon = width / 2 / scale * 360
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    half_y = height / 2 / scale * 2 * math.pi
    lat_of = lambda v: math.degrees(2 * math.atan(math.exp(v)) - math.pi / 2)  # noqa: E731
    return lon - half_lon, lat_of(y - half_y), lon + half_lon, lat_of(y + half_y)


@pytest.mark.parametrize("size", [map_view.DESK_MAP, map_view.WALL_MAP, map_view.WIDE_MAP, (400, 900)])
def test_fitted_view_shows_the_whole_county_and_little_else(size):
    lon, lat, zoom = map_view.view_of(EBIAN, {}, size)
    west, south, east, north = _shown(EBIAN, lon, lat, zoom, size)
    assert west < EBIAN[0] and south < EBIAN[1] and east > EBIAN[2] and north > EBIAN[3], "all of it in view"
    # ... at the largest zoom that does so: a quarter step closer would cut it on one side
    w2, s2, e2, n2 = _shown(EBIAN, lon, lat, zoom + 0.25, size)
    assert w2 > EBIAN[0] or s2 > EBIAN[1] or e2 < EBIAN[2] or n2 < EBIAN[3]
    assert EBIAN[0] < lon < EBIAN[2] and EBIAN[1] < lat < EBIAN[3]


def test_settings_override_centre_and_zoom_and_wall_zoom():
    cfg = {"centre_lon": 103.3, "centre_lat": 29.1, "zoom": 8.5}
    assert map_view.view_of(EBIAN, cfg) == (103.3, 29.1, 8.5)
    assert map_view.view_of(EBIAN, cfg, map_view.WALL_MAP, zoom=10.15) == (103.3, 29.1, 10.15)
    # one of the pair alone does not move the centre; empty values (TOML has no null) count as unset
    lon, lat, zoom = map_view.view_of(EBIAN, {"centre_lon": 100.0, "centre_lat": "", "zoom": ""})
    assert EBIAN[0] < lon < EBIAN[2] and zoom == map_view.fit_zoom(EBIAN, *map_view.DESK_MAP)


def test_nothing_loaded_and_nothing_set_opens_on_the_country():
    assert map_view.view_of(None, {}) == map_view.CHINA_VIEW
    assert map_view.tile_bbox(None, {}) is None


def test_tiles_cover_the_county_and_a_margin_unless_set():
    west, south, east, north = map_view.tile_bbox(EBIAN, {})
    assert west < EBIAN[0] < EBIAN[2] < east and south < EBIAN[1] < EBIAN[3] < north
    assert east - west == pytest.approx((EBIAN[2] - EBIAN[0]) * (1 + 2 * map_view.TILE_MARGIN))
    assert map_view.tile_bbox(EBIAN, {"tile_bbox": [1, 2, 3, 4]}) == (1.0, 2.0, 3.0, 4.0)


def test_demo_county_opens_where_the_settings_used_to_put_it(con):
    """The demo's fitted views are the ones hand-set before the county was data: 119.16, 27.64 at 9.6 on the
    desk, 10.15 on the wall."""
    fetch = lambda name, **params: runner.run(con, name, **params)  # noqa: E731
    extent = map_view.county_extent(fetch)
    cfg = settings.load()["map"]
    lon, lat, zoom = map_view.view_of(extent, cfg, map_view.DESK_MAP)
    assert (lon, lat) == (pytest.approx(119.16, abs=0.02), pytest.approx(27.64, abs=0.02))
    assert zoom == pytest.approx(9.6, abs=0.15)
    assert map_view.view_of(extent, cfg, map_view.WALL_MAP)[2] == pytest.approx(10.15, abs=0.1)
    view = map_view.initial_view(fetch, cfg, map_view.DESK_MAP)
    assert (view.longitude, view.latitude, view.zoom) == (lon, lat, zoom)
