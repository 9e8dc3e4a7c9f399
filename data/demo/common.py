"""What every part of the demo build shares: random names and phones, sampling weights, the bulk insert, and
loading a reference layer the way a county loads its own files."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from data.county.layers import LAYERS
from data.county.load import LoadResult, load_frame
from data.demo import catalog as cat

Progress = Callable[[float, str], None]


def random_names(rng: np.random.Generator, n: int) -> np.ndarray:
    sur = rng.choice(cat.SURNAMES, n)
    given = rng.choice(cat.GIVEN, n)
    return np.char.add(sur.astype(str), given.astype(str))


def random_phones(rng: np.random.Generator, n: int) -> np.ndarray:
    prefix = rng.choice(["138", "139", "135", "136", "137", "158", "159", "150", "187", "188", "133", "189"], n)
    body = rng.integers(0, 10**8, n)
    return np.array([f"{p}{b:08d}" for p, b in zip(prefix, body)]) if n else np.array([], dtype=str)


def insert_frame(con, table: str, frame: pd.DataFrame, geom_sql: str = "ST_Point(lon, lat)") -> None:
    """Append a DataFrame, computing geom in DuckDB; columns are matched by name."""
    con.register("frame_to_insert", frame)
    cols = ", ".join(frame.columns)
    geom = f", {geom_sql} AS geom" if geom_sql else ""
    target_cols = cols + (", geom" if geom_sql else "")
    con.execute(f"INSERT INTO {table} ({target_cols}) SELECT {cols}{geom} FROM frame_to_insert")
    con.unregister("frame_to_insert")


def normalised(w) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    return w / w.sum()


def county_table(layer: str, **fields) -> pd.DataFrame:
    """The rows of a layer as a county's file has them: each field under the first header the layer knows it by
    (data/county/layers.py), every value as the file would write it."""
    spec = LAYERS[layer]
    return pd.DataFrame({spec.field(name).headers[0]: values for name, values in fields.items()})


def load_layer(con, layer: str, table: pd.DataFrame, geometry=None, ids=None) -> LoadResult:
    """Load the demo's rows of one layer through data.county.load, the path of a county's own files. Every row
    must be stored and every column mapped; with ids, each code must get its id from the generator (the
    incidents refer to them): the loader numbers new rows after the table's largest id in row order."""
    result = load_frame(con, layer, table, geometry=geometry, file_name=f"demo/{layer}", via="demo")
    unmapped = set(table.columns) - set(result.mapping.values())
    if result.quarantined or result.stored != len(table) or unmapped:
        raise RuntimeError(f"the demo's {layer} did not load cleanly: {result.summary()}, unmapped {unmapped}")
    if ids is not None:
        spec = LAYERS[layer]
        got = dict(con.execute(f"SELECT code, {spec.id_column} FROM {spec.table}").fetchall())
        want = dict(zip(table[spec.field("code").headers[0]], (int(i) for i in ids)))
        if got != want:
            raise RuntimeError(f"the demo's {layer} loaded under other ids than the generator gave them")
    return result


def update_by_code(con, table: str, frame: pd.DataFrame, exprs: dict[str, str] | None = None) -> None:
    """Set the demo's own columns (those a county's files do not carry) on loaded rows, matched by code. exprs:
    column -> SQL over the frame `e` for a column that needs more than the frame's value."""
    exprs = exprs or {}
    plain = [c for c in frame.columns if c != "code" and c not in exprs]
    assignments = [f"{c} = e.{c}" for c in plain] + [f"{c} = {sql}" for c, sql in exprs.items()]
    con.register("demo_extra", frame)
    try:
        con.execute(f"UPDATE {table} SET {', '.join(assignments)} FROM demo_extra e WHERE {table}.code = e.code")
    finally:
        con.unregister("demo_extra")
