"""Grid cell and nearest village of many points without a polygon test or a scan of every village each.

A raster of square pixels that lie wholly inside one grid cell (about four points in five fall in one): a point
in such a pixel is in that cell, and its nearest village of the township is one of the pixel's few candidate
villages (those whose nearest possible distance to the pixel is within the farthest distance to the pixel's
closest village). Points in pixels that straddle a cell edge, or outside the raster, take the exact paths
(ST_Contains, all villages of the township). Same answers as those paths, a third of their time at 1 M rows.

The raster (grid_pixels, grid_pixel_villages, grid_pixel_frame) is derived from grid_cells and villages and
rebuilt when their md5 changes."""
from __future__ import annotations

STEP_DEG = 0.001  # ~100 m: ~150 k pixels for the county, ~90 % of them inside one cell

_FINGERPRINT = """
    SELECT md5(coalesce((SELECT string_agg(grid_cell_id::VARCHAR || ':' || township_id || ':' || md5(ST_AsHEXWKB(geom)),
                                           ',' ORDER BY grid_cell_id) FROM grid_cells), '')
               || '|' || coalesce((SELECT string_agg(village_id::VARCHAR || ':' || township_id || ':' || lon
                                                     || ':' || lat, ',' ORDER BY village_id) FROM villages), ''))"""


def ensure(con) -> tuple[float, float, float]:
    """(x0, y0, step) of a current raster, building it when missing or cut from other grid cells."""
    fingerprint = con.execute(_FINGERPRINT).fetchone()[0] or ""
    row = con.execute("SELECT x0, y0, step FROM grid_pixel_frame WHERE grid_fingerprint = $f AND step = $s",
                      {"f": fingerprint, "s": STEP_DEG}).fetchone()
    if row:
        return row
    return build(con, fingerprint)


def build(con, fingerprint: str | None = None) -> tuple[float, float, float]:
    fingerprint = fingerprint or con.execute(_FINGERPRINT).fetchone()[0] or ""
    x0, y0 = con.execute("SELECT coalesce(min(ST_XMin(geom)), 0), coalesce(min(ST_YMin(geom)), 0) "
                         "FROM grid_cells").fetchone()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM grid_pixels")
        con.execute("DELETE FROM grid_pixel_villages")
        con.execute("DELETE FROM grid_pixel_frame")
        # Candidate pixels per cell from the cell's own bounding box; a pixel is kept when the cell contains it
        # whole (cells tile the county, so such a pixel belongs to exactly one cell).
        con.execute("""
            INSERT INTO grid_pixels
            WITH px AS (
                SELECT g.grid_cell_id, g.geom, i, j
                FROM grid_cells g,
                     range(CAST(floor((ST_XMin(g.geom) - $x0) / $step) AS BIGINT),
                           CAST(ceil((ST_XMax(g.geom) - $x0) / $step) AS BIGINT)) r(i),
                     range(CAST(floor((ST_YMin(g.geom) - $y0) / $step) AS BIGINT),
                           CAST(ceil((ST_YMax(g.geom) - $y0) / $step) AS BIGINT)) s(j))
            SELECT i * 1000000 + j, grid_cell_id FROM px
            WHERE ST_Contains(geom, ST_MakeEnvelope($x0 + i * $step, $y0 + j * $step,
                                                   $x0 + (i + 1) * $step, $y0 + (j + 1) * $step))""",
                    {"x0": x0, "y0": y0, "step": STEP_DEG})
        # Squared distances in degrees, the measure the exact path minimises. A village can be nearest to some
        # point of the pixel only if its least distance to the pixel is at most the greatest distance of the
        # village that is nearest in the worst case.
        con.execute("""
            INSERT INTO grid_pixel_villages
            WITH box AS (
                SELECT p.pixel, c.township_id,
                       $x0 + (p.pixel // 1000000) * $step AS xa, $x0 + (p.pixel // 1000000 + 1) * $step AS xb,
                       $y0 + (p.pixel % 1000000) * $step AS ya, $y0 + (p.pixel % 1000000 + 1) * $step AS yb
                FROM grid_pixels p JOIN grid_cells c USING (grid_cell_id)),
            d AS (
                SELECT b.pixel, v.village_id,
                       greatest(b.xa - v.lon, 0, v.lon - b.xb) ^ 2
                       + greatest(b.ya - v.lat, 0, v.lat - b.yb) ^ 2 AS near,
                       greatest(abs(v.lon - b.xa), abs(v.lon - b.xb)) ^ 2
                       + greatest(abs(v.lat - b.ya), abs(v.lat - b.yb)) ^ 2 AS far
                FROM box b JOIN villages v ON v.township_id = b.township_id)
            SELECT pixel, village_id FROM d
            WHERE near <= (SELECT min(far) FROM d AS d2 WHERE d2.pixel = d.pixel)""",
                    {"x0": x0, "y0": y0, "step": STEP_DEG})
        con.execute("INSERT INTO grid_pixel_frame VALUES ($x0, $y0, $step, $f)",
                    {"x0": x0, "y0": y0, "step": STEP_DEG, "f": fingerprint})
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return x0, y0, STEP_DEG


def pixel_sql(lon: str, lat: str) -> str:
    """SQL for the pixel key of a point (parameters $x0, $y0, $step bound by the caller)."""
    return (f"CAST(floor(({lon} - $x0) / $step) AS BIGINT) * 1000000 "
            f"+ CAST(floor(({lat} - $y0) / $step) AS BIGINT)")
