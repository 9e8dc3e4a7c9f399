"""UI strings: one folder per language (i18n/zh-CN/, i18n/en/), looked up by dotted key ("nav.one_map").

Each page or area keeps its own TOML file in both folders (common.toml, one_map.toml, ...), so work on one
page never edits another's strings; all files of a language merge into one key space (duplicates raise)."""
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
    merged: dict[str, str] = {}
    for path in sorted((_DIR / lang).glob("*.toml")):
        with path.open("rb") as fh:
            flat = _flatten(tomllib.load(fh))
        clash = merged.keys() & flat.keys()
        if clash:
            raise ValueError(f"{path}: keys defined twice: {sorted(clash)[:5]}")
        merged.update(flat)
    return merged


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The string for key; a missing key raises so gaps show up in tests, not on the wall screen."""
    text = strings(lang)[key]
    return text.format(**values) if values else text


def duration(minutes, lang: str = DEFAULT_LANGUAGE) -> str:
    """A span of minutes as people say it: "19分钟", "2小时5分", "36小时", "5天2小时" (English "19 min", "2 h 5 min",
    "5 d 2 h"); None / NaN: "—". The one duration formatter of the UI, the reports and the exports."""
    if minutes is None or minutes != minutes:  # None or NaN
        return translate("duration.none", lang)
    minutes = max(int(round(float(minutes))), 0)
    days, rest = divmod(minutes, 24 * 60) if minutes >= 48 * 60 else (0, minutes)  # "24小时", "36小时", then days
    hours, mins = divmod(rest, 60)
    if days:
        return translate("duration.days_hours", lang, d=days, h=hours) if hours else \
            translate("duration.days", lang, d=days)
    if hours:
        return translate("duration.hours_minutes", lang, h=hours, m=mins) if mins else \
            translate("duration.hours", lang, h=hours)
    return translate("duration.minutes", lang, m=mins)


def label_column(lang: str, stem: str = "name") -> str:
    """Which of a pair of language columns to show (name_zh / name_en, hazard_zh / hazard_en, ...): the one place
    that chooses."""
    return f"{stem}_en" if lang == "en" else f"{stem}_zh"


def code_names(table, lang: str, key: str = "code") -> dict:
    """{code: name in lang} of a code table's rows (a DataFrame with `key`, name_zh and name_en)."""
    return dict(zip(table[key], table[label_column(lang)]))


def county_name(county: dict | None, lang: str) -> str | None:
    """The county's display name in lang (name_zh / name_en of its county-table row, as data.county.info or
    queries/county_info.sql give it); None when the database has no county row. The one place that chooses."""
    if not county:
        return None
    name = county.get(label_column(lang)) or county.get("name_zh")
    return str(name) if name else None


def with_county(key: str, lang: str, county: str | None, **values) -> str:
    """A string naming the county ({county} in key); with no county known, key_neutral (the same words without
    a county name), so an old database gets a neutral title rather than a wrong one."""
    if county:
        return translate(key, lang, county=county, **values)
    return translate(f"{key}_neutral", lang, **values)
