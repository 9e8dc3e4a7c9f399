"""UI strings: one TOML file per language, looked up by dotted key ("nav.one_map")."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LANGUAGES = {"zh-CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh-CN"
_DIR = Path(__file__).resolve().parent


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@lru_cache(maxsize=len(LANGUAGES))
def strings(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    with (_DIR / f"{lang}.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The string for key; a missing key raises so gaps show up in tests, not on the wall screen."""
    text = strings(lang)[key]
    return text.format(**values) if values else text


def label_column(lang: str) -> str:
    """Which name column of a code table to show: name_zh or name_en."""
    return "name_en" if lang == "en" else "name_zh"
