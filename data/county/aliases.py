"""The values a county's files may write for a coded field, without a database: the value_aliases rows of
data/schema.sql (the INSERT the database is built from), parsed once. The loader matches against the table in
the database (which a county may extend); the templates and the Administration page list these defaults."""
from __future__ import annotations

import re
from functools import lru_cache

from data import db

_INSERT = re.compile(r"INSERT\s+OR\s+IGNORE\s+INTO\s+value_aliases\s+VALUES(.*?);", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"\(\s*'((?:[^']|'')*)'\s*,\s*'((?:[^']|'')*)'\s*,\s*'((?:[^']|'')*)'\s*\)")
_CODE_LIKE = re.compile(r"^[a-z][a-z0-9_]*$")  # codes and English words (full_time, rain_gauge, online)


@lru_cache(maxsize=1)
def value_aliases() -> dict[str, tuple[tuple[str, str], ...]]:
    """{domain: ((alias, code), ...)} in the order schema.sql lists them."""
    text = db.SCHEMA_SQL.read_text(encoding="utf-8")
    out: dict[str, list[tuple[str, str]]] = {}
    for block in _INSERT.findall(text):
        for domain, alias, code in _ROW.findall(block):
            out.setdefault(domain.replace("''", "'"), []).append((alias.replace("''", "'"), code.replace("''", "'")))
    return {domain: tuple(rows) for domain, rows in out.items()}


def accepted(domain: str, with_codes: bool = False) -> list[list[str]]:
    """The accepted values of a domain grouped by the code they mean (synonyms together, schema order):
    [['大型', '大(1)型', '大(2)型'], ['中型'], ...]. The codes themselves and English words (rain_gauge, online),
    which the loader accepts too, are left out unless with_codes: a Chinese template lists the words counties
    write."""
    groups: dict[str, list[str]] = {}
    for alias, code in value_aliases().get(domain, ()):
        if not with_codes and _CODE_LIKE.match(alias):
            continue
        groups.setdefault(code, []).append(alias)
    return [aliases for aliases in groups.values() if aliases]
