"""The second county in a real browser: a server on the database built from tests/packs/ebian, a commander
account made with python -m data.accounts, signed in through the form; One Map names 峨边彝族自治县 and no word
of the demo county, in both languages."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

import i18n
from tests.conftest import ROOT, serve_app

pytestmark = pytest.mark.browser
PASSWORD = "Ebian-commander-2026"
DEMO_WORDS = ("庆元", "Qingyuan", "松源", "Songyuan")


@pytest.fixture(scope="module")
def county_url(county_pack_db, tmp_path_factory):
    server_db = tmp_path_factory.mktemp("county_server") / "ebian.duckdb"
    shutil.copyfile(county_pack_db, server_db)
    subprocess.run([sys.executable, "-m", "data.accounts", "--db", str(server_db), "create-user", "--username",
                    "ebian.cmd", "--display-name", "峨边指挥长", "--role", "commander", "--password-stdin"],
                   input=PASSWORD, text=True, cwd=ROOT, check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k != "ONEMAP_DEMO_AUTO_SIGN_IN"}
    env["ONEMAP_DB"] = str(server_db)
    with serve_app(env) as url:
        yield url


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_one_map_of_the_second_county_names_it_and_nothing_of_the_demo(browser, county_url, artifacts, lang):
    from tools.screenshot import wait_for_streamlit

    def tr(key, **values):
        return i18n.translate(key, lang, **values)
    # the first session after a server start runs in Streamlit's pages/ mode (ui.navigation.require): use a later one
    first = browser.new_page()
    first.goto(county_url + "/")
    wait_for_streamlit(first)
    first.close()
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.goto(county_url + "/" + ("?lang=en" if lang == "en" else ""))
    wait_for_streamlit(page)
    page.wait_for_selector("input[type='password']", timeout=60_000)
    wait_for_streamlit(page)
    page.get_by_label(tr("auth.username"), exact=True).fill("ebian.cmd")
    page.get_by_label(tr("auth.password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=tr("auth.sign_in")).click()
    page.wait_for_selector("canvas", timeout=60_000)
    wait_for_streamlit(page)
    page.wait_for_timeout(2500)
    text = page.inner_text("body")
    county = "峨边彝族自治县" if lang == "zh-CN" else "Ebian Yi Autonomous County"
    assert county in text
    assert not [w for w in DEMO_WORDS if w in text], [w for w in DEMO_WORDS if w in text]
    assert not page.query_selector("[data-testid='stException']"), "an exception box"
    assert not page.query_selector("[role='dialog']"), "a dialog left open"
    page.screenshot(path=str(artifacts / f"county_one_map_{lang}.png"))
    page.close()
