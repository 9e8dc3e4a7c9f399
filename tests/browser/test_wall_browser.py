"""The wall screen as a room sees it (issue 17 item 6), in headless Chromium at 1920x1080 on the documented URL
/one_map?screen=wall&token=...: no exception box, no dialog, no widget to touch, the clock and the data time at
the top, and every KPI label, legend entry and list row at least 20 px as the browser computes it.
Saves tests/artifacts/wall_1920x1080.png (look at it)."""
import shutil

import pytest

import i18n
from data import accounts

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
MIN_PX = 20

# Computed font sizes of what a room must read: selector -> list of px sizes (visible elements only).
_SIZES_JS = """
(selectors) => Object.fromEntries(selectors.map(sel => [sel,
    Array.from(document.querySelectorAll(sel))
        .filter(el => el.offsetParent !== null && el.textContent.trim() !== '')
        .map(el => parseFloat(getComputedStyle(el).fontSize))]))
"""
SELECTORS = (".onemap-kpi .k", ".onemap-legend-item", ".onemap-legend-title", ".onemap-wall-list td",
             ".onemap-wall-list th", ".onemap-wall-top .asof", ".onemap-wall-top .clock")


@pytest.fixture(scope="module")
def wall_page(app_url, artifacts):
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM_ARGS, wait_for_streamlit
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{app_url}/one_map?screen=wall&token={accounts.DEMO_WALL_TOKEN}")
        wait_for_streamlit(page)
        page.wait_for_selector(".onemap-kpi .k", timeout=60_000)
        page.wait_for_selector("canvas", timeout=60_000)
        page.wait_for_timeout(6000)  # deck.gl draws through software WebGL; no Escape: a dialog must not be there
        page.screenshot(path=str(artifacts / "wall_1920x1080.png"))
        result = {"exceptions": page.locator("[data-testid='stException']").count(),
                  "dialogs": page.locator("[role='dialog']").count(),
                  # what a viewer could touch: visible controls (the hidden sidebar keeps its own)
                  "selects": page.locator("[data-testid='stSelectbox']:visible, [data-baseweb='select']:visible")
                                 .count(),
                  "inputs": page.eval_on_selector_all(
                      "input, textarea, button", "els => els.filter(e => e.offsetParent !== null)"
                      ".map(e => e.outerHTML.slice(0, 200))"),
                  "sizes": page.evaluate(_SIZES_JS, list(SELECTORS)),
                  "top_y": page.locator(".onemap-wall-top").bounding_box()["y"],
                  "kpi_y": page.locator(".onemap-kpis").bounding_box()["y"],
                  # nobody scrolls a wall: the legend's last entry must be on the screen
                  "legend_bottom": page.eval_on_selector_all(
                      ".onemap-legend-item", "els => Math.max(...els.map(e => e.getBoundingClientRect().bottom))"),
                  "clock": page.inner_text("[data-testid='onemap-wall-clock']"),
                  "asof": page.inner_text("[data-testid='onemap-wall-asof']"),
                  "text": page.inner_text("body")}
        browser.close()
    return result


def test_no_exception_no_dialog_nothing_to_touch(wall_page):
    assert wall_page["exceptions"] == 0, wall_page["text"][:2000]
    assert wall_page["dialogs"] == 0, "a dialog is left over the wall"
    assert wall_page["selects"] == 0, "no pick drop-down on a wall"
    assert not wall_page["inputs"], f"no input or button on a wall: {wall_page['inputs']}"
    assert i18n.translate("one_map.detail.timeline") not in wall_page["text"], "no incident details on a wall"


def test_clock_and_data_time_at_the_top(wall_page):
    import re
    assert wall_page["top_y"] < wall_page["kpi_y"] < 300
    assert re.fullmatch(r"\d\d:\d\d", wall_page["clock"].strip())
    assert "数据时间" in wall_page["asof"]


def test_the_legend_fits_on_the_screen(wall_page):
    assert 0 < wall_page["legend_bottom"] <= 1080, wall_page["legend_bottom"]


def test_labels_readable_across_a_room(wall_page):
    sizes = wall_page["sizes"]
    for selector in (".onemap-kpi .k", ".onemap-legend-item", ".onemap-wall-list td"):
        assert sizes[selector], f"nothing visible matches {selector}"
    small = {sel: [s for s in found if s < MIN_PX] for sel, found in sizes.items()}
    assert not any(small.values()), small
