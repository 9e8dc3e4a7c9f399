"""Every page on a county that is not the demo (AppTest, both languages): databases made from the second county
pack (tests/packs/ebian) by python -m data.county's own functions, bare (init with the boundary only: no
townships, grid cells, resources, roster or incidents) and loaded (the whole pack). Each page names the county,
says nothing of the demo county, shows no exception, says which layers are not loaded yet, and its maps open on
the county. A database with no county row (built before the county table) gets neutral titles."""
import json
from pathlib import Path

import pytest
from google.protobuf import text_format

import i18n
from data import accounts, db
from data.county import init, pack
from ui import database
from views import map_view

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "tests" / "packs" / "ebian"
COUNTY = json.loads((PACK / "pack.json").read_text(encoding="utf-8"))["county"]
# Each page as the first role that may open it (data/roles.py).
PAGES = {"one_map": "commander", "resources": "commander", "risk": "commander", "analysis": "commander",
         "duty_desk": "commander", "daily_report": "commander", "data_import": "duty_officer", "admin": "admin"}
MAP_PAGES = ("one_map", "resources", "risk")  # Analysis draws its map once the county has incidents
DEMO_WORDS = ("庆元", "Qingyuan")
PASSWORD = "county-pages-test-2026"


@pytest.fixture(scope="module")
def county_dbs(tmp_path_factory, demo_db_path):
    """{"bare": path, "loaded": path}; demo_db_path first, so the session's ONEMAP_DB is set before tests move it."""
    folder = tmp_path_factory.mktemp("county_pages")
    bare = folder / "bare.duckdb"
    init(bare, COUNTY["code"], COUNTY["name_zh"], COUNTY.get("name_en"), PACK / COUNTY["boundary"])
    loaded = folder / "loaded.duckdb"
    pack.build(PACK, loaded)
    return {"bare": bare, "loaded": loaded}


@pytest.fixture()
def on_db(monkeypatch):
    """Point the app (ONEMAP_DB) at a database for one test; its cached query results go with it."""
    import streamlit as st

    def use(path: Path) -> None:
        monkeypatch.setenv("ONEMAP_DB", str(path))
        st.cache_data.clear()  # query results are keyed on the data version, not on the file

    yield use
    st.cache_data.clear()


def _sign_in(at, role: str) -> None:
    """A real session of an account of this role in the database the app now points at (no demo accounts there)."""
    from ui import auth
    con = database.cursor()
    username = f"pages_{role}"
    try:
        accounts.create_user(con, username, PASSWORD, role)
    except accounts.AccountError:
        pass  # made by an earlier test
    at.session_state[auth.SESSION_KEY] = accounts.start_session(con, accounts.authenticate(con, username, PASSWORD))


def _run(app_test, page: str, lang: str, role: str | None = None, **params):
    at = app_test(f"pages/{page}.py", role=None, lang=lang, **params)
    at.session_state["lang"] = lang
    if role != "wall":
        _sign_in(at, role or PAGES[page])
    return at.run()


def _text(at) -> str:
    """Everything the page sent, as text: every element's message (titles, captions, tables, map JSON, ...)."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(text_format.MessageToString(proto, as_utf8=True))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def _decks(at) -> list[dict]:
    return [json.loads(chart.proto.json) for chart in at.get("deck_gl_json_chart")]


def _bounds() -> tuple[float, float, float, float]:
    row = database.cursor().execute("SELECT min_lon, min_lat, max_lon, max_lat FROM county").fetchone()
    return tuple(row)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("which", ["bare", "loaded"])
def test_every_page_names_the_county_it_shows(app_test, county_dbs, on_db, which, page, lang):
    on_db(county_dbs[which])
    at = _run(app_test, page, lang)
    assert not at.exception, [e.value for e in at.exception]
    name = COUNTY["name_zh"] if lang == "zh-CN" else COUNTY["name_en"]
    assert at.caption[0].value == i18n.translate("app.title", lang, county=name), "the header names the county"
    text = _text(at)
    assert not [word for word in DEMO_WORDS if word in text], "nothing of the demo county"
    decks = _decks(at)
    assert decks or page not in MAP_PAGES, "the page draws its map"
    if decks:
        west, south, east, north = _bounds()
        for deck in decks:
            view = deck["initialViewState"]
            assert west < view["longitude"] < east and south < view["latitude"] < north, view


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_bare_county_says_which_layers_are_not_loaded_yet(app_test, county_dbs, on_db, lang):
    on_db(county_dbs["bare"])
    infos = {page: " ".join(i.value for i in _run(app_test, page, lang).info) for page in ("one_map", "resources",
                                                                                          "risk")}
    t = lambda key, **kw: i18n.translate(key, lang, **kw)  # noqa: E731
    missing = i18n.strings(lang)["app.not_loaded"].split("{")[0]  # the sentence's start, in the page's language
    assert missing and all(missing in text for text in infos.values()), infos
    for layer in ("townships", "grid_cells", "reservoirs", "rescue_teams", "shelters"):
        assert t(f"county.layer.{layer}") in infos["one_map"]
    assert t("county.layer.grid_cells") in infos["risk"]
    # the loaded county has them all: no such sentence on its One Map
    on_db(county_dbs["loaded"])
    assert not [i.value for i in _run(app_test, "one_map", lang).info if missing in i.value]


def test_loaded_county_draws_its_layers_and_the_demo_note_is_gone(app_test, county_dbs, on_db):
    on_db(county_dbs["loaded"])
    at = _run(app_test, "one_map", "zh-CN")
    ids = {layer["id"] for layer in _decks(at)[0]["layers"]}
    assert {"county", "townships", "township_labels", "grid_cells", "roads", "reservoirs", "rescue_teams",
            "shelters"} <= ids
    roads = next(layer for layer in _decks(at)[0]["layers"] if layer["id"] == "roads")
    national = [f for f in roads["data"]["features"] if f["properties"]["width"] == 3.0]
    assert national and national[0]["properties"]["colour"][:3] == [0xE8, 0xC3, 0x6A], "国道 drawn widest, in gold"
    assert "rivers" not in ids, "the pack has no rivers: none drawn, and no file of the demo's"
    assert i18n.translate("one_map.estimated_note") not in [c.value for c in at.caption]


@pytest.mark.parametrize("which", ["bare", "loaded"])
def test_wall_screen_opens_on_the_county(app_test, county_dbs, on_db, which):
    on_db(county_dbs[which])
    token = accounts.create_wall_token(database.cursor(), f"wall {which}", "test")
    at = _run(app_test, "one_map", "zh-CN", role="wall", screen="wall", token=token)
    assert not at.exception, [e.value for e in at.exception]
    assert at.caption[0].value == i18n.translate("app.title", county=COUNTY["name_zh"])
    view = _decks(at)[0]["initialViewState"]
    west, south, east, north = _bounds()
    assert west < view["longitude"] < east and south < view["latitude"] < north
    assert view["zoom"] == pytest.approx(map_view.fit_zoom(_bounds(), *map_view.WALL_MAP))


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_sign_in_page_names_the_county(app_test, county_dbs, on_db, lang):
    on_db(county_dbs["bare"])
    at = app_test("app.py", role=None, lang=lang)
    at.session_state["lang"] = lang
    at.run()
    name = COUNTY["name_zh"] if lang == "zh-CN" else COUNTY["name_en"]
    assert at.title[0].value == i18n.translate("auth.sign_in_title", lang,
                                               title=i18n.translate("app.title", lang, county=name))


def test_database_without_a_county_row_gets_neutral_titles(app_test, tmp_path, on_db):
    """A database made before the county table (schema only here: no county row, nothing loaded) names no county
    and its maps open on the whole country."""
    path = tmp_path / "no_county.duckdb"
    con = db.connect(path)
    db.create_schema(con)
    con.close()
    on_db(path)
    at = _run(app_test, "one_map", "en", role="commander")
    assert not at.exception, [e.value for e in at.exception]
    assert at.caption[0].value == i18n.translate("app.title_neutral", "en") == "Emergency One Map"
    view = _decks(at)[0]["initialViewState"]
    assert (view["longitude"], view["latitude"], view["zoom"]) == map_view.CHINA_VIEW
    signed_out = app_test("app.py", role=None).run()
    assert signed_out.title[0].value == i18n.translate("auth.sign_in_title",
                                                       title=i18n.translate("app.title_neutral"))


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_resources_show_the_county_warehouses_and_what_they_hold(app_test, county_dbs, on_db, lang):
    on_db(county_dbs["loaded"])
    at = _run(app_test, "resources", lang)
    assert not at.exception
    ids = {layer["id"] for deck in _decks(at) for layer in deck["layers"]}
    assert "warehouses" in ids
    con = database.cursor()
    items = {r[0] for r in con.execute("SELECT DISTINCT item FROM stock").fetchall()}
    tables = [df.value for df in at.dataframe]
    item_column = i18n.translate("resources.col.item", lang)
    shown = next(frame for frame in tables if item_column in frame.columns)
    assert set(shown[item_column]) == items
    total = con.execute("SELECT sum(quantity) FROM stock").fetchone()[0]
    assert shown[i18n.translate("resources.col.quantity", lang)].sum() == pytest.approx(total)
