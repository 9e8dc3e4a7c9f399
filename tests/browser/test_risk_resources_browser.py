"""The risk and resources pages in real headless Chromium: shaded cells and decision aids drawn, Chinese text
rendered, nothing fetched from any host but the app's own. Screenshots go to tests/artifacts/."""
import shutil
from urllib.parse import urlparse

import pytest

import i18n

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CANVAS_COLOURS_JS = """() => Array.from(document.querySelectorAll('canvas')).map(c => {
    const g = document.createElement('canvas'); g.width = c.width; g.height = c.height;
    const ctx = g.getContext('2d'); ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]);
    return seen.size; })"""


@pytest.fixture(scope="module")
def visits(app_url, artifacts):
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM_ARGS, wait_for_streamlit
    requests, seen = [], {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.on("request", lambda r: requests.append(r.url))
        for name, path, tab in (("risk", "/risk?hazard=flood", None),
                                ("resources_decision", "/resources", i18n.translate("resources.tab_decision"))):
            page.goto(app_url + path)
            wait_for_streamlit(page)
            page.wait_for_selector("canvas", timeout=60_000)
            if tab:
                page.get_by_role("tab", name=tab).click()
                wait_for_streamlit(page)
            page.wait_for_timeout(5000)
            page.screenshot(path=str(artifacts / f"{name}.png"))
            seen[name] = {"text": page.inner_text("[data-testid='stMain']"),
                          "colours": page.evaluate(CANVAS_COLOURS_JS)}
        browser.close()
    return {"requests": requests, **seen}


def test_risk_map_is_drawn_with_its_explanation(visits):
    assert max(visits["risk"]["colours"]) > 20
    assert i18n.translate("risk.heading") in visits["risk"]["text"]
    assert i18n.translate("risk.weights_heading") in visits["risk"]["text"]  # tables draw on canvas: headings only


def test_decision_aids_are_drawn(visits):
    text = visits["resources_decision"]["text"]
    assert i18n.translate("decision.teams_heading") in text
    assert i18n.translate("decision.cells_heading") in text
    assert sum(c > 20 for c in visits["resources_decision"]["colours"]) >= 2  # the resource map and the buffer map


def test_no_request_leaves_the_host(visits):
    hosts = {urlparse(u).hostname for u in visits["requests"] if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
