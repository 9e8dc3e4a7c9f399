"""Links and reloads as people use them, in headless Chromium against a server that starts every browser signed
out: a shared analysis link opened in a fresh browser asks for sign-in with no "page not found" dialog and then
lands on Analysis with the shared filters; F5 keeps the sign-in (an HttpOnly, SameSite=Strict cookie); signing
out and F5 shows the form; the documented wall URL shows the wall with no dialog. Saves
tests/artifacts/shared_link_sign_in.png and shared_link_landed.png (1440x900; look at them)."""
from urllib.parse import parse_qs, urlparse

import pytest

import i18n
from data import accounts

pytestmark = pytest.mark.browser

SHARED = "/analysis?hazard=forest_fire,flood&township=4&period=7d"
ANALYST = ("analyst", "demo-analyst-2026")
DIALOG = "[role='dialog']"
EXCEPTION = "[data-testid='stException']"


def tr(key, **values):
    return i18n.translate(key, "zh-CN", **values)


def _settle(page, seconds: float = 2.0):
    from tools.screenshot import wait_for_streamlit
    wait_for_streamlit(page)
    page.wait_for_timeout(seconds * 1000)
    wait_for_streamlit(page)


def _assert_clean(page, where: str):
    """Nothing over the page: no dialog (Streamlit's "page not found" is one) and no exception box."""
    assert page.locator(DIALOG).count() == 0, f"{where}: a dialog is open: {page.locator(DIALOG).all_inner_texts()}"
    assert page.locator(EXCEPTION).count() == 0, f"{where}: {page.locator(EXCEPTION).all_inner_texts()}"


def _chosen(page, label: str) -> list[str]:
    """The values a multiselect shows as chosen (its tags)."""
    tags = page.locator(f"[data-testid='stMultiSelectTagsContainer']:has(input[aria-label='{label}']) "
                        "span[data-tag] > span[title]")
    return tags.all_inner_texts()


def _assert_shared_filters(page, township: str):
    assert urlparse(page.url).path == "/analysis"
    query = parse_qs(urlparse(page.url).query)
    assert query["hazard"] == ["forest_fire,flood"] and query["township"] == ["4"] and query["period"] == ["7d"]
    assert sorted(_chosen(page, tr("analysis.filters.hazards"))) == sorted(["森林火灾", "洪涝"])
    assert _chosen(page, tr("analysis.filters.townships")) == [township]
    period = page.locator(f"[data-testid='stSelectbox'] input[aria-label='{tr('analysis.filters.period')}']")
    assert period.input_value() == tr("analysis.period.7d")


@pytest.fixture()
def context(browser):
    """A fresh browser profile: no cookie, as a colleague's browser opening the link."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    yield ctx
    ctx.close()


def test_shared_link_survives_sign_in_and_reload_and_sign_out_means_it(context, signed_out_app_url, con,
                                                                      artifacts):
    township = con.execute("SELECT name FROM townships WHERE township_id = 4").fetchone()[0]
    page = context.new_page()
    page.goto(signed_out_app_url + SHARED)
    page.wait_for_selector("input[type='password']", timeout=60_000)
    _settle(page)
    _assert_clean(page, "signed out at a shared link")
    assert urlparse(page.url).path == "/analysis", "the link is kept while signing in"
    page.screenshot(path=str(artifacts / "shared_link_sign_in.png"))

    page.get_by_label(tr("auth.username")).fill(ANALYST[0])
    page.get_by_label(tr("auth.password")).fill(ANALYST[1])
    page.get_by_role("button", name=tr("auth.sign_in")).click()
    page.wait_for_selector(f"h1:has-text('{tr('analysis.heading')}')", timeout=60_000)
    _settle(page, 3)
    _assert_clean(page, "after sign-in")
    _assert_shared_filters(page, township)
    page.screenshot(path=str(artifacts / "shared_link_landed.png"))
    cookie = next(c for c in context.cookies() if c["name"] == accounts.SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["expires"] > 0, "a cookie with a lifetime (the session's), not a browser-session cookie"

    page.reload()  # F5
    page.wait_for_selector(f"h1:has-text('{tr('analysis.heading')}')", timeout=60_000)
    _settle(page, 3)
    _assert_clean(page, "after F5")
    assert page.locator("input[type='password']").count() == 0, "still signed in"
    _assert_shared_filters(page, township)

    page.get_by_role("button", name=tr("auth.sign_out")).click()
    page.wait_for_selector("input[type='password']", timeout=30_000)
    _settle(page)
    page.reload()
    page.wait_for_selector("input[type='password']", timeout=60_000)
    _settle(page)
    _assert_clean(page, "signed out, then F5")
    assert page.locator(f"h1:has-text('{tr('analysis.heading')}')").count() == 0
    assert accounts.SESSION_COOKIE not in {c["name"] for c in context.cookies()}, "the cookie was cleared"


def test_a_link_the_role_may_not_open_lands_on_one_map_saying_why(context, signed_out_app_url):
    page = context.new_page()
    page.goto(signed_out_app_url + SHARED)
    page.wait_for_selector("input[type='password']", timeout=60_000)
    _settle(page)
    page.get_by_label(tr("auth.username")).fill("duty")
    page.get_by_label(tr("auth.password")).fill("demo-duty-2026")
    page.get_by_role("button", name=tr("auth.sign_in")).click()
    page.wait_for_selector(f"text={tr('nav.refused', page=tr('nav.analysis'))}", timeout=60_000)
    _settle(page)
    _assert_clean(page, "refused page")


def test_documented_wall_url_shows_the_wall_with_no_dialog(context, signed_out_app_url):
    page = context.new_page()
    page.goto(f"{signed_out_app_url}/one_map?screen=wall&token={accounts.DEMO_WALL_TOKEN}")
    page.wait_for_selector("canvas", timeout=60_000)
    _settle(page, 5)  # the dialog, when there was one, came after the first draw
    _assert_clean(page, "wall")
    assert urlparse(page.url).path == "/one_map"
    assert page.locator("input[type='password']").count() == 0
