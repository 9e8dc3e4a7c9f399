"""The data import page in real headless Chromium, as a duty officer meets it: a file dropped in is recognised
and its source preselected; a wrong source is a message in the user's language; after an import the uploader
is empty, so the same file is never submitted again under another source."""
import time
from pathlib import Path

import pytest

import i18n

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "formats"


def _settle(page):
    from tools.screenshot import wait_for_streamlit
    time.sleep(1)
    wait_for_streamlit(page)
    time.sleep(2)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_upload_recognise_refuse_a_wrong_source_and_clear(browser, app_url, artifacts, lang):
    s = i18n.strings(lang)
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{app_url}/data_import?demo_role=duty_officer&lang={lang}")
    _settle(page)
    page.locator("input[type=file]").first.set_input_files(str(SAMPLES / "sensor_alarms.sample.jsonl"))
    _settle(page)
    main = page.locator("[data-testid='stMain']")
    source_box = main.locator("[data-testid='stSelectbox']").first
    recognised = s["data_import.recognised"].format(file="sensor_alarms.sample.jsonl",
                                                    source=s["data_import.sources.sensor"])
    assert recognised in main.inner_text()  # recognised from the keys and preselected (no mismatch shown)
    source_box.click()
    page.get_by_role("option", name=s["data_import.sources.reservoir"]).click()
    _settle(page)
    mismatch = s["data_import.mismatch"].format(file="sensor_alarms.sample.jsonl",
                                                detected=s["data_import.sources.sensor"],
                                                chosen=s["data_import.sources.reservoir"])
    assert mismatch in main.inner_text()
    page.screenshot(path=str(artifacts / f"data_import_mismatch_{lang}.png"))
    page.get_by_role("button", name=s["data_import.submit"], exact=True).click()
    _settle(page)
    text = main.inner_text()
    assert "header:" not in text and "not a JSON" not in text
    assert s["data_import.mismatch_skipped"].format(file="sensor_alarms.sample.jsonl",
                                                    detected=s["data_import.sources.sensor"],
                                                    chosen=s["data_import.sources.reservoir"]) in text
    assert "sensor_alarms.sample.jsonl" not in main.locator("[data-testid='stFileUploader']").inner_text()
    page.screenshot(path=str(artifacts / f"data_import_after_{lang}.png"))
    page.close()
