"""Risk page under AppTest on the session's demo database: hazards, replay of a past date, the ranked list
and the explanation whose points add up to the score, URL values and bad dates."""
import json
from datetime import timedelta

import pytest

import i18n
from data.clock import now_cst  # the page's 'today' (demo_now would open a second, read-only connection)


def _page(app_test, lang="zh-CN", **query_params):
    at = app_test("pages/risk.py", **query_params)
    at.session_state["lang"] = lang
    return at


def _layer(at, layer_id):
    for el in at.get("deck_gl_json_chart"):
        for layer in json.loads(el.proto.json)["layers"]:
            if layer["id"] == layer_id:
                return layer
    return None


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_page_shades_every_cell_and_explains_the_top_one(app_test, lang):
    at = _page(app_test, lang).run()
    assert not at.exception, at.exception
    assert at.title[0].value == i18n.translate("risk.heading", lang)
    cells = _layer(at, "risk_cells")
    assert cells is not None and len(cells["data"]["features"]) > 0
    ranked = at.dataframe[1].value
    assert len(ranked) == 20
    explained = at.dataframe[2].value
    points_col = i18n.translate("risk.col.share", lang)
    top_score = ranked[i18n.translate("risk.col.score", lang)].iloc[0]
    assert explained[points_col].sum() == pytest.approx(top_score, abs=0.06)


def test_url_opens_a_hazard_on_a_past_date(app_test):
    day = (now_cst() - timedelta(days=40)).date()
    at = _page(app_test, "en", hazard="forest_fire", date=day.isoformat()).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="risk_hazard").value == "forest_fire"
    assert at.date_input(key="risk_date").value == day
    assert at.metric[0].value == f"{day + timedelta(days=1):%Y-%m-%d} 00:00"


def test_replay_changes_the_scores(app_test):
    at = _page(app_test, "en", hazard="flood").run()
    today = at.dataframe[1].value.iloc[:, 3].tolist()
    at.date_input(key="risk_date").set_value((now_cst() - timedelta(days=60)).date()).run()
    assert not at.exception
    assert at.dataframe[1].value.iloc[:, 3].tolist() != today


@pytest.mark.parametrize("bad", ["2024-13-45", "yesterday", "1999-01-01"])
def test_bad_date_in_the_url_gets_a_message_and_shows_today(app_test, bad):
    at = _page(app_test, "en", date=bad).run()
    assert not at.exception
    assert at.error and ("YYYY-MM-DD" in at.error[0].value or "between" in at.error[0].value)
