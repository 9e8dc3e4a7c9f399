"""The daily report in real headless Chromium at tablet size (1024x768): readable without sideways scrolling.

Lives in tests/browser so it runs before any in-process AppTest opens the test database (the server of
app_url must be able to open the file)."""
import shutil

import pytest

import i18n


@pytest.mark.browser
def test_tablet_1024x768_reads_without_sideways_scrolling(app_url, artifacts):
    """Real Chromium at tablet size: the report opens, nothing is wider than the screen, the downloads are there."""
    if not shutil.which("/usr/bin/chromium"):
        pytest.fail("Debian chromium is required for browser tests (test.sh installs it)")
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM, CHROMIUM_ARGS, wait_for_streamlit
    s = i18n.strings("zh-CN")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        page.goto(app_url + "/")
        wait_for_streamlit(page)
        page.wait_for_timeout(3000)
        link = page.get_by_role("link", name=s["nav.daily_report"])
        for _ in range(3):  # a fresh server's first session reruns once under app.py's navigation
            wait_for_streamlit(page)
            if link.count() or not page.query_selector("input[type='password']"):
                break
            # sign in: the leader reads the report
            from data import accounts
            username, password = next((u, pw) for u, pw, role, _ in accounts.DEMO_ACCOUNTS if role == "leader")
            page.get_by_label(s["auth.username"]).fill(username)
            page.get_by_label(s["auth.password"], exact=True).fill(password)
            page.get_by_role("button", name=s["auth.sign_in"]).click()
            page.wait_for_timeout(4000)
        page.screenshot(path=str(artifacts / "daily_report_tablet_signin.png"))
        link.click(timeout=60_000)
        page.get_by_role("heading", name=s["daily_report.sec_map"]).wait_for(timeout=60_000)
        wait_for_streamlit(page)
        page.wait_for_timeout(2000)
        page.screenshot(path=str(artifacts / "daily_report_tablet.png"))
        widths = page.evaluate("""() => {
            const main = document.querySelector('[data-testid=stMainBlockContainer]');
            return {doc: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
                    main: main.scrollWidth, mainBox: main.clientWidth};
        }""")
        buttons = page.inner_text("[data-testid=stMainBlockContainer]")
        # The PDF is made when asked for (deferred download): it arrives and is a PDF.
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=s["daily_report.download_pdf"]).click()
        pdf_head = open(download.value.path(), "rb").read(5)
        browser.close()
    assert widths["doc"] <= widths["view"] == 1024, widths
    assert widths["main"] <= widths["mainBox"], widths
    assert s["daily_report.download_docx"] in buttons and s["daily_report.download_pdf"] in buttons
    assert pdf_head == b"%PDF-"
