"""Text as every document and export writes it: data is ordinary text from the source systems, and ordinary text
holds control characters (a NUL, a vertical tab from a copied form) that XML - so DOCX and XLSX - cannot carry, and
descriptions long enough that one table row would not fit on a PDF page."""
from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

# What XML 1.0 forbids (tab, newline and carriage return stay), and the lone surrogates a bad decode leaves.
_ILLEGAL = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"
_ILLEGAL_RE = re.compile(_ILLEGAL)
# A PDF table cell beyond this many characters is cut (the full text stays in the system and its exports).
PDF_CELL_CHARS = 400
ELLIPSIS = "…"


def clean(value):
    """The text without the characters DOCX/XLSX/PDF cannot hold; anything else is returned unchanged."""
    if isinstance(value, str):
        return _ILLEGAL_RE.sub("", value)
    return value


def clip(text: str, limit: int = PDF_CELL_CHARS) -> str:
    text = clean(text)
    return text if len(text) <= limit else text[:limit - 1] + ELLIPSIS


def clean_column(column: pa.Array) -> pa.Array:
    """clean() for an Arrow string column, vectorised (exports stream millions of rows)."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return pc.replace_substring_regex(column, _ILLEGAL.replace("\ud800-\udfff", ""), "")
    return column
