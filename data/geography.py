"""Deterministic geography builder for Qingyuan County (庆元县, adcode 331126).

Reads only the files in data/geo/ and GENERATES what no offline source has:
township boundaries (Voronoi cells of the seat points), grid cells (网格) and
village coordinates. Everything generated is approximate and flagged as such.

Pure functions: no DuckDB, no Streamlit. Same seed -> identical output.
All coordinates are WGS84 lon/lat; geometry that needs real distances
(Voronoi, spacing, areas) is done in CGCS2000 / Gauss-Kruger CM 120E (EPSG:4549).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Point, Polygon

GEO_DIR: Path = Path(__file__).parent / "geo"
COUNTY_FILE = GEO_DIR / "qingyuan_county.geojson"
COUNTY_ADCODE = "331126"
DEFAULT_SEED = 20261124

WGS84 = "EPSG:4326"
METRIC_CRS = "EPSG:4549"  # CGCS2000 / 3-degree Gauss-Kruger CM 120E, metres
_TO_METRIC = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
_TO_LONLAT = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)

# People (FACTS.md): 2020 census resident population; the split is our estimate.
TOTAL_POPULATION = 142_551
COUNTY_SEAT_STREETS = ("松源街道", "濛洲街道", "屏都街道")
COUNTY_SEAT_SHARE = 0.57  # the three county-seat streets together
TOWN_WEIGHT = 1.3  # a 镇 village is on average a bit bigger than a remote 乡 village
SEAT_VILLAGE_EQUIVALENT = 4  # the seat settlement itself, counted as this many villages

# Grid cells (网格).
N_GRID_CELLS = 389
MIN_CELLS_PER_TOWNSHIP = 8
MIN_CELL_AREA_KM2 = 0.05
MAX_STRAY_FRACTION = 0.02  # a cell may have detached bits, but only crumbs
MAX_LAYOUT_ATTEMPTS = 60

# Villages.
MIN_VILLAGE_SPACING_M = 300.0
COMMUNITY_RADIUS_M = (200.0, 1500.0)
VILLAGE_RADIUS_M = (800.0, 12_000.0)  # hard limits; typical is 1-8 km
COMMUNITY_POPULATION_WEIGHT = 8.0
MAX_PLACEMENT_ATTEMPTS = 2000


# ---------------------------------------------------------------- projection


def _project(geom, transformer: Transformer):
    """Apply a pyproj transformer to every vertex of a shapely geometry."""
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def to_metric(geom):
    return _project(geom, _TO_METRIC)


def to_lonlat(geom):
    return _project(geom, _TO_LONLAT)


def _lonlat_to_xy(lon, lat) -> np.ndarray:
    x, y = _TO_METRIC.transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.column_stack([x, y])


def area_km2(geom) -> float:
    return to_metric(geom).area / 1e6


# ---------------------------------------------------------------- helpers


def apportion(total: int, weights) -> np.ndarray:
    """Split an integer total by weights (largest remainder); the parts sum exactly to total."""
    weights = np.asarray(weights, dtype=float)
    exact = total * weights / weights.sum()
    parts = np.floor(exact).astype(int)
    # stable sort: ties go to the earlier entry, so the result is deterministic
    order = np.argsort(-(exact - parts), kind="stable")
    parts[order[: total - parts.sum()]] += 1
    return parts


def apportion_with_minimum(total: int, weights, minimum: int) -> np.ndarray:
    """Proportional split where every part is at least `minimum`."""
    weights = np.asarray(weights, dtype=float)
    if total < minimum * len(weights):
        raise ValueError(f"cannot give {len(weights)} parts at least {minimum} each from {total}")
    fixed = np.zeros(len(weights), dtype=bool)
    while True:
        parts = np.full(len(weights), minimum)
        free = ~fixed
        parts[free] = apportion(total - minimum * fixed.sum(), weights[free])
        too_small = free & (parts < minimum)
        if not too_small.any():
            return parts
        fixed |= too_small


def _polygon_parts(geom) -> list[Polygon]:
    """The polygons inside any geometry (drops the points/lines make_valid may leave)."""
    parts = []
    for part in shapely.get_parts(geom):
        if isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
        elif isinstance(part, Polygon) and not part.is_empty:
            parts.append(part)
    return parts


def _as_polygonal(geom):
    parts = _polygon_parts(shapely.make_valid(geom))
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _voronoi_cells_lonlat(points_xy: np.ndarray, around_m) -> list:
    """Voronoi cells (metric) of the points, in input order, returned in lon/lat.

    Cells are made in metres so they are not stretched east-west, then only their
    vertices are converted: neighbours share identical edges, so clipping them to a
    lon/lat polygon afterwards tiles that polygon exactly.
    """
    extent = shapely.box(*around_m.buffer(20_000).bounds)
    cells = shapely.voronoi_polygons(shapely.multipoints(points_xy), extend_to=extent, ordered=True)
    return [to_lonlat(cell) for cell in shapely.get_parts(cells)]


def _sample_uniform(rng, polygon_m, n: int) -> np.ndarray:
    """n points uniformly inside a metric polygon (rejection sampling in its bbox)."""
    minx, miny, maxx, maxy = polygon_m.bounds
    found = np.empty((0, 2))
    while len(found) < n:
        xy = rng.uniform([minx, miny], [maxx, maxy], size=(4 * n + 16, 2))
        found = np.vstack([found, xy[shapely.contains_xy(polygon_m, xy[:, 0], xy[:, 1])]])
    return found[:n]


# ---------------------------------------------------------------- inputs


def load_county(boundary_path: str | Path | None = None):
    """The county outline as one valid Polygon (MultiPolygon only if the file has several) in WGS84.

    `boundary_path` lets a deployment use its own surveyed boundary (any format
    geopandas reads); all its polygons are dissolved into one outline.
    """
    path = Path(boundary_path) if boundary_path else COUNTY_FILE
    frame = gpd.read_file(path)
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(WGS84)
    return _as_polygonal(shapely.union_all(frame.geometry.values))


def load_township_seats() -> pd.DataFrame:
    """The 19 township-level units with seat points and an ESTIMATED resident population."""
    raw = pd.read_csv(GEO_DIR / "townships.csv")
    status = raw["coord_status"].fillna("").str.upper()
    seats = pd.DataFrame(
        {
            "township_id": np.arange(1, len(raw) + 1),
            "code": [f"{i:03d}" for i in range(1, len(raw) + 1)],
            "name": raw["name"],
            "kind": raw["type"],
            "pinyin": raw["pinyin"],
            "seat_lon": raw["lon"].astype(float),
            "seat_lat": raw["lat"].astype(float),
            # Mengzhou has no GeoNames point (estimate); the Hedi point is suspect.
            "seat_estimated": status.str.contains("ESTIMATE") | status.str.contains("SUSPECT"),
        }
    )
    seats["population"] = estimate_township_population(raw)
    seats["population_estimated"] = True
    return seats


def estimate_township_population(townships_csv: pd.DataFrame) -> np.ndarray:
    """Split the 2020 census total: ~57% in the three county-seat streets, the rest
    roughly by village count (镇 villages a bit bigger). Not official figures."""
    villages = townships_csv["villages_and_communities_2021"].astype(float).to_numpy()
    is_street = townships_csv["name"].isin(COUNTY_SEAT_STREETS).to_numpy()
    is_town = (townships_csv["type"] == "镇").to_numpy()

    seat_total = round(TOTAL_POPULATION * COUNTY_SEAT_SHARE)
    rural_weights = (villages + SEAT_VILLAGE_EQUIVALENT) * np.where(is_town, TOWN_WEIGHT, 1.0)

    population = np.zeros(len(villages), dtype=int)
    population[is_street] = apportion(seat_total, villages[is_street])
    population[~is_street] = apportion(TOTAL_POPULATION - seat_total, rural_weights[~is_street])
    return population


def load_rivers(margin_deg: float = 0.1) -> gpd.GeoDataFrame:
    """The 5 coarse river lines (CIA WDB II), clipped to the county bbox plus a margin.

    The source has no names; `name` stays '' rather than guessing.
    """
    rivers = gpd.read_file(GEO_DIR / "rivers_coarse.geojson")
    minx, miny, maxx, maxy = load_county().bounds
    window = shapely.box(minx - margin_deg, miny - margin_deg, maxx + margin_deg, maxy + margin_deg)
    rivers["geometry"] = rivers.geometry.intersection(window)
    rivers = rivers[~rivers.geometry.is_empty].reset_index(drop=True)
    rivers.insert(0, "river_id", np.arange(1, len(rivers) + 1))
    rivers.insert(1, "name", "")
    return rivers.set_crs(WGS84, allow_override=True)


def load_neighbours() -> gpd.GeoDataFrame:
    """Qingyuan and its neighbouring counties, for context on the offline map."""
    neighbours = gpd.read_file(GEO_DIR / "neighbours.geojson")
    neighbours.insert(0, "name", neighbours["district_name"])
    return neighbours.set_crs(WGS84, allow_override=True)


# ---------------------------------------------------------------- townships


def build_township_polygons(county, seats: pd.DataFrame) -> gpd.GeoDataFrame:
    """APPROXIMATE township boundaries: Voronoi cells of the seats, clipped to the county.

    Note on Hedi (荷地镇): its GeoNames point is suspect (~4 km from the Lingtou
    point). We keep it, having no better source. With it Hedi's cell is ~99 km2 and
    Lingtou's ~77 km2, far above the 20 km2 that would make it absurd (tested), so
    no correction is applied; if the point is wrong, both boundaries are too.
    """
    seats_xy = _lonlat_to_xy(seats["seat_lon"], seats["seat_lat"])
    cells = _voronoi_cells_lonlat(seats_xy, to_metric(county))
    clipped = [_as_polygonal(cell.intersection(county)) for cell in cells]
    seat_points = [Point(xy) for xy in zip(seats["seat_lon"], seats["seat_lat"])]
    geometry = _absorb_exclaves(clipped, seat_points)
    return gpd.GeoDataFrame(
        {
            "township_id": seats["township_id"].to_numpy(),
            "code": seats["code"].to_numpy(),
            "name": seats["name"].to_numpy(),
            "boundary_approx": True,
        },
        geometry=geometry,
        crs=WGS84,
    )


def _absorb_exclaves(polygons: list, seat_points: list) -> list:
    """Give each detached piece of a township to the neighbour it shares most border with.

    A Voronoi cell clipped to a ragged county outline can leave a piece on the far
    side of a border notch (Baishanzu gets ~3 km2 beyond Songyuan with the GeoNames
    seats, which Songyuan takes); a township is one area, so the piece joins its neighbour.
    """
    polygons = list(polygons)
    for owner, geom in enumerate(list(polygons)):
        parts = _polygon_parts(geom)
        if len(parts) < 2:
            continue
        home = next((p for p in parts if p.covers(seat_points[owner])), max(parts, key=lambda p: p.area))
        polygons[owner] = home
        for piece in parts:
            if piece is home:
                continue
            shared = [
                0.0 if i == owner else piece.boundary.intersection(other).length
                for i, other in enumerate(polygons)
            ]
            taker = int(np.argmax(shared)) if max(shared) > 0 else owner
            polygons[taker] = _as_polygonal(shapely.union(polygons[taker], piece))
    return polygons


# ---------------------------------------------------------------- grid cells


def build_grid_cells(
    townships_gdf: gpd.GeoDataFrame,
    seats_df: pd.DataFrame,
    n_cells: int = N_GRID_CELLS,
    seed: int = DEFAULT_SEED,
) -> gpd.GeoDataFrame:
    """Grid cells (网格) tiling each township; more, smaller cells where more people live."""
    rng = np.random.default_rng(seed)
    seats = seats_df.set_index("township_id")
    townships = townships_gdf.set_index("township_id").loc[seats.index]
    counts = apportion_with_minimum(n_cells, seats["population"], MIN_CELLS_PER_TOWNSHIP)

    rows = []
    for (township_id, seat), count in zip(seats.iterrows(), counts):
        polygon = townships.at[township_id, "geometry"]
        seat_xy = _lonlat_to_xy([seat["seat_lon"]], [seat["seat_lat"]])[0]
        cells = _township_grid_layout(rng, polygon, seat_xy, int(count))
        populations = apportion(int(seat["population"]), rng.lognormal(0.0, 0.3, len(cells)))
        for nn, (cell, population) in enumerate(zip(cells, populations), start=1):
            rows.append(
                {
                    "code": f"{COUNTY_ADCODE}-{seat['code']}-{nn:02d}",
                    "township_id": township_id,
                    "name": f"{seat['name']}第{nn}网格",
                    "population": int(population),
                    "geometry": cell,
                }
            )
    grid = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    grid.insert(0, "grid_cell_id", np.arange(1, len(grid) + 1))
    return grid


def _township_grid_layout(rng, polygon, seat_xy: np.ndarray, count: int) -> list:
    """Voronoi layout of `count` cells clipped to the township; resample bad layouts.

    A layout is bad when a cell is tiny or mostly made of detached slivers
    (which happens when a Voronoi cell straddles a narrow bend of the border).
    The least bad layout is kept if none is perfect, so the result is always complete.
    """
    polygon_m = to_metric(polygon)
    best, best_badness = None, np.inf
    for _ in range(MAX_LAYOUT_ATTEMPTS):
        generators = _grid_generators(rng, polygon_m, seat_xy, count)
        cells = [
            _as_polygonal(cell.intersection(polygon))
            for cell in _voronoi_cells_lonlat(generators, polygon_m)
        ]
        badness = _layout_badness(cells)
        if badness < best_badness:
            best, best_badness = cells, badness
        if badness == 0:
            break
    return best


def _grid_generators(rng, polygon_m, seat_xy: np.ndarray, count: int) -> np.ndarray:
    """Half the cell centres near the seat (people live there), half anywhere;
    kept apart from each other so no cell is a sliver."""
    spread = np.sqrt(polygon_m.area / np.pi) * 0.35
    min_gap = 0.4 * np.sqrt(polygon_m.area / count)
    chosen: list[np.ndarray] = []
    while len(chosen) < count:
        near_seat = rng.normal(seat_xy, spread, size=(count, 2))
        near_seat = near_seat[shapely.contains_xy(polygon_m, near_seat[:, 0], near_seat[:, 1])]
        candidates = np.vstack([near_seat[: count // 2], _sample_uniform(rng, polygon_m, count)])
        for xy in candidates[rng.permutation(len(candidates))]:
            if len(chosen) == count:
                break
            if not chosen or np.min(np.hypot(*(np.array(chosen) - xy).T)) >= min_gap:
                chosen.append(xy)
        min_gap *= 0.9  # a crowded, odd-shaped township: relax rather than loop forever
    return np.array(chosen)


def _layout_badness(cells: list) -> float:
    """0 for a clean layout; otherwise how far it is from one."""
    badness = 0.0
    for cell in cells:
        if cell.is_empty or not cell.is_valid:
            return np.inf
        cell_km2 = area_km2(cell)
        largest_km2 = max(area_km2(part) for part in _polygon_parts(cell))
        badness += max(0.0, MIN_CELL_AREA_KM2 - cell_km2) * 1000
        badness += max(0.0, 1 - largest_km2 / cell_km2 - MAX_STRAY_FRACTION)
    return badness


# ---------------------------------------------------------------- villages


def place_villages(
    villages_csv_df: pd.DataFrame | None,
    townships_gdf: gpd.GeoDataFrame,
    seats_df: pd.DataFrame,
    rivers: gpd.GeoDataFrame | None,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """GENERATED village coordinates and ESTIMATED populations.

    Communities cluster around the seat; villages spread 1-8 km around it, pulled
    toward the river when one crosses the township (valleys are where people live).
    Every point is inside its own township and >= 300 m from every other village.
    """
    rng = np.random.default_rng(seed)
    villages = villages_csv_df if villages_csv_df is not None else pd.read_csv(GEO_DIR / "villages.csv")
    rivers = rivers if rivers is not None else load_rivers()
    seats = seats_df.set_index("name")
    polygons = townships_gdf.set_index("township_id")["geometry"]
    river_lines_m = to_metric(shapely.union_all(rivers.geometry.values))

    placed_xy: list[np.ndarray] = []
    rows = []
    for township_name, group in villages.groupby("township", sort=False):
        seat = seats.loc[township_name]
        township_id = int(seat["township_id"])
        polygon = polygons.loc[township_id]
        context = _PlacementContext(
            seat_xy=_lonlat_to_xy([seat["seat_lon"]], [seat["seat_lat"]])[0],
            polygon=polygon,
            river_m=river_lines_m.intersection(to_metric(polygon)),
            typical_radius_m=np.clip(0.5 * np.sqrt(area_km2(polygon) / np.pi) * 1000, 2500, 6000),
        )
        weights = rng.lognormal(0.0, 0.5, len(group)) * np.where(
            group["kind"] == "community", COMMUNITY_POPULATION_WEIGHT, 1.0
        )
        populations = apportion(int(seat["population"]), weights)
        for (_, village), population in zip(group.iterrows(), populations):
            xy = _place_one(rng, context, village["kind"], placed_xy)
            placed_xy.append(xy)
            rows.append((township_id, village["village"], village["kind"], xy, int(population)))

    lon, lat = _TO_LONLAT.transform(*np.array([r[3] for r in rows]).T)
    return pd.DataFrame(
        {
            "village_id": np.arange(1, len(rows) + 1),
            "township_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "lon": lon,
            "lat": lat,
            "population": [r[4] for r in rows],
            "location_estimated": True,
        }
    )


class _PlacementContext:
    """What placing a village in one township needs to know."""

    def __init__(self, seat_xy, polygon, river_m, typical_radius_m):
        self.seat_xy = seat_xy
        self.polygon = polygon
        self.river_m = river_m
        self.typical_radius_m = typical_radius_m


def _place_one(rng, context: _PlacementContext, kind: str, placed_xy: list) -> np.ndarray:
    """Draw candidate points until one is inside the township and far enough from the others."""
    placed = np.array(placed_xy) if placed_xy else np.empty((0, 2))
    for _ in range(MAX_PLACEMENT_ATTEMPTS):
        xy = _candidate_point(rng, context, kind)
        if not _inside(context.polygon, xy):
            continue
        if len(placed) and np.min(np.hypot(*(placed - xy).T)) < MIN_VILLAGE_SPACING_M:
            continue
        return xy
    raise RuntimeError(f"could not place a {kind} in township polygon after {MAX_PLACEMENT_ATTEMPTS} tries")


def _candidate_point(rng, context: _PlacementContext, kind: str) -> np.ndarray:
    angle = rng.uniform(0, 2 * np.pi)
    if kind == "community":
        radius = rng.uniform(*COMMUNITY_RADIUS_M)
    else:
        radius = np.clip(rng.lognormal(np.log(context.typical_radius_m), 0.5), *VILLAGE_RADIUS_M)
    xy = context.seat_xy + radius * np.array([np.cos(angle), np.sin(angle)])
    if kind != "community" and not context.river_m.is_empty:
        # villages sit in valleys: move part of the way toward the nearest river point
        nearest = context.river_m.interpolate(context.river_m.project(Point(xy)))
        xy = xy + rng.uniform(0.2, 0.7) * (np.array(nearest.coords[0]) - xy)
    return xy


def _inside(polygon_lonlat, xy: np.ndarray) -> bool:
    lon, lat = _TO_LONLAT.transform(xy[0], xy[1])
    return bool(shapely.contains_xy(polygon_lonlat, lon, lat))


# ---------------------------------------------------------------- all at once


def build_all(seed: int = DEFAULT_SEED, boundary_path: str | Path | None = None) -> dict:
    """Everything the map needs, from data/geo/ only (or a configured county boundary), in one deterministic call."""
    county = load_county(boundary_path)
    seats = load_township_seats()
    townships = build_township_polygons(county, seats)
    rivers = load_rivers()
    return {
        "county": county,
        "seats": seats,
        "townships": townships,
        "grid_cells": build_grid_cells(townships, seats, N_GRID_CELLS, seed=seed),
        "villages": place_villages(None, townships, seats, rivers, seed=seed),
        "rivers": rivers,
        "neighbours": load_neighbours(),
    }
