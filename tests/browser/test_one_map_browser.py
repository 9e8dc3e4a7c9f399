"""The One Map wall screen in real headless Chromium at 1920x1080: the deck.gl canvas is drawn (not blank),
the chrome is hidden, Chinese text renders, and the browser asks nothing of any host but the app's own.
Saves tests/artifacts/one_map_wall.png (look at it)."""
import io
import shutil
from datetime import timedelta
from urllib.parse import urlparse

import pytest

import i18n
from data import accounts

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"


def _wall_url(app_url: str) -> str:
    """The wall screen's documented URL, with the demo wall token."""
    return f"{app_url}/one_map?screen=wall&token={accounts.DEMO_WALL_TOKEN}"


@pytest.fixture(scope="module")
def wall(app_url, artifacts):
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from PIL import Image
    from playwright.sync_api import sync_playwright

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


def _screen_xy(lon, lat, view, width, height):
    """Web-Mercator pixel of (lon, lat) in a deck.gl viewport (512-pixel world at zoom 0)."""
    import math
    scale = 512 * 2 ** view["zoom"] / (2 * math.pi)

    def world(lo, la):
        return (scale * (math.radians(lo) + math.pi),
                scale * (math.pi - math.log(math.tan(math.pi / 4 + math.radians(la) / 2))))
    x, y = world(lon, lat)
    x0, y0 = world(view["lon"], view["lat"])
    return width / 2 + (x - x0), height / 2 + (y - y0)


def test_clicking_an_incident_on_the_wall_opens_no_details(app_url, con, artifacts):
    """Click on the real wall map: the most isolated exact incident of the last 24 h is clicked at its projected
    pixel; the wall must not show its details (a long-lived wall link opens no incident, issue 17 item 6).
    The desk's click-through to details is the picking work's test (issue 17 item 4)."""
    from playwright.sync_api import sync_playwright

    import settings
    from data.clock import now_cst
    from queries import runner
    from tools.screenshot import CHROMIUM_ARGS, wait_for_streamlit
    from views import map_view
    now = now_cst()
    target = con.execute("""
        WITH w AS (SELECT incident_id, source_ref, lon, lat FROM incidents
                   WHERE received_at >= ? AND location_precision = 'exact')
        SELECT a.incident_id, a.source_ref, a.lon, a.lat,
               min(sqrt(power(a.lon - b.lon, 2) + power(a.lat - b.lat, 2))) AS gap
        FROM w a JOIN w b ON a.incident_id <> b.incident_id
        GROUP BY ALL ORDER BY gap DESC LIMIT 1""", [now - timedelta(hours=23)]).fetchone()
    assert target, "the test database has incidents in the last 24 h"
    cfg = settings.load()
    extent = map_view.county_extent(lambda name, **params: runner.run(con, name, **params))
    lon, lat, zoom = map_view.view_of(extent, cfg["map"], map_view.WALL_MAP, cfg["wall"]["zoom"])
    view = {"zoom": zoom, "lon": lon, "lat": lat}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(_wall_url(app_url) + "&layers=incidents")
        wait_for_streamlit(page)
        page.wait_for_selector("canvas", timeout=60_000)
        page.wait_for_timeout(5000)
        page.keyboard.press("Escape")
        canvas = max(page.query_selector_all("canvas"), key=lambda c: (c.bounding_box() or {"width": 0})["width"])
        box = canvas.bounding_box()
        x, y = _screen_xy(target[2], target[3], view, box["width"], box["height"])
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.wait_for_timeout(700)  # let deck.gl pick the hovered object before the click
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_timeout(5000)  # a rerun the click might trigger
        text = page.inner_text("body")
        page.screenshot(path=str(artifacts / "one_map_wall_click.png"))
        browser.close()
    assert target[1] not in text, f"the wall showed incident {target[0]}'s details after a click"
    assert i18n.translate("one_map.detail.timeline") not in text
