"""One Map page under AppTest: both languages, wall mode, the side panel, bad input."""
import json

import pytest

import i18n
import settings
from queries import runner
from views import map_view

PAGE = "pages/one_map.py"


def _run(app_test, lang="zh-CN", role="default", **params):
    at = app_test(PAGE, role=role, lang=lang, **params)
    at.session_state["lang"] = lang
    return at.run()


def _deck(at) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert charts, "the page draws a map"
    return json.loads(charts[0].proto.json)


def _app_cursor():
    """The app's own connection (AppTest runs in this process, and DuckDB refuses a second, read-only
    connection to a file this process already holds read-write)."""
    from ui import database
    return database.cursor()


def _html(at) -> str:
    return "".join(el.proto.body for el in at.get("html"))


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_page_renders_map_kpis_and_legend_in_the_language(app_test, lang):
    at = _run(app_test, lang)
    assert not at.exception, at.exception
    assert at.title[0].value == i18n.translate("one_map.heading", lang)
    deck = _deck(at)
    ids = {layer["id"] for layer in deck["layers"]}
    assert {"county", "townships", "township_labels", "grid_cells", "reservoirs", "rescue_teams", "shelters"} <= ids
    assert "incidents" in ids or "incident_cells" in ids
    assert deck.get("mapStyle") in (None, "", "__MAP_STYLE__") or "http" not in str(deck.get("mapStyle"))
    html = _html(at)
    for key in ("one_map.kpi.open", "one_map.kpi.overdue", "one_map.kpi.cameras_offline", "one_map.kpi.callback",
                "one_map.legend.hazards"):
        assert i18n.translate(key, lang) in html
    other = "en" if lang == "zh-CN" else "zh-CN"
    assert i18n.translate("one_map.kpi.overdue", other) not in html
    # tooltips are in the UI language too
    tips = [row["tip"] for layer in deck["layers"] if layer["id"] == "incidents" for row in layer["data"]]
    statuses = {"zh-CN": "已", "en": " · "}[lang]
    assert tips and all(statuses in tip for tip in tips)


def test_map_json_never_carries_caller_data(app_test):
    at = _run(app_test)
    con = _app_cursor()
    text = at.get("deck_gl_json_chart")[0].proto.json
    phones = [r[0] for r in con.execute("SELECT caller_phone FROM incidents WHERE caller_phone IS NOT NULL "
                                        "ORDER BY received_at DESC LIMIT 50").fetchall()]
    assert phones and not any(p in text for p in phones)
    assert len(text.encode()) < 2_000_000


def test_wall_mode_hides_chrome_and_sidebar_filters(app_test):
    at = _run(app_test, role="wall", screen="wall")
    assert not at.exception, at.exception
    assert 'data-testid="stSidebar"' in _html(at) or "stSidebar" in _html(at)
    assert not at.sidebar.radio, "no filter widgets on the wall screen"
    # the wall's own zoom: [wall] zoom when set, else the county fitted to the wall's map
    fetch = lambda name, **params: runner.run(_app_cursor(), name, **params)  # noqa: E731
    cfg = settings.load()
    wall_zoom = map_view.view_of(map_view.county_extent(fetch), cfg["map"], map_view.WALL_MAP, cfg["wall"]["zoom"])[2]
    assert _deck(at)["initialViewState"]["zoom"] == pytest.approx(wall_zoom)
    assert wall_zoom > map_view.view_of(map_view.county_extent(fetch), cfg["map"], map_view.DESK_MAP)[2]
    assert "onemap-wall-list" in _html(at), "the wall lists the incidents (nobody clicks a wall)"


def test_wall_is_readable_across_a_room_and_untouchable(app_test):
    """Issue 17 item 6: a clock and the data time at the top, labels and legend >= 20 px in the CSS the wall
    emits, no widget to touch and no incident details (a long-lived wall link opens no personal data)."""
    import re

    from data import clock
    from ui import wall
    at = _run(app_test, role="wall", screen="wall")
    assert not at.exception, at.exception
    assert not at.selectbox and not at.button and not at.text_input, "nothing to touch on a wall"
    assert not at.dataframe, "the wall's list is plain large text, not a grid to scroll"
    html = _html(at)
    tr = lambda key, **v: i18n.translate(key, "zh-CN", **v)  # noqa: E731
    assert tr("one_map.detail.timeline") not in html + "".join(m.value for m in at.markdown)
    # the clock (the app's clock, China time) and the data time come before the KPI strip
    now = clock.now()
    top = html.index("onemap-wall-top")
    assert top < html.index('class="onemap-kpis"')
    assert f'data-testid="onemap-wall-clock">{now:%H:%M}<' in html
    assert tr("one_map.wall_clock") in html and "onemap-wall-asof" in html
    assert tr("one_map.wall_list") in html, "the list's title says its order"
    # font sizes the wall's CSS sets: KPI labels, legend, list, data time all >= 20 px
    css = wall.wall_css()
    for selector in (".onemap-kpi .k", ".onemap-legend,", ".onemap-wall-list {", ".onemap-wall-top .day"):
        rule = css[css.index(selector):].split("}")[0]
        size = int(re.search(r"font-size: (\d+)px", rule).group(1))
        assert size >= 20, (selector, size)
    assert css.strip() in html, "the wall page emits that CSS"


def test_normal_mode_keeps_the_sidebar_filters(app_test):
    at = _run(app_test)
    assert "stSidebar\"]" not in _html(at).split("onemap-kpis")[0] or not any(
        "display: none" in h.proto.body and "stSidebar" in h.proto.body for h in at.get("html"))
    assert at.sidebar.radio, "window choice in the sidebar"


def test_picking_an_incident_opens_details_and_nearby_resources(app_test):
    at = _run(app_test, lang="en")
    box = at.selectbox(key="om_pick")
    assert box.options, "the latest incidents are listed"
    assert box.value is None, "nothing is picked until the user picks"
    first = next(row["i"] for layer in _deck(at)["layers"] if layer["id"] == "incidents" for row in layer["data"])
    box.set_value(first).run()
    assert not at.exception, at.exception
    assert at.subheader, "the detail panel has a heading"
    frames = at.dataframe
    assert len(frames) >= 3, "teams, shelters, cameras/similar tables"
    teams = frames[0].value
    assert len(teams) == 5
    assert i18n.translate("one_map.detail.distance_km", "en") in teams.columns
    assert teams[i18n.translate("one_map.detail.distance_km", "en")].is_monotonic_increasing


def test_bad_window_parameter_gets_a_clear_message(app_test):
    at = _run(app_test, lang="en", window="2 weeks")
    assert not at.exception
    assert any("2 weeks" in w.value for w in at.warning)
    assert at.warning[0].value == i18n.translate("one_map.bad_window", "en", value="2 weeks")


def test_wall_layers_from_the_url_and_unknown_names_explained(app_test):
    at = _run(app_test, lang="en", role="wall", screen="wall", layers="incidents,alarms,volcanoes")
    assert not at.exception, at.exception
    ids = {layer["id"] for layer in _deck(at)["layers"]}
    assert "rescue_teams" not in ids and "shelters" not in ids and "grid_cells" not in ids
    assert "county" in ids and ("incidents" in ids or "incident_cells" in ids)
    assert any("volcanoes" in w.value for w in at.warning)


def test_live_feed_is_off_by_default_and_switched_by_env(monkeypatch):
    from ui import live_feed
    monkeypatch.delenv(live_feed.ENV, raising=False)
    assert not live_feed.enabled(), "off by default (and so in every other test)"
    monkeypatch.setenv(live_feed.ENV, "1")
    assert live_feed.enabled()
    monkeypatch.setenv(live_feed.ENV, "0")
    assert not live_feed.enabled()


def test_live_feed_tick_inserts_consistent_rows_and_bumps_the_version(db_copy):
    """On a copy of the test database (the feed writes)."""
    import random

    from data import db
    from ui import live_feed
    con = db.connect(db_copy("live"))
    try:
        before = con.execute("SELECT count(*), max(incident_id) FROM incidents").fetchone()
        version = db.data_version(con)
        rng = random.Random(3)
        used = {live_feed.tick(con, rng) for _ in range(8)}
        assert used == {"onemap_live_incident", "onemap_live_alarm"}, "both incidents and alarms arrive"
        after = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
        assert after == before[0] + 8
        assert db.data_version(con) == version + 8
        new = con.execute("SELECT * FROM incidents WHERE incident_id > ?", [before[1]]).df()
        assert len(new) == 8 and new["status"].eq("received").all()
        assert new["lon"].between(118.83, 119.50).all() and new["lat"].between(27.42, 27.86).all()
        assert new["grid_cell_id"].notna().mean() >= 0.75
        county = con.execute("SELECT name_zh FROM county").fetchone()[0]
        addresses = new.loc[~new["channel"].isin(["iot_sensor", "ai_video"]), "address"]  # alarms: the device
        assert len(addresses) and addresses.str.startswith(county).all(), "the county's name from its table"
        alarms = new[new["channel"].isin(["iot_sensor", "ai_video"])]
        assert alarms["device_id"].notna().all()
    finally:
        con.close()


def test_the_picked_incident_is_ringed_on_the_map(app_test):
    at = _run(app_test)
    assert "selected_incident" not in {layer["id"] for layer in _deck(at)["layers"]}
    first = next(row for layer in _deck(at)["layers"] if layer["id"] == "incidents" for row in layer["data"])
    at.selectbox(key="om_pick").set_value(first["i"]).run()
    ring = next(layer for layer in _deck(at)["layers"] if layer["id"] == "selected_incident")
    assert ring["data"][0]["x"] == pytest.approx(first["x"], abs=1e-4)
    assert ring["data"][0]["y"] == pytest.approx(first["y"], abs=1e-4)


def _detail_panel(incident_id: int):
    from data.clock import now_cst
    from ui import one_map_detail
    one_map_detail.show(incident_id, now_cst())


def test_a_linked_report_lists_the_other_channels_reports_of_its_event(demo_db_path):
    """A report the import linked with other channels' reports of one event: its side panel names the event's
    report count and channels and lists every report; an unlinked incident's panel has no such section."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    cur = _app_cursor()
    linked, count = cur.execute("""SELECT i.incident_id, e.report_count FROM incidents i JOIN events e USING (event_id)
                                   ORDER BY i.received_at DESC LIMIT 1""").fetchone()
    unlinked = cur.execute("SELECT max(incident_id) FROM incidents WHERE event_id IS NULL").fetchone()[0]
    heading = i18n.translate("one_map.detail.event", "zh-CN")
    st.cache_data.clear()
    at = AppTest.from_function(_detail_panel, args=(linked,), default_timeout=60)
    at.session_state["lang"] = "zh-CN"
    at.run()
    assert not at.exception, "\n".join(at.exception[0].stack_trace)
    text = " ".join(m.value for m in at.markdown)
    assert heading in text and f"{count} 条报告" in text
    table = next(f.value for f in at.dataframe
                 if i18n.translate("one_map.detail.source_ref", "zh-CN") in f.value.columns)
    assert len(table) == count
    assert (table[i18n.translate("one_map.detail.this_report", "zh-CN")] == "●").sum() == 1
    assert table[i18n.translate("one_map.detail.channel", "zh-CN")].nunique() >= 2
    at = AppTest.from_function(_detail_panel, args=(unlinked,), default_timeout=60)
    at.session_state["lang"] = "zh-CN"
    at.run()
    assert not at.exception, at.exception
    assert at.subheader and heading not in " ".join(m.value for m in at.markdown)


def _caller_incident() -> tuple[int, str, str]:
    """The latest incident with a caller name and phone (the same on any run: the suite lives at TEST_NOW)."""
    return _app_cursor().execute("""SELECT incident_id, caller_name, caller_phone FROM incidents
                                    WHERE caller_name IS NOT NULL AND caller_phone IS NOT NULL
                                    ORDER BY received_at DESC, incident_id LIMIT 1""").fetchone()


def _picked(app_test, role: str, incident_id: int):
    at = app_test(PAGE, role=role, lang="zh-CN")
    at.session_state["lang"] = "zh-CN"
    at.session_state["om_pick"] = incident_id
    at.run()
    assert not at.exception, at.exception
    return at


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_a_duty_officer_reveals_the_caller_for_a_callback_with_a_reason(app_test):
    """Masked until asked; no reason, no reveal; with a reason the full name and phone show next to the masks
    for this incident in this session, and one audit row (reveal_caller, the incident, the reason) is written."""
    from data import accounts, privacy
    incident_id, name, phone = _caller_incident()
    at = _picked(app_test, "duty_officer", incident_id)
    assert privacy.mask_phone(phone) in _markdown(at) and phone not in _markdown(at)
    reason_box = at.text_input(key=f"om_reveal_reason_{incident_id}")
    assert reason_box.label == i18n.translate("one_map.reveal.reason", "zh-CN")
    at.button(key=f"om_reveal_submit_{incident_id}").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [i18n.translate("one_map.reveal.error.reason", "zh-CN")]
    assert phone not in _markdown(at)

    reason = f"回访核实现场 {incident_id}"
    at.text_input(key=f"om_reveal_reason_{incident_id}").input(reason)
    at.button(key=f"om_reveal_submit_{incident_id}").click().run()
    assert not at.exception, at.exception
    text = _markdown(at)
    caller_line = next(line for line in text.splitlines() if i18n.translate("one_map.detail.caller", "zh-CN") in line)
    assert privacy.mask_phone(phone) in caller_line and phone in caller_line and name in caller_line
    assert i18n.translate("one_map.reveal.shown", "zh-CN") in caller_line
    cur = _app_cursor()
    rows = cur.execute("SELECT username, role, incident_id FROM audit_log WHERE action = 'reveal_caller' "
                       "AND detail = ?", [reason]).fetchall()
    assert rows == [("duty", "duty_officer", incident_id)]
    assert accounts.verify_audit_chain(cur) is None

    at.run()  # a rerun of the session keeps the reveal, without a second audit row
    assert phone in _markdown(at)
    assert not [w for w in at.text_input if w.key.startswith("om_reveal_reason_")], "revealed: no form any more"
    assert cur.execute("SELECT count(*) FROM audit_log WHERE detail = ?", [reason]).fetchone()[0] == 1
    other = cur.execute("""SELECT incident_id, caller_phone FROM incidents WHERE caller_phone IS NOT NULL
                           AND incident_id <> ? ORDER BY received_at DESC LIMIT 1""", [incident_id]).fetchone()
    at.session_state["om_pick"] = other[0]
    at.run()
    assert other[1] not in _markdown(at), "the reveal was for one incident only"
    fresh = _picked(app_test, "duty_officer", incident_id)
    assert phone not in _markdown(fresh), "a new session starts masked"


def test_an_analyst_sees_only_masks_and_no_reveal_control(app_test):
    from data import privacy
    incident_id, name, phone = _caller_incident()
    at = _picked(app_test, "analyst", incident_id)
    text = _markdown(at)
    assert privacy.mask_phone(phone) in text and privacy.mask_name(name) in text
    assert phone not in text
    assert not [w for w in at.text_input if (w.key or "").startswith("om_reveal_")]
    assert not [b for b in at.button if (b.key or "").startswith("om_reveal_")]
    assert i18n.translate("one_map.reveal.open", "zh-CN") not in [e.label for e in at.expander]


def _pick_on_map(at, layer_id: str, obj: dict):
    """What the browser sends when an object of the deck is clicked (single-object selection)."""
    index = next(i for layer in _deck(at)["layers"] if layer["id"] == layer_id
                 for i, row in enumerate(layer["data"]) if row == obj)
    at.session_state["one_map_deck"] = {"selection": {"indices": {layer_id: [index]}, "objects": {layer_id: [obj]}}}
    return at.run()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_reservoir_picked_on_the_map_shows_its_levels_and_latest_reading(app_test, lang):
    """Clicking a reservoir used to dim the map and show nothing: its panel names it, its latest level against
    the limit that applies now (汛限水位 in the flood season, 正常蓄水位 outside it), and its characteristic levels."""
    at = _run(app_test, lang=lang)
    con = _app_cursor()
    reservoir = next(row for layer in _deck(at)["layers"] if layer["id"] == "reservoirs" for row in layer["data"])
    name, level, flood_limit, normal = con.execute(
        """SELECT r.name, (SELECT arg_max(level_m, observed_at) FROM reservoir_readings x
                           WHERE x.reservoir_id = r.reservoir_id AND observed_at <= ?),
                  flood_limit_level_m, normal_level_m FROM reservoirs r WHERE reservoir_id = ?""",
        [__import__("data.clock", fromlist=["now_cst"]).now_cst(), reservoir["reservoir_id"]]).fetchone()
    at = _pick_on_map(at, "reservoirs", reservoir)
    assert not at.exception, at.exception
    assert any(name in h.value for h in at.subheader), [h.value for h in at.subheader]
    assert any(i18n.translate("one_map.resource.reservoir", lang) in h.value for h in at.subheader)
    text = " ".join(m.value for m in at.markdown)
    assert f"{level:.2f}" in text, "the latest reading"
    assert i18n.translate("one_map.resource.limit_now", lang) in text
    levels = next(f.value for f in at.dataframe if i18n.translate("one_map.resource.level_m", lang) in f.value.columns)
    shown = dict(zip(levels.iloc[:, 0], levels.iloc[:, 1]))
    assert shown[i18n.translate("one_map.resource.flood_limit", lang)] == f"{flood_limit:.2f}"
    assert shown[i18n.translate("one_map.resource.normal_level", lang)] == f"{normal:.2f}"


@pytest.mark.parametrize(("layer_id", "key", "kind"), [("rescue_teams", "team_id", "team"),
                                                        ("shelters", "shelter_id", "shelter"),
                                                        ("cameras", "camera_id", "camera")])
def test_every_pickable_resource_opens_its_details(app_test, layer_id, key, kind):
    at = _run(app_test)
    if layer_id == "cameras":  # off by default
        at.multiselect(key="om_layers").set_value(["incidents", "cameras"]).run()
    obj = next(row for layer in _deck(at)["layers"] if layer["id"] == layer_id for row in layer["data"])
    at = _pick_on_map(at, layer_id, obj)
    assert not at.exception, at.exception
    table = {"team": "rescue_teams", "shelter": "shelters", "camera": "cameras"}[kind]
    name = _app_cursor().execute(f"SELECT name FROM {table} WHERE {key} = ?", [obj[key]]).fetchone()[0]
    assert any(i18n.translate(f"one_map.resource.{kind}") in h.value and name in h.value for h in at.subheader)
    # choosing an incident in the list replaces the resource in the panel
    first = next(row["i"] for layer in _deck(at)["layers"] if layer["id"] == "incidents" for row in layer["data"])
    at.selectbox(key="om_pick").set_value(first).run()
    assert not any(i18n.translate(f"one_map.resource.{kind}") in h.value for h in at.subheader)


def test_the_desk_map_has_zoom_controls_no_wheel_zoom_and_a_scale_bar(app_test):
    deck = _deck(_run(app_test))
    controller = deck["views"][0]["controller"]
    assert controller["scrollZoom"] is False and controller["doubleClickZoom"] is True
    style = deck["mapStyle"][0]
    assert style["sources"] == {} and "http" not in json.dumps(style), "the base-map style loads nothing"
    ids = [layer["id"] for layer in deck["layers"]]
    assert "scale_bar" in ids and "scale_bar_label" in ids


def test_the_home_button_moves_every_field_of_the_initial_view(app_test):
    at = _run(app_test)
    before = _deck(at)["initialViewState"]
    at.button(key="om_home").click().run()
    after = _deck(at)["initialViewState"]
    assert all(after[f] != before[f] for f in ("longitude", "latitude", "zoom"))
    assert all(abs(after[f] - before[f]) < 1e-5 for f in ("longitude", "latitude", "zoom"))
    at.button(key="om_home").click().run()
    assert _deck(at)["initialViewState"] == before
