"""The app opens in real headless Chromium: navigation in Chinese, the county map drawn, nothing fetched
from any host but the app's own."""
import shutil
from urllib.parse import urlparse

import pytest

import i18n

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def page_visit(app_url, artifacts):
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM_ARGS, wait_for_streamlit
    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(app_url + "/")
        wait_for_streamlit(page)
        page.wait_for_selector("canvas", timeout=60_000)
        page.wait_for_timeout(4000)
        shot = artifacts / "navigation.png"
        page.screenshot(path=str(shot))
        nav_text = page.inner_text("[data-testid='stSidebarNav']")
        pixels = page.evaluate("""() => {
            const c = document.querySelector('canvas');
            const g = document.createElement('canvas'); g.width = c.width; g.height = c.height;
            const ctx = g.getContext('2d'); ctx.drawImage(c, 0, 0);
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i+1] + ',' + d[i+2]);
            return seen.size;
        }""")
        browser.close()
    return {"requests": requests, "nav_text": nav_text, "distinct_colours": pixels, "shot": shot}


def test_navigation_lists_the_pages_in_chinese(page_visit):
    # The browser is signed in as the demo commander (conftest app_url): the commander's pages are listed,
    # data import (duty officer and administrator only, data/roles.py) is not.
    for key in ("nav.one_map", "nav.analysis", "nav.daily_report", "nav.resources", "nav.risk"):
        assert i18n.translate(key, "zh-CN") in page_visit["nav_text"]
    assert i18n.translate("nav.data_import", "zh-CN") not in page_visit["nav_text"]


def test_the_map_canvas_is_drawn(page_visit):
    # A blank canvas has one colour; the county, boundaries, labels and markers give many.
    assert page_visit["distinct_colours"] > 20
    assert page_visit["shot"].stat().st_size > 50_000


def test_no_request_leaves_the_host(page_visit):
    hosts = {urlparse(u).hostname for u in page_visit["requests"]
             if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
