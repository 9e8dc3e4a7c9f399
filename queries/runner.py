"""Run a named SQL file from queries/ with bound parameters. The only place SQL text meets values."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent
FRAGMENT_DIR = QUERY_DIR / "fragments"
_NAME = re.compile(r"^[a-z0-9_]+$")
_INCLUDE = re.compile(r"^[ \t]*-- include: ([a-z0-9_]+)[ \t]*$", re.MULTILINE)


@lru_cache(maxsize=256)
def sql_text(name: str) -> str:
    """The text of queries/<name>.sql; names are plain identifiers so nothing outside queries/ is read."""
    if not _NAME.match(name):
        raise ValueError(f"bad query name: {name!r}")
    path = QUERY_DIR / f"{name}.sql"
    if not path.exists():
        raise FileNotFoundError(f"no query named {name!r} in {QUERY_DIR}")
    return _INCLUDE.sub(_fragment, path.read_text(encoding="utf-8"))


def _fragment(match: re.Match) -> str:
    """A shared block (queries/fragments/<name>.sql) written once and included where a query needs it."""
    path = FRAGMENT_DIR / f"{match.group(1)}.sql"
    if not path.exists():
        raise FileNotFoundError(f"no query fragment named {match.group(1)!r} in {FRAGMENT_DIR}")
    return path.read_text(encoding="utf-8").rstrip("\n")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Execute queries/<name>.sql with $name parameters bound from keyword arguments."""
    return con.execute(sql_text(name), params or None).df()

