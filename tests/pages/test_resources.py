"""Resources page under AppTest on the session's demo database: filters, coverage, cameras near a point,
decision aids for a chosen incident, both languages."""
import json

import pytest


def _page(app_test, lang="zh-CN", **query_params):
    at = app_test("pages/resources.py", **query_params)
    at.session_state["lang"] = lang
    return at


def _decks(at):
    return [json.loads(el.proto.json) for el in at.get("deck_gl_json_chart")]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_page_draws_maps_tables_and_decision_aids(app_test, lang):
    at = _page(app_test, lang).run()
    assert not at.exception, at.exception
    decks = _decks(at)
    layer_ids = {layer["id"] for deck in decks for layer in deck["layers"]}
    assert {"rescue_teams", "shelters", "cameras", "sensors", "coverage_villages", "affected_area",
            "team_routes"} <= layer_ids
    assert len(at.metric) >= 4 + 2 + 5
    import i18n
    assert at.title[0].value == i18n.translate("resources.heading", lang)


def test_township_filter_narrows_the_teams(app_test):
    at = _page(app_test).run()
    all_teams = at.metric[0].value
    at.selectbox(key="res_township").set_value(1).run()
    assert not at.exception
    assert at.metric[0].value != all_teams
    teams_in_one = int(at.metric[0].value.split("/")[0])
    assert 0 < teams_in_one < int(all_teams.split("/")[0])


def test_reach_slider_changes_the_gap_count(app_test):
    at = _page(app_test).run()
    gaps = lambda: int(at.metric[4].value.split("/")[0])  # noqa: E731 - villages with a gap
    at.slider(key="res_reach").set_value(5).run()
    tight = gaps()
    at.slider(key="res_reach").set_value(120).run()
    assert tight > gaps()


def test_incident_from_the_url_opens_its_decision_aids(app_test):
    from ui import database  # the page's own connection: a second, read-only one is refused in-process
    _page(app_test).run()
    incident_id = database.cursor().execute(
        "SELECT incident_id FROM incidents WHERE hazard = 'flood' ORDER BY received_at LIMIT 1").fetchone()[0]
    at = _page(app_test, "en", incident=str(incident_id)).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="res_incident").value == incident_id
    assert any(f"#{incident_id}" in h.value for h in at.subheader)


def test_bad_point_gets_a_message_in_the_user_language(app_test):
    at = _page(app_test, "en").run()
    at.number_input[0].set_value(200.0)
    at.button[0].click().run()
    assert not at.exception
    import i18n
    assert i18n.translate("resources.bad_point", "en") in [e.value for e in at.error]


def test_bad_incident_in_the_url_gets_a_message(app_test):
    at = _page(app_test, "en", incident="12; DROP TABLE incidents").run()
    assert not at.exception
    assert at.error and "not a number" in at.error[0].value
    assert at.subheader, "the decision aids fall back to the most recent incident"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_decision_aid_tables_show_no_none_or_nan(app_test, lang):
    at = _page(app_test, lang).run()
    assert not at.exception, at.exception
    for frame in at.dataframe:
        text = frame.value.astype(str).to_string()
        assert not any(word in text.split() for word in ("None", "nan", "NaN", "<NA>")), text[:500]


def test_cameras_near_a_place_picked_by_name(app_test):
    at = _page(app_test).run()
    place = at.selectbox(key="res_near_place")
    village = next(o for o in place.options if " · " in o)
    place.set_value(village).run()
    assert not at.exception, at.exception
    from ui import database
    lon, lat = database.cursor().execute(
        "SELECT v.lon, v.lat FROM villages v JOIN townships t USING (township_id) WHERE t.name || ' · ' || v.name = ?",
        [village]).fetchone()
    assert (at.number_input(key="res_near_lon").value, at.number_input(key="res_near_lat").value) == (lon, lat)
