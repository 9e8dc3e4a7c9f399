"""The county the app serves, as pages show it: read from the database's county table (python -m data.county init,
or the demo build), cached on the data version, never from a constant. Its name in the UI language heads every
page and names every document; a database with no county row gets neutral titles."""
from __future__ import annotations

import streamlit as st

import i18n
from ui import database, language


def info() -> dict | None:
    """{code, name_zh, name_en, seat_lon, seat_lat, min_lon, min_lat, max_lon, max_lat, is_demo}, or None when the
    database has no county row (queries/county_info.sql, cached until the data version changes)."""
    row = database.query("county_info")
    return None if row.empty else {k: (v.item() if hasattr(v, "item") else v) for k, v in row.iloc[0].items()}


def name(lang: str | None = None) -> str | None:
    """The county's name in lang (default: the session's), None without a county row."""
    return i18n.county_name(info(), lang or language.lang())


def text(key: str, lang: str | None = None, **values) -> str:
    """The string key with {county} filled in (key_neutral when the database has no county row)."""
    lang = lang or language.lang()
    return i18n.with_county(key, lang, name(lang), **values)


def title(lang: str | None = None) -> str:
    """The app's title naming the county: 峨边彝族自治县应急指挥“一张图” / Ebian ... Emergency One Map."""
    return text("app.title", lang)


def is_demo() -> bool:
    """The demo county (generated data). A demo built before the county table gets its row when the app opens it
    (data/db.py upgrade), so a database without one is not the demo."""
    county = info()
    return bool(county and county.get("is_demo"))


def header(heading: str) -> None:
    """A page's header: the app title naming the county, over the page's own title."""
    st.caption(title())
    st.title(heading)


def not_loaded(layers: list[str] | tuple[str, ...]) -> None:
    """Say plainly which county layers (data/county names: townships, grid_cells, ...) are not loaded yet."""
    if layers:
        names = [language.t(f"county.layer.{layer}") for layer in dict.fromkeys(layers)]
        st.info(language.t("app.not_loaded", layers=language.t("app.list_sep").join(names)))
