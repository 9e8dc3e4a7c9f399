"""The county data tab of the Administration page (ui/county_data.py) in AppTest: an administrator sees it in
both languages, other roles never reach it. The load itself is tested without Streamlit in
tests/views/test_county_data.py (AppTest cannot hand a file to st.file_uploader)."""
import re

import pytest

import i18n
from data.county.layers import LAYERS

# Names of formats and coordinate systems the Chinese UI writes as they are (no Chinese name exists for them).
PROPER_NAMES = {"Shapefile", "GeoPackage", "GeoJSON", "KML", "CSV", "Excel", "WGS", "CGCS", "GCJ", "BD", "EPSG"}


def _tab(at, label: str):
    return next((tab for tab in at.tabs if tab.label == label), None)


def _texts(tab) -> list[str]:
    """Every label and text the tab shows (widgets, headings, captions, messages)."""
    out = []
    for kind in ("text_input", "button", "subheader", "caption", "markdown", "warning", "error", "success", "info",
                 "expander"):
        for element in getattr(tab, kind, []):
            for attr in ("label", "value"):
                value = getattr(element, attr, None)
                if isinstance(value, str):
                    out.append(re.sub(r":[a-z]+\[", "[", value))  # markdown colour directives are not words
    for box in tab.selectbox:
        out += [box.label, *box.options]  # options as shown (formatted); the value is a code
    return out


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_an_administrator_sees_the_county_data_tab(app_test, lang):
    at = app_test("pages/admin.py", role="admin", lang=lang).run()
    assert not at.exception, at.exception
    tab = _tab(at, i18n.translate("county.page.tab", lang))
    assert tab is not None, [t.label for t in at.tabs]
    layer_box = tab.selectbox(key="county_layer")
    assert layer_box.options == [i18n.translate(f"county.layer.{n}", lang) for n in LAYERS]
    headings = [h.value for h in tab.subheader]
    assert i18n.translate("county.page.check_heading", lang) in headings
    assert i18n.translate("county.page.recent_heading", lang) in headings
    markdown = " ".join(m.value for m in tab.markdown)
    assert i18n.translate("county.page.county_line", lang, name="庆元县" if lang == "zh-CN" else "Qingyuan County",
                          code="331126") in markdown
    assert len(tab.dataframe) >= 1, "the recent loads (the demo's own)"


def test_the_chinese_tab_has_no_english_words(app_test):
    at = app_test("pages/admin.py", role="admin").run()
    tab = _tab(at, i18n.translate("county.page.tab"))
    words = set()
    for text in _texts(tab):
        words |= set(re.findall(r"[A-Za-z]{2,}", text))
    assert words <= PROPER_NAMES, sorted(words - PROPER_NAMES)


def test_choosing_another_layer_offers_its_template(app_test):
    at = app_test("pages/admin.py", role="admin").run()
    tab = _tab(at, i18n.translate("county.page.tab"))
    tab.selectbox(key="county_layer").set_value("reservoirs")
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="county_layer").value == "reservoirs"
    labels = [b.proto.label for b in at.get("download_button")]
    assert i18n.translate("county.page.template", layer="水库") in labels


@pytest.mark.parametrize("role", ["commander", "duty_officer", "analyst", "leader"])
def test_other_roles_do_not_reach_it(app_test, role):
    at = app_test("pages/admin.py", role=role).run()
    assert not at.exception, at.exception
    assert _tab(at, i18n.translate("county.page.tab")) is None
    assert not [b for b in at.selectbox if b.key == "county_layer"]
    assert i18n.translate("auth.forbidden_page") in [e.value for e in at.error]
