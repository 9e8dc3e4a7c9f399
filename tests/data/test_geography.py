"""Tests for data/geography.py: the generated county geography must be consistent and deterministic."""

import json

import numpy as np
import pytest
import shapely

from data import geography

SEED = 20261124
TOTAL_POPULATION = 142_551
TINY_DEG2 = 1e-9  # overlap tolerance in square degrees (~0.01 m2)


@pytest.fixture(scope="module")
def built():
    return geography.build_all(seed=SEED)


def _overlap_areas(geoms):
    """Intersection areas of every pair of geometries that touch."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    return shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))


# ------------------------------------------------------------ county and inputs


def test_county_is_the_qingyuan_outline(built):
    county = built["county"]
    assert county.is_valid
    assert geography.area_km2(county) == pytest.approx(1897, rel=0.01)


def test_load_county_honours_a_configured_boundary(tmp_path):
    square = {"type": "Polygon", "coordinates": [[[119, 27.5], [119.1, 27.5], [119.1, 27.6], [119, 27.6], [119, 27.5]]]}
    path = tmp_path / "surveyed.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection",
                                "features": [{"type": "Feature", "properties": {}, "geometry": square}]}))
    assert geography.load_county(path).bounds == pytest.approx((119, 27.5, 119.1, 27.6))


def test_geo_dir_is_inside_the_product():
    assert geography.GEO_DIR.name == "geo" and geography.GEO_DIR.parent.name == "data"
    assert "shared" not in geography.GEO_DIR.resolve().parts


def test_rivers_and_neighbours(built):
    rivers, neighbours = built["rivers"], built["neighbours"]
    assert len(rivers) == 5 and "name" in rivers.columns
    assert not rivers.geometry.is_empty.any()
    assert "庆元县" in set(neighbours["name"]) and len(neighbours) == 7


# ------------------------------------------------------------ seats and population


def test_seats_and_population(built):
    seats = built["seats"]
    assert list(seats["township_id"]) == list(range(1, 20))
    assert list(seats["code"]) == [f"{i:03d}" for i in range(1, 20)]
    assert seats["population"].sum() == TOTAL_POPULATION
    assert seats["population_estimated"].all()
    streets = seats[seats["kind"] == "街道"]
    assert set(streets["name"]) == {"松源街道", "濛洲街道", "屏都街道"}
    assert 0.55 <= streets["population"].sum() / TOTAL_POPULATION <= 0.60
    remote = seats[seats["kind"] == "乡"]["population"]
    assert remote.between(1000, 8000).all()
    estimated = set(seats.loc[seats["seat_estimated"], "name"])
    assert estimated == {"濛洲街道", "荷地镇"}


# ------------------------------------------------------------ townships


def test_townships_tile_the_county(built):
    county, townships = built["county"], built["townships"]
    geoms = townships.geometry.values
    assert len(townships) == 19 and townships.crs.to_epsg() == 4326
    assert all(g.is_valid and not g.is_empty for g in geoms)
    assert _overlap_areas(geoms).max(initial=0) < TINY_DEG2
    gap = shapely.union_all(geoms).symmetric_difference(county).area
    assert gap < 1e-6 * county.area
    assert townships["boundary_approx"].all()


def test_every_seat_is_inside_its_own_township(built):
    seats, townships = built["seats"], built["townships"].set_index("township_id")
    for _, seat in seats.iterrows():
        polygon = townships.at[seat["township_id"], "geometry"]
        assert polygon.contains(shapely.Point(seat["seat_lon"], seat["seat_lat"])), seat["name"]


def test_no_township_is_absurdly_small(built):
    # guards the suspect Hedi seat point, only ~4 km from Lingtou
    areas = [geography.area_km2(g) for g in built["townships"].geometry]
    assert min(areas) > 20


# ------------------------------------------------------------ grid cells


def test_grid_cell_count_and_codes(built):
    grid = built["grid_cells"]
    assert len(grid) == 389
    assert list(grid["grid_cell_id"]) == list(range(1, 390))
    assert grid["code"].is_unique
    assert grid["code"].str.fullmatch(r"331126-0\d\d-\d\d").all()
    assert grid.groupby("township_id").size().min() >= 8
    first = grid.iloc[0]
    assert first["code"] == "331126-001-01" and first["name"] == "松源街道第1网格"


def test_grid_cells_tile_each_township(built):
    grid, townships = built["grid_cells"], built["townships"].set_index("township_id")
    for township_id, cells in grid.groupby("township_id"):
        township = townships.at[township_id, "geometry"]
        geoms = cells.geometry.values
        for cell in geoms:
            assert cell.is_valid and not cell.is_empty
            assert cell.difference(township).area < TINY_DEG2
            assert geography.area_km2(cell) > 0.05
        assert _overlap_areas(geoms).max(initial=0) < TINY_DEG2
        assert shapely.union_all(geoms).symmetric_difference(township).area < 1e-6 * township.area


def test_grid_cell_population_sums_to_township(built):
    per_township = built["grid_cells"].groupby("township_id")["population"].sum()
    expected = built["seats"].set_index("township_id")["population"]
    assert per_township.sort_index().tolist() == expected.sort_index().tolist()


# ------------------------------------------------------------ villages


def test_villages_are_inside_their_own_township_and_the_county(built):
    villages, county = built["villages"], built["county"]
    townships = built["townships"].set_index("township_id")
    assert len(villages) == 353
    assert list(villages["village_id"]) == list(range(1, 354))
    assert villages["location_estimated"].all()
    assert shapely.contains_xy(county, villages["lon"], villages["lat"]).all()
    for township_id, group in villages.groupby("township_id"):
        polygon = townships.at[township_id, "geometry"]
        assert shapely.contains_xy(polygon, group["lon"], group["lat"]).all(), township_id


def test_villages_are_at_least_300_m_apart(built):
    villages = built["villages"]
    xy = geography._lonlat_to_xy(villages["lon"], villages["lat"])
    distances = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(distances, np.inf)
    assert distances.min() >= 300


def test_communities_cluster_at_the_seat(built):
    villages, seats = built["villages"], built["seats"].set_index("township_id")
    communities = villages[villages["kind"] == "community"]
    assert len(communities) == 8
    seat_xy = geography._lonlat_to_xy(seats.loc[communities["township_id"], "seat_lon"],
                                      seats.loc[communities["township_id"], "seat_lat"])
    xy = geography._lonlat_to_xy(communities["lon"], communities["lat"])
    assert np.hypot(*(xy - seat_xy).T).max() <= 1500


def test_village_population_sums_to_township(built):
    villages = built["villages"]
    per_township = villages.groupby("township_id")["population"].sum()
    expected = built["seats"].set_index("township_id")["population"]
    assert per_township.sort_index().tolist() == expected.sort_index().tolist()
    assert (villages["population"] > 0).all()


# ------------------------------------------------------------ determinism


def test_same_seed_same_output_other_seed_other_coordinates(built):
    again = geography.build_all(seed=SEED)
    assert again["villages"].equals(built["villages"])
    assert again["grid_cells"].geometry.equals(built["grid_cells"].geometry)
    other = geography.build_all(seed=SEED + 1)["villages"]
    assert not np.allclose(other[["lon", "lat"]].to_numpy(), built["villages"][["lon", "lat"]].to_numpy())


def test_a_configured_boundary_file_replaces_the_bundled_outline(tmp_path):
    """A deployment's own surveyed boundary is what the townships are cut from."""
    import geopandas as gpd
    from shapely.affinity import scale as shrink

    from data import geography
    bundled = geography.load_county()
    smaller = shrink(bundled, 0.9, 0.9)
    path = tmp_path / "surveyed.geojson"
    gpd.GeoDataFrame({"name": ["surveyed"]}, geometry=[smaller], crs="EPSG:4326").to_file(path, driver="GeoJSON")
    built = geography.build_all(seed=1, boundary_path=path)
    assert built["county"].symmetric_difference(smaller).area < 1e-9
    union = built["townships"].geometry.union_all()
    assert union.symmetric_difference(smaller).area < 1e-6 * smaller.area
