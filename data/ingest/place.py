"""Convert and place stages: WGS84 coordinates, then township, grid cell and village of every valid row.

convert: ing_typed + ing_checked -> ing_pos (row_no, lon, lat); only rows in a non-WGS84 system leave DuckDB
(coords.py).
place: ing_pos, ing_typed, ing_checked, townships, villages, grid_cells and the raster (raster.py) -> ing_hint
(rows without coordinates, placed by the village or township their address names), ing_loc (every located row),
ing_cell / ing_rest / ing_miss (grid cell by raster pixel, then polygon, then nearest cell within the tolerance),
ing_village (nearest village of an exact point), ing_placed (row_no, lon, lat, precision, grid_cell_id,
township_id, village_id); rows outside the county or without any location get their reason in ing_checked.
"""
from __future__ import annotations

import numpy as np

from data import coords

from . import raster


def convert_coordinates(con) -> None:
    """WGS84 lon/lat for every row still valid that has coordinates; only non-WGS84 rows leave DuckDB."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_pos AS
        SELECT t.row_no, t.nx AS lon, t.ny AS lat FROM ing_typed t JOIN ing_checked c USING (row_no)
        WHERE c.reason IS NULL AND t.nx IS NOT NULL AND t.crs_code IN ('wgs84', 'cgcs2000')""")
    todo = con.execute("""
        SELECT t.row_no, t.nx, t.ny, t.crs_code FROM ing_typed t JOIN ing_checked c USING (row_no)
        WHERE c.reason IS NULL AND t.nx IS NOT NULL AND t.crs_code IN ('epsg4549', 'gcj02', 'bd09')""").fetchnumpy()
    if len(todo["row_no"]):
        import pandas as pd
        lon = np.full(len(todo["row_no"]), np.nan)
        lat = np.full(len(todo["row_no"]), np.nan)
        systems = np.asarray(todo["crs_code"]).astype(str)
        for system in np.unique(systems):
            sel = systems == system
            lon[sel], lat[sel] = coords.to_wgs84(np.asarray(todo["nx"])[sel], np.asarray(todo["ny"])[sel], system)
        frame = pd.DataFrame({"row_no": np.asarray(todo["row_no"]), "lon": lon, "lat": lat})
        con.register("ing_converted", frame)
        con.execute("INSERT INTO ing_pos SELECT row_no, lon, lat FROM ing_converted")
        con.unregister("ing_converted")


def place(con, cfg: dict) -> None:
    """Township, grid cell and village of each valid row; approximate placement for rows without coordinates."""
    tol_deg = float(cfg["county_tolerance_m"]) / 111_000.0
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_hint AS
        WITH norow AS (
            SELECT t.row_no, coalesce(t.township, '') AS township, coalesce(t.address, '') AS address
            FROM ing_typed t JOIN ing_checked c USING (row_no) WHERE c.reason IS NULL AND t.nx IS NULL),
        -- Text matching runs once per distinct (township, address), not once per row.
        addr AS (SELECT DISTINCT township, address FROM norow),
        twp AS (
            SELECT a.township, a.address, arg_max(w.township_id, length(w.name)) AS township_id FROM addr a
            JOIN townships w ON w.name = a.township OR contains(a.address, w.name)
                 -- short form without the 街道/镇/乡 suffix ("G235国道黄田段" is in 黄田镇)
                 OR contains(a.address, regexp_replace(w.name, '(街道|镇|乡)$', ''))
            GROUP BY a.township, a.address),
        vil AS (  -- within the township when one is known, else among all villages; the township's own name is
                  -- taken out first (荷地镇东山村 names 东山, not the village 荷地)
            SELECT a.township, a.address, arg_max(v.village_id, length(v.name)) AS village_id FROM addr a
            LEFT JOIN twp USING (township, address)
            LEFT JOIN townships tw ON tw.township_id = twp.township_id
            JOIN villages v ON (twp.township_id IS NULL OR v.township_id = twp.township_id)
                           AND contains(replace(a.address, coalesce(tw.name, ''), ''), v.name)
            GROUP BY a.township, a.address),
        place AS (
            SELECT a.township, a.address, coalesce(twp.township_id, v.township_id) AS township_id, vil.village_id,
                   CASE WHEN vil.village_id IS NOT NULL THEN v.lon ELSE w.seat_lon END AS lon,
                   CASE WHEN vil.village_id IS NOT NULL THEN v.lat ELSE w.seat_lat END AS lat,
                   CASE WHEN vil.village_id IS NOT NULL THEN 'village' ELSE 'township' END AS precision
            FROM addr a LEFT JOIN twp USING (township, address) LEFT JOIN vil USING (township, address)
            LEFT JOIN villages v ON v.village_id = vil.village_id
            LEFT JOIN townships w ON w.township_id = coalesce(twp.township_id, v.township_id))
        SELECT n.row_no, p.township_id, p.village_id, p.lon, p.lat, p.precision
        FROM norow n JOIN place p USING (township, address)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_loc AS
            SELECT row_no, lon, lat, 'exact' AS precision, NULL::SMALLINT AS hint_township,
                   NULL::SMALLINT AS village_id
            FROM ing_pos
            UNION ALL
            SELECT row_no, lon, lat, precision, township_id, village_id FROM ing_hint WHERE lon IS NOT NULL""")
    # Grid cell: most points by their raster pixel (raster.py); the rest by point in polygon against the grid
    # cells (they tile the county; each knows its township). A point on a shared edge matches two cells: the
    # lower id wins.
    x0, y0, step = raster.ensure(con)
    frame = {"x0": x0, "y0": y0, "step": step}
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_cell AS
        SELECT l.row_no, p.grid_cell_id FROM ing_loc l
        JOIN grid_pixels p ON p.pixel = {raster.pixel_sql("l.lon", "l.lat")}""", frame)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_rest AS
        SELECT l.row_no, ST_Point(l.lon, l.lat) AS geom FROM ing_loc l ANTI JOIN ing_cell c USING (row_no)""")
    con.execute("""
        INSERT INTO ing_cell
        SELECT l.row_no, min(g.grid_cell_id) AS grid_cell_id
        FROM ing_rest l JOIN grid_cells g ON ST_Contains(g.geom, l.geom) GROUP BY l.row_no""")
    # Outside every cell: the nearest cell within the tolerance (few rows, so a plain distance join).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_miss AS
        SELECT l.row_no, l.geom FROM ing_rest l ANTI JOIN ing_cell c USING (row_no)""")
    con.execute("""
        INSERT INTO ing_cell
        SELECT l.row_no, arg_min(g.grid_cell_id, ST_Distance(g.geom, l.geom))
        FROM ing_miss l JOIN grid_cells g ON ST_DWithin(g.geom, l.geom, $tol) GROUP BY l.row_no""", {"tol": tol_deg})
    # Village of an exact point: the nearest village of its township, among the pixel's few candidates when the
    # point lies in a raster pixel, else among all the township's villages (about 19).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE ing_village AS
        WITH exact AS (
            SELECT l.row_no, l.lon, l.lat, g.township_id, {raster.pixel_sql("l.lon", "l.lat")} AS pixel
            FROM ing_loc l JOIN ing_cell c USING (row_no) JOIN grid_cells g USING (grid_cell_id)
            WHERE l.precision = 'exact'),
        by_pixel AS (
            SELECT e.row_no, arg_min(v.village_id, (v.lon - e.lon) ^ 2 + (v.lat - e.lat) ^ 2) AS village_id
            FROM exact e JOIN grid_pixel_villages pv ON pv.pixel = e.pixel JOIN villages v USING (village_id)
            GROUP BY e.row_no)
        SELECT * FROM by_pixel
        UNION ALL
        SELECT e.row_no, arg_min(v.village_id, (v.lon - e.lon) ^ 2 + (v.lat - e.lat) ^ 2)
        FROM exact e ANTI JOIN by_pixel b USING (row_no)
        JOIN villages v ON v.township_id = e.township_id GROUP BY e.row_no""", frame)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ing_placed AS
        SELECT l.row_no, l.lon, l.lat, l.precision, c.grid_cell_id,
               coalesce(l.hint_township, g.township_id) AS township_id,
               coalesce(l.village_id, v.village_id) AS village_id
        FROM ing_loc l LEFT JOIN ing_cell c USING (row_no) LEFT JOIN grid_cells g USING (grid_cell_id)
        LEFT JOIN ing_village v USING (row_no)""")
    con.execute("""
        UPDATE ing_checked c SET reason = 'outside_county', field = 'x', bad_value = t.x || ', ' || t.y
        FROM ing_typed t, ing_placed p
        WHERE c.row_no = t.row_no AND c.row_no = p.row_no AND c.reason IS NULL AND p.grid_cell_id IS NULL""")
    con.execute("""
        UPDATE ing_checked c SET reason = 'no_location', field = 'address', bad_value = t.address
        FROM ing_typed t
        WHERE c.row_no = t.row_no AND c.reason IS NULL AND c.row_no NOT IN (SELECT row_no FROM ing_placed)""")

