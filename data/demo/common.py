"""What every part of the demo build shares: random names and phones, sampling weights, the bulk insert."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

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
