"""A county sets OneMap up from its own files: python -m data.county init | load | check (see __main__).

init makes an empty county database (schema, code tables, the boundary); load upserts one layer file
(data/county/load.py); check says what the county still lacks (data/county/check.py). The county's code,
names, seat and extent live in the county table: info() is how the app reads them."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from data import db
from data.clock import now
from data.county import crs as crs_mod
from data.county.load import MappingError
from data.county.read import read


def init(path: str | Path, code: str, name_zh: str, name_en: str | None, boundary: str | Path,
         crs: str | None = None, seat: tuple[float, float] | None = None) -> dict:
    """Create the county database at path (refusing one that already serves a county)."""
    path = Path(path)
    if path.exists():
        con = db.connect(path)
        try:
            db.ensure_section(con, "county")
            row = con.execute("SELECT code, name_zh FROM county").fetchone()
        finally:
            con.close()
        if row:
            raise MappingError("already_initialised", file=str(path), code=row[0], name=row[1])
    source = read(boundary)
    if source.geometry is None:
        raise MappingError("needs_geometry", layer="boundary", found="、".join(source.table.columns))
    geoms = source.geometry[~np.asarray([g is None for g in source.geometry])]
    sample = shapely.get_coordinates(geoms[:50])
    chosen = crs_mod.resolve(source.crs, crs, sample[:, 0], sample[:, 1], source.file_name)
    outline = shapely.make_valid(shapely.union_all(crs_mod.to_wgs84(geoms, chosen)))
    if outline.is_empty or outline.area <= 0:
        raise MappingError("boundary_not_polygon", file=source.file_name)
    seat_point = shapely.Point(seat) if seat else outline.point_on_surface()
    con = db.connect(path)
    try:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchone()[0]:
            db.create_schema(con)
            db.create_indexes(con)
        db.upgrade(con)
        min_lon, min_lat, max_lon, max_lat = outline.bounds
        con.execute("""INSERT INTO county VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ST_GeomFromWKB(?), false, ?)""",
                    [code, name_zh, name_en or name_zh, seat_point.x, seat_point.y, min_lon, min_lat, max_lon,
                     max_lat, shapely.to_wkb(outline), now()])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('build_complete', 'true')")
        db.bump_data_version(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {"path": str(path.resolve()), "code": code, "name_zh": name_zh, "name_en": name_en or name_zh,
            "crs": chosen.label, "bounds": [round(v, 6) for v in (min_lon, min_lat, max_lon, max_lat)]}


def info(con) -> dict | None:
    """The county this database serves: code, name_zh, name_en, seat_lon/lat, min/max lon/lat; None if none."""
    try:
        cur = con.execute("""SELECT code, name_zh, name_en, seat_lon, seat_lat, min_lon, min_lat, max_lon, max_lat,
                             is_demo FROM county""")
    except Exception:  # a database built before the county table existed
        return None
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row))
