"""The analysis page in headless Chromium: charts and map drawn, a click on a township bar narrows the whole
page and the URL (plotly on_select cross-filter), no request leaves the host. Saves tests/artifacts/analysis.png
and analysis_crossfilter.png."""
import csv
import io
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

import i18n

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ANALYST = ("analyst", "demo-analyst-2026")  # the demo account of data/accounts.py
SHARED_LINK = "/analysis?period=all&hazard=flood,forest_fire,geological&gran=month&lang=zh-CN"


def _sign_in_if_asked(page, wait_for_streamlit) -> bool:
    """Sign-in comes first: use the demo analyst account."""
    page.wait_for_selector("input[type='password'], .js-plotly-plot", timeout=60_000)
    password = page.query_selector("input[type='password']")
    if password is None:
        return False
    page.fill("[data-testid='stForm'] input:not([type='password'])", ANALYST[0])
    password.fill(ANALYST[1])
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=30_000)
    wait_for_streamlit(page)
    return True


def _incidents_kpi(page) -> int:
    text = page.inner_text("[data-testid='stMetricValue'] >> nth=0")
    return int(text.replace(",", "").strip())


def _settle(page, wait_for_streamlit, seconds=2.0):
    time.sleep(seconds)
    wait_for_streamlit(page)
    time.sleep(1)


@pytest.fixture(scope="module")
def analysis_visit(app_url, artifacts):
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM_ARGS, wait_for_streamlit
    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 2400})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(app_url + SHARED_LINK)
        wait_for_streamlit(page)
        signed_in = _sign_in_if_asked(page, wait_for_streamlit)
        if "/analysis" not in page.url:
            page.click("[data-testid='stSidebarNav'] a[href$='/analysis']")
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        page.wait_for_selector("canvas", timeout=60_000)
        _settle(page, wait_for_streamlit, 3)
        result = {"signed_in": signed_in, "url": page.url, "kpi": _incidents_kpi(page),
                  "sidebar": page.inner_text("[data-testid='stSidebar']"),
                  "main": page.inner_text("[data-testid='stMainBlockContainer']"),
                  "plots": len(page.query_selector_all(".js-plotly-plot"))}
        page.screenshot(path=str(artifacts / "analysis.png"))
        # Cross-filter: click the busiest township's bar (the top bar of the second chart).
        bars = page.query_selector_all(".js-plotly-plot")[1].query_selector_all(".barlayer .point path")
        box = bars[-1].bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        deadline = time.time() + 30
        while "township=" not in page.url and time.time() < deadline:
            time.sleep(0.5)
        _settle(page, wait_for_streamlit)
        result.update(url_after=page.url, kpi_after=_incidents_kpi(page),
                      sidebar_after=page.inner_text("[data-testid='stSidebar']"))
        page.screenshot(path=str(artifacts / "analysis_crossfilter.png"))
        # Export the narrowed set: the deferred download builds the file on click.
        with page.expect_download(timeout=60_000) as download:
            page.click("[data-testid='stDownloadButton'] button >> nth=0")
        result["csv"] = Path(download.value.path()).read_bytes()
        result["csv_name"] = download.value.suggested_filename
        # To another page and back: the applied filters come back with the page.
        page.click("[data-testid='stSidebarNav'] a[href$='/risk']")
        _settle(page, wait_for_streamlit)
        page.click("[data-testid='stSidebarNav'] a[href$='/analysis']")
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        _settle(page, wait_for_streamlit)
        result.update(url_back=page.url, kpi_back=_incidents_kpi(page))
        browser.close()
    result["requests"] = requests
    return result


def test_charts_map_and_table_are_drawn(analysis_visit):
    s = i18n.strings("zh-CN")
    assert analysis_visit["plots"] >= 5
    for key in ("chart.over_time", "chart.heatmap", "chart.response", "map.heading", "table.heading"):
        assert s[f"analysis.{key}"] in analysis_visit["main"]
    assert analysis_visit["kpi"] > 0


def test_shared_link_restores_the_filters(analysis_visit):
    if analysis_visit["signed_in"]:
        pytest.skip("sign-in comes first and a fresh session loses the link's page; AppTest pins the restore")
    for label in ("洪涝", "森林火灾", "滑坡/泥石流"):
        assert label in analysis_visit["sidebar"]
    assert "hazard=flood" in analysis_visit["url"]


def test_clicking_a_township_bar_narrows_the_page_and_the_url(analysis_visit):
    chosen = parse_qs(urlparse(analysis_visit["url_after"]).query).get("township")
    assert chosen and len(chosen[0].split(",")) == 1, analysis_visit["url_after"]
    assert 0 < analysis_visit["kpi_after"] < analysis_visit["kpi"]


def test_csv_download_holds_the_narrowed_set_with_a_bom_and_masked_callers(analysis_visit):
    data = analysis_visit["csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(body) == analysis_visit["kpi_after"]
    s = i18n.strings("zh-CN")
    assert s["analysis.col.caller_phone"] in header
    phones = [r[header.index(s["analysis.col.caller_phone"])] for r in body
              if r[header.index(s["analysis.col.caller_phone"])]]
    assert phones and all("****" in p for p in phones)
    assert analysis_visit["csv_name"].endswith(".csv")


def test_filters_come_back_after_a_visit_to_another_page(analysis_visit):
    assert analysis_visit["kpi_back"] == analysis_visit["kpi_after"]
    assert "township=" in analysis_visit["url_back"]


def test_no_request_leaves_the_host(analysis_visit):
    hosts = {urlparse(u).hostname for u in analysis_visit["requests"]
             if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
