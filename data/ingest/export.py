"""CSV out of OneMap (quarantine downloads, any table a user exports) with spreadsheet formula injection
neutralised: a cell that starts with = + - @ (or a tab / carriage return) gets a leading apostrophe, so
Excel/WPS show '=cmd|' /c calc'!A1 as text instead of running it (OWASP "CSV injection")."""
from __future__ import annotations

import pandas as pd

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns neutralised (numbers stay numbers: a negative number is not a formula)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel opens the Chinese text correctly."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")
