"""The One Map wall screen in real headless Chromium at 1920x1080: the deck.gl canvas is drawn (not blank),
the chrome is hidden, Chinese text renders, and the browser asks nothing of any host but the app's own.
Saves tests/artifacts/one_map_wall.png (look at it)."""
import io
import shutil
from urllib.parse import urlparse

import pytest

import i18n

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"


def _wall_url(app_url: str) -> str:
    try:  # the sign-in work gives wall screens a token; without it the parameter is ignored
        from data.accounts import DEMO_WALL_TOKEN
        token = f"&token={DEMO_WALL_TOKEN}"
    except ImportError:
        token = ""
    return f"{app_url}/one_map?screen=wall{token}"


@pytest.fixture(scope="module")
def wall(app_url, artifacts):
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from playwright.sync_api import sync_playwright
    from PIL import Image
    from tools.screenshot import CHROMIUM_ARGS, wait_for_streamlit
    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(_wall_url(app_url))
        wait_for_streamlit(page)
        page.wait_for_selector("canvas", timeout=60_000)
        page.wait_for_timeout(6000)  # deck.gl draws through software WebGL
        page.keyboard.press("Escape")  # a first-visit notice of the navigation, if any, must not cover the map
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / "one_map_wall.png"))
        canvas = max(page.query_selector_all("canvas"), key=lambda c: (c.bounding_box() or {"width": 0})["width"])
        box = canvas.bounding_box()
        pixels = Image.open(io.BytesIO(canvas.screenshot())).convert("L")
        result = {"requests": requests, "box": box, "pixels": pixels,
                  "text": page.inner_text("body"),
                  "sidebar_visible": page.is_visible("[data-testid='stSidebar']"),
                  "header_visible": page.is_visible("[data-testid='stHeader']")}
        browser.close()
    return result


def test_the_map_canvas_is_drawn_and_not_blank(wall):
    import numpy as np
    assert wall["box"]["width"] > 1200, "the map takes most of a 1920 px wall"
    values = np.asarray(wall["pixels"], dtype=float)
    assert values.std() > 12, f"canvas looks blank (std {values.std():.1f})"
    assert len(np.unique(values.astype(int))) > 40


def test_wall_hides_chrome_and_shows_kpis_in_chinese(wall):
    assert not wall["sidebar_visible"] and not wall["header_visible"]
    assert i18n.translate("one_map.heading") in wall["text"]
    assert i18n.translate("one_map.kpi.overdue") in wall["text"]


def test_no_request_leaves_the_host(wall):
    outside = [u for u in wall["requests"]
               if urlparse(u).scheme in ("http", "https", "ws", "wss")
               and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert not outside, outside
    assert not any("cartocdn" in u or "mapbox" in u for u in wall["requests"])
