"""The grid-cell raster (data/ingest/raster.py) gives the same cell as the polygon test and the same nearest
village as a scan of the township's villages for every point it answers, answers most points, and is rebuilt
when the grid cells or villages change."""
from __future__ import annotations

import numpy as np
import pytest

from data import db
from data.ingest import raster


@pytest.fixture()
def wcon(db_copy):
    connection = db.connect(db_copy("raster"))
    db.ensure_section(connection, "ingest")
    yield connection
    connection.close()


def _random_points(cur, n: int, seed: int = 7):
    x0, x1, y0, y1 = cur.execute("SELECT min(ST_XMin(geom)), max(ST_XMax(geom)), min(ST_YMin(geom)), "
                                 "max(ST_YMax(geom)) FROM grid_cells").fetchone()
    rng = np.random.default_rng(seed)
    cur.execute("CREATE OR REPLACE TEMP TABLE pts AS SELECT unnest($lon) AS lon, unnest($lat) AS lat",
                {"lon": rng.uniform(x0, x1, n).tolist(), "lat": rng.uniform(y0, y1, n).tolist()})


def test_raster_cells_agree_with_the_polygon_test(wcon):
    frame = dict(zip(("x0", "y0", "step"), raster.ensure(wcon)))
    _random_points(wcon, 20_000)
    answered, agree, inside = wcon.execute(f"""
        WITH by_pixel AS (SELECT p.lon, p.lat, g.grid_cell_id AS cell FROM pts p
                          JOIN grid_pixels g ON g.pixel = {raster.pixel_sql("p.lon", "p.lat")}),
             by_polygon AS (SELECT p.lon, p.lat, min(c.grid_cell_id) AS cell FROM pts p
                            JOIN grid_cells c ON ST_Contains(c.geom, ST_Point(p.lon, p.lat)) GROUP BY ALL)
        SELECT (SELECT count(*) FROM by_pixel),
               (SELECT count(*) FROM by_pixel JOIN by_polygon USING (lon, lat) WHERE by_pixel.cell = by_polygon.cell),
               (SELECT count(*) FROM by_polygon)""", frame).fetchone()
    assert answered == agree                 # never a different cell than the polygon test
    assert answered > 0.75 * inside          # and most points need no polygon test


def test_pixel_village_candidates_hold_the_nearest_village(wcon):
    frame = dict(zip(("x0", "y0", "step"), raster.ensure(wcon)))
    _random_points(wcon, 20_000, seed=11)
    answered, agree, fewer = wcon.execute(f"""
        WITH p AS (SELECT lon, lat, {raster.pixel_sql("lon", "lat")} AS pixel FROM pts),
        inside AS (SELECT p.*, c.township_id FROM p JOIN grid_pixels g USING (pixel)
                   JOIN grid_cells c USING (grid_cell_id)),
        by_candidates AS (SELECT i.lon, i.lat, arg_min(v.village_id, (v.lon - i.lon) ^ 2 + (v.lat - i.lat) ^ 2) AS v,
                                 count(*) AS n
                          FROM inside i JOIN grid_pixel_villages pv USING (pixel) JOIN villages v USING (village_id)
                          GROUP BY ALL),
        by_scan AS (SELECT i.lon, i.lat, arg_min(v.village_id, (v.lon - i.lon) ^ 2 + (v.lat - i.lat) ^ 2) AS v,
                           count(*) AS n
                    FROM inside i JOIN villages v USING (township_id) GROUP BY ALL)
        SELECT count(*), sum((c.v = s.v)::INT), sum((c.n < s.n)::INT)
        FROM by_candidates c JOIN by_scan s USING (lon, lat)""", frame).fetchone()
    assert answered > 10_000
    assert agree == answered                 # the candidates always hold the nearest village
    assert fewer > 0.9 * answered            # and are far fewer than the township's villages


def test_raster_is_reused_then_rebuilt_when_the_grid_changes(memory_db):
    mem = memory_db
    mem.execute("""INSERT INTO townships (township_id, code, name, kind, pinyin, population, population_estimated,
                   seat_lon, seat_lat, seat_estimated, seat, boundary_approx, geom)
                   VALUES (1, '001', '测试镇', '镇', 'ceshi', 1000, false, 119.005, 27.5, false,
                   ST_Point(119.005, 27.5), true, ST_MakeEnvelope(119.0, 27.49, 119.01, 27.51))""")
    mem.execute("""INSERT INTO grid_cells (grid_cell_id, code, township_id, name, population, geom) VALUES
                   (1, '001-001', 1, '西格', 10, ST_MakeEnvelope(119.0, 27.49, 119.005, 27.51)),
                   (2, '001-002', 1, '东格', 10, ST_MakeEnvelope(119.005, 27.49, 119.01, 27.51))""")
    first = raster.ensure(mem)
    counts = dict(mem.execute("SELECT grid_cell_id, count(*) FROM grid_pixels GROUP BY 1").fetchall())
    assert counts[1] > 0 and counts[2] > 0 and raster.ensure(mem) == first
    # The western cell shrinks to half its width: the raster no longer matches the grid and is cut again.
    mem.execute("UPDATE grid_cells SET geom = ST_MakeEnvelope(119.0, 27.49, 119.0025, 27.51) WHERE grid_cell_id = 1")
    raster.ensure(mem)
    after = dict(mem.execute("SELECT grid_cell_id, count(*) FROM grid_pixels GROUP BY 1").fetchall())
    assert 0 < after[1] < counts[1] and after[2] == counts[2]
    # A village added to the township: the candidates are cut again and include it near its position.
    assert mem.execute("SELECT count(*) FROM grid_pixel_villages").fetchone()[0] == 0  # no villages yet
    mem.execute("""INSERT INTO villages (village_id, code, township_id, name, kind, population, lon, lat,
                   location_estimated, geom) VALUES (1, 'V1', 1, '东村', 'village', 100, 119.008, 27.5, false,
                   ST_Point(119.008, 27.5))""")
    raster.ensure(mem)
    assert mem.execute("SELECT count(DISTINCT pixel) FROM grid_pixel_villages WHERE village_id = 1").fetchone()[0] \
        == mem.execute("SELECT count(*) FROM grid_pixels").fetchone()[0]


def test_demo_database_ships_a_current_raster(con):  # noqa: F811  (the app's shared connection, imported above)
    fingerprint = con.execute(raster._FINGERPRINT).fetchone()[0]
    assert con.execute("SELECT grid_fingerprint FROM grid_pixel_frame").fetchone()[0] == fingerprint
    assert con.execute("SELECT count(*) FROM grid_pixel_villages").fetchone()[0] > 0
