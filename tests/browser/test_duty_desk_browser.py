"""The duty desk in real headless Chromium: the monthly "five 100%" notice is made when its download is asked for
(not on every run of the page) and arrives as a Word document with the month's title."""
import io
import shutil
import zipfile

import pytest

import i18n


@pytest.mark.browser
def test_monthly_notice_downloads_as_a_docx_when_asked(app_url, artifacts):
    if not shutil.which("/usr/bin/chromium"):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM, CHROMIUM_ARGS, wait_for_streamlit
    s = i18n.strings("zh-CN")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(app_url + "/duty_desk?demo_role=duty_officer")
        wait_for_streamlit(page)
        page.get_by_role("tab", name=s["duty_desk.tab_performance"]).click(timeout=60_000)
        button = page.get_by_role("button", name=s["duty_desk.download_notice"])
        button.wait_for(timeout=60_000)
        page.screenshot(path=str(artifacts / "duty_desk_performance.png"))
        with page.expect_download(timeout=60_000) as download:
            button.click()
        data = open(download.value.path(), "rb").read()
        browser.close()
    assert data[:2] == b"PK", "a DOCX is a zip archive"
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    title = i18n.with_county("duty_desk.notice_title", "zh-CN", "庆元县", month="").split("（")[0]
    assert title in document
