"""Every sidebar control of One Map, touched in both languages in a real browser: switching the language keeps the
choices and no control then raises (a TypeError filled the page after switching to English, issue 17)."""
from __future__ import annotations

import i18n
from tests.browser.conftest import CHROMIUM

EXCEPTION = "[data-testid='stException']"


def _settle(page) -> None:
    from tools.screenshot import wait_for_streamlit
    page.wait_for_timeout(1500)
    wait_for_streamlit(page, timeout_s=90)


def _healthy(page, step: str) -> None:
    assert page.locator(EXCEPTION).count() == 0, f"{step}: {page.locator(EXCEPTION).first.inner_text()[:500]}"
    assert page.locator("[role='dialog']").count() == 0, f"{step}: a dialog is open"


def _choose_language(page, lang: str) -> None:
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name=i18n.LANGUAGES[lang], exact=True).click()
    _settle(page)


def _touch_every_control(page, lang: str) -> None:
    s = i18n.strings(lang)
    sidebar = page.locator("[data-testid='stSidebar']")
    for window in ("today", "7d", "24h"):
        sidebar.get_by_text(s[f"one_map.window_names.{window}"], exact=True).click()
        _settle(page)
        _healthy(page, f"{lang} window {window}")
    toggle = sidebar.locator("[data-testid='stCheckbox']").first
    for _ in range(2):
        toggle.click()
        _settle(page)
        _healthy(page, f"{lang} open only")
    hazards = sidebar.locator("[data-testid='stMultiSelect']").nth(0)
    hazards.click()
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    _settle(page)
    _healthy(page, f"{lang} hazard picked")
    layers = sidebar.locator("[data-testid='stMultiSelect']").nth(1)
    layers.locator("button[aria-label^='Remove']").last.click()  # the last layer chip (never the incidents)
    _settle(page)
    _healthy(page, f"{lang} layer removed")


def test_every_sidebar_control_in_both_languages(app_url, artifacts):
    from playwright.sync_api import sync_playwright

    from tools.screenshot import CHROMIUM_ARGS
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(app_url + "/one_map")
        _settle(page)
        page.wait_for_selector("canvas", timeout=60_000)
        _healthy(page, "first open")
        _touch_every_control(page, "zh-CN")
        _choose_language(page, "en")
        _healthy(page, "switched to English")
        _touch_every_control(page, "en")
        _choose_language(page, "zh-CN")
        _healthy(page, "back to Chinese")
        _touch_every_control(page, "zh-CN")
        page.screenshot(path=str(artifacts / "one_map_controls_both_languages.png"))
        browser.close()
