"""One Map at the commander's desk in real headless Chromium, as issue 17 found it: hovering the incidents of
the default window (last 24 h) at their screen positions must show the incident's own tooltip, not a team,
shelter, reservoir or grid cell drawn over it (it was 42%); the map has zoom buttons, the page's wheel scrolls
the page instead of zooming the map, and the county fits the map's width at 1920, 1440 and 1024 pixels.
Saves tests/artifacts/one_map_desk_<width>.png and one_map_hover.png (look at them)."""
import math
import shutil

import pytest

import settings
from queries import runner
from views import map_view
from views import one_map as view

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
SIZES = ((1920, 1080), (1440, 900), (1024, 768))
MAP_HEIGHT = 620  # pages/one_map.py's desk map
MIN_SHARE = 0.9


def _screen_xy(lon, lat, lon0, lat0, zoom, width, height):
    """Web-Mercator pixel of (lon, lat) in a deck.gl viewport centred on (lon0, lat0)."""
    scale = 512 * 2 ** zoom / (2 * math.pi)

    def world(lo, la):
        return (scale * (math.radians(lo) + math.pi),
                scale * (math.pi - math.log(math.tan(math.pi / 4 + math.radians(la) / 2))))
    x, y = world(lon, lat)
    x0, y0 = world(lon0, lat0)
    return width / 2 + (x - x0), height / 2 + (y - y0)


def _open(page, url):
    from tools.screenshot import wait_for_streamlit
    page.goto(url)
    wait_for_streamlit(page)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=60_000)
    page.wait_for_timeout(7000)  # the width report reruns the map once; deck.gl draws through software WebGL
    wait_for_streamlit(page)


def _map_canvas(page):
    canvases = page.query_selector_all("[data-testid='stDeckGlJsonChart'] canvas")
    return max(canvases, key=lambda c: (c.bounding_box() or {"width": 0})["width"])


def _difference(png_a: bytes, png_b: bytes) -> float:
    """Mean absolute difference of two screenshots' grey levels (0-255); a zoom changes the map wholesale."""
    import io

    import numpy as np
    from PIL import Image
    a, b = (np.asarray(Image.open(io.BytesIO(p)).convert("L"), dtype=float) for p in (png_a, png_b))
    if a.shape != b.shape:
        return 255.0
    return float(np.abs(a - b).mean())


def _no_error_or_dialog(page):
    assert page.query_selector("[data-testid='stException']") is None, page.inner_text("body")[:2000]
    dialogs = [d for d in page.query_selector_all("[role='dialog']") if d.is_visible()]
    assert not dialogs, [d.inner_text()[:300] for d in dialogs]


@pytest.fixture(scope="module")
def playwright_browser():
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM_ARGS
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("window", ["24h", "7d"])
def test_hovering_each_incident_shows_that_incident(app_url, con, artifacts, playwright_browser, window):
    """The default window (24 h; the test county has few incidents in it) and 7 days (?window=7d: many more
    dots, and more of them near a resource marker)."""
    from data.clock import now_cst
    cfg = settings.load()
    fetch = lambda name, **params: runner.run(con, name, **params)  # noqa: E731
    now = now_cst()
    start, end = view.window_bounds(window, now)
    hazards, statuses = fetch("hazard_types"), fetch("onemap_incident_statuses")
    rows = fetch("onemap_incident_points", start=start, end=end, hazards=list(hazards["code"]), open_only=False,
                 max_rows=30000, **view.point_query_params(hazards, statuses, fetch("onemap_channels"), "zh-CN"))
    import json
    targets = json.loads(rows["exact_rows"].iat[0])
    assert len(targets) >= (5 if window == "24h" else 30), "the test database has exactly placed incidents"
    page = playwright_browser.new_page(viewport={"width": 1920, "height": 1080})
    _open(page, app_url + "/one_map" + ("" if window == "24h" else f"?window={window}"))
    _no_error_or_dialog(page)
    canvas = _map_canvas(page)
    box = canvas.bounding_box()
    width = round(box["width"] / 10) * 10  # what ui/map_width.py reports
    lon0, lat0, zoom = map_view.view_of(map_view.county_extent(fetch), cfg["map"], (width, MAP_HEIGHT))
    from layers.incidents import SEVERITY_RADIUS
    xy = [_screen_xy(o["x"], o["y"], lon0, lat0, zoom, box["width"], box["height"]) for o in targets]

    def covered(k: int) -> bool:
        """Another incident dot drawn later (targets are in drawing order) lies over this one's centre."""
        return any(math.hypot(xy[j][0] - xy[k][0], xy[j][1] - xy[k][1]) <= SEVERITY_RADIUS[targets[j]["s"]] + 1
                   for j in range(k + 1, len(targets)))

    own = any_incident = inside = free = own_free = 0
    others: dict[str, int] = {}
    missed = []  # (incident, level, incident shown instead, its level, pixels apart)
    for k, target in enumerate(targets):
        x, y = xy[k]
        if not (4 <= x <= box["width"] - 4 and 4 <= y <= box["height"] - 4):
            continue
        inside += 1
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.wait_for_timeout(250)
        tip = page.evaluate("""() => { const t = document.querySelector('.deck-tooltip');
                                       return t && t.style.display !== 'none' ? t.innerText : ''; }""").strip()
        is_own = tip == target["tip"].strip()
        own += is_own
        if not covered(k):
            free += 1
            own_free += is_own
        shown = next((j for j, o in enumerate(targets) if o["tip"].strip() == tip), None)
        if shown is not None:
            any_incident += 1
            if not is_own:
                missed.append((target["i"], target["s"], targets[shown]["i"], targets[shown]["s"],
                               round(math.hypot(xy[shown][0] - x, xy[shown][1] - y), 1)))
        else:
            others[tip.split("\n")[0][:20]] = others.get(tip.split("\n")[0][:20], 0) + 1
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.screenshot(path=str(artifacts / f"one_map_hover_{window}.png"))
    _no_error_or_dialog(page)
    page.close()
    share, incident_share, free_share = own / max(inside, 1), any_incident / max(inside, 1), own_free / max(free, 1)
    print(f"\nhovered {inside} of {len(targets)} exact incidents of the window {window}: own tooltip {own} "
          f"({share:.0%}), an incident's tooltip {any_incident} ({incident_share:.0%}); "
          f"of the {free} not under another "
          f"incident's dot: own tooltip {own_free} ({free_share:.0%}); other tooltips {others}; "
          f"another incident shown (id, level, shown id, level, px apart): {missed}")
    assert inside >= 0.9 * len(targets), "the county (and its incidents) fits the map"
    assert incident_share >= MIN_SHARE, f"an incident's tooltip {incident_share:.0%}; other tooltips {others}"
    assert free_share >= MIN_SHARE, f"own tooltip {free_share:.0%} of incidents no other dot covers; {missed}"


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_controls_wheel_and_the_county_fitting_the_width(app_url, con, artifacts, playwright_browser, width, height):
    fetch = lambda name, **params: runner.run(con, name, **params)  # noqa: E731
    page = playwright_browser.new_page(viewport={"width": width, "height": height})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    _open(page, app_url + "/one_map")
    _no_error_or_dialog(page)
    page.screenshot(path=str(artifacts / f"one_map_desk_{width}.png"))
    assert len(page.query_selector_all("[data-testid='stDeckGlJsonChartZoomButton'] button")) == 2, "+ and -"
    assert page.get_by_text("复位视图").count() >= 1, "the home button"
    # the county's extent, as fitted to the map's measured width, lies within the canvas
    box = _map_canvas(page).bounding_box()
    extent = map_view.county_extent(fetch)
    lon0, lat0, zoom = map_view.view_of(extent, settings.load()["map"], (round(box["width"] / 10) * 10, MAP_HEIGHT))
    west, south, east, north = extent
    x_w, y_n = _screen_xy(west, north, lon0, lat0, zoom, box["width"], box["height"])
    x_e, y_s = _screen_xy(east, south, lon0, lat0, zoom, box["width"], box["height"])
    assert -1 <= x_w and x_e <= box["width"] + 1 and -1 <= y_n and y_s <= box["height"] + 1, (x_w, x_e, box)
    assert x_e - x_w >= 0.85 * box["width"] or y_s - y_n >= 0.85 * box["height"], "fitted, not just inside"
    # the wheel over the map scrolls the page (when there is more page) and never zooms the map
    scrolled = """() => { const m = document.querySelector('[data-testid="stMain"]');
                          return window.scrollY + (m ? m.scrollTop : 0); }"""
    room = page.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
                                    return m ? m.scrollHeight - m.clientHeight : 0; }""")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(box["x"] + 5, box["y"] + 5)  # no hover highlight in the picture
    before, pixels = page.evaluate(scrolled), _map_canvas(page).screenshot()
    page.mouse.move(box["x"] + box["width"] / 2 + 3, box["y"] + box["height"] - 30)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(1000)
    if room > 20:
        assert page.evaluate(scrolled) > before, "the page scrolled"
    page.evaluate("""() => { window.scrollTo(0, 0); const m = document.querySelector('[data-testid="stMain"]');
                             if (m) m.scrollTop = 0; }""")
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.wait_for_timeout(500)
    assert _difference(_map_canvas(page).screenshot(), pixels) < 3, "the wheel did not zoom the map"
    _no_error_or_dialog(page)
    page.close()
    outside = [u for u in requests if u.startswith("http") and "127.0.0.1" not in u and "localhost" not in u]
    assert not outside, outside
