"""Issue 16 walked through in real headless Chromium, as a duty officer meets the app: signed in through the form
(no demo auto sign-in), a forest-fire call is recorded on the duty desk, the suggested units are dispatched, one
unit's 签收 / 到场 / 反馈 / 回访 are recorded, the 首报 is written and sent within its 30 minutes, a 续报 is sent,
the incident is closed with a result and the 终报 is sent. Every stage: no exception box, no dialog left open, no
English word in the Chinese main area; a 1440x900 screenshot in tests/artifacts/duty_walk_<n>_<stage>.png. After
the server stopped, the database copy says what the page said.

The app's clock is pinned (tests/conftest.py TEST_NOW): every step happens at the same instant, so the times read
back are the pinned one; what is checked is what was stored, never how long the browser took."""
from __future__ import annotations

import os
import re
import time
from collections import Counter
from datetime import timedelta

import pytest

import i18n
from tests.conftest import ARTIFACTS, TEST_NOW, serve_app

pytestmark = pytest.mark.browser
S = i18n.strings("zh-CN")
USERNAME, PASSWORD, DISPLAY_NAME = "duty", "demo-duty-2026", "演示·值班员"  # README "Demo accounts"
TOWNSHIP = "荷地镇"
DESCRIPTION = "荷地镇后山林地起火，火势沿山脊蔓延，已有村民自行扑救"
CALLER, PHONE = "吴建国", "13905781234"
SENT_TO = "丽水市应急管理局"
RESULT = "明火已全部扑灭，过火面积约3亩，无人员伤亡，留守人员看守余火"
# ASCII words the Chinese main area may show: "Word" (the report download names the file format). People are
# named by their display names (演示·值班员), never by username.
DATA_WORDS = {"Word"}
TIMEOUT = 90_000


def tr(key: str, **values) -> str:
    return i18n.translate(key, "zh-CN", **values)


# ------------------------------------------------------------------ waiting and checking
def _idle(page, settle_ms: int = 700) -> None:
    """Until Streamlit finished the run a click started (the run may start a moment after the click)."""
    from tools.screenshot import wait_for_streamlit
    page.wait_for_timeout(settle_ms)
    wait_for_streamlit(page, timeout_s=120)
    page.wait_for_timeout(300)
    wait_for_streamlit(page, timeout_s=120)


def english_words(page) -> list[str]:
    """ASCII words of 3+ letters in the visible text of the main area, Material icon names taken out (an icon
    is drawn from its name's ligature, so the name is in the text)."""
    main = page.locator("[data-testid='stMainBlockContainer']")
    # a table name such as report_rules counts: "report" and "rules" are words a duty officer reads
    words = Counter(re.findall(r"(?<![A-Za-z0-9])[A-Za-z]{3,}(?![A-Za-z0-9])", main.inner_text().replace("_", " ")))
    for icon in main.locator("[data-testid='stIconMaterial']").all_inner_texts():  # keyboard_arrow_down ...
        words.subtract(re.findall(r"[A-Za-z]{3,}", icon))
    return sorted(w for w, n in words.items() if n > 0 and w not in DATA_WORDS)


def _check(page, stage: str) -> None:
    exceptions = page.locator("[data-testid='stException']")
    assert not exceptions.count(), f"{stage}: exception box: {exceptions.first.inner_text()[:500]}"
    dialogs = page.get_by_role("dialog")
    open_dialogs = [dialogs.nth(k) for k in range(dialogs.count()) if dialogs.nth(k).is_visible()]
    assert not open_dialogs, f"{stage}: a dialog left open: {open_dialogs[0].inner_text()[:300]}"
    errors = page.locator("[data-testid='stAlertContentError']")
    assert not errors.count(), f"{stage}: error message: {errors.first.inner_text()[:300]}"
    assert not english_words(page), f"{stage}: English in the Chinese UI: {english_words(page)}"


def _shoot(page, artifacts, name: str, anchor=None) -> None:
    if anchor is not None:
        anchor.wait_for(timeout=TIMEOUT)
        anchor.evaluate("e => e.scrollIntoView({block: 'start'})")  # the stage's part at the top of the screen
        page.wait_for_timeout(600)
    page.screenshot(path=str(artifacts / f"duty_walk_{name}.png"))


# ------------------------------------------------------------------ widgets
def _select(page, label: str, option: str | None = None, typed: str | None = None) -> str:
    """Open the visible selectbox with this label and pick the option containing `option` (None: the first);
    `typed` narrows long lists first. Returns the picked option's text."""
    box = page.locator("[data-testid='stSelectbox']:visible").filter(
        has=page.get_by_text(label, exact=True)).first
    box.click(timeout=TIMEOUT)
    if typed:
        box.locator("input").fill(typed)
    options = page.get_by_role("option")
    if option is not None:
        options = options.filter(has_text=option)
    choice = options.first
    choice.wait_for(timeout=TIMEOUT)
    text = choice.inner_text()
    choice.click()
    _idle(page)
    return text


def _type(page, label: str, value: str, commit: bool = True) -> None:
    """Fill a text input / area; outside a form, leave it so Streamlit takes the value (one rerun)."""
    field = page.get_by_label(label, exact=True).filter(visible=True).first
    field.fill(value)
    if commit:
        field.blur()
        _idle(page)


def _tab(page, key: str) -> None:
    page.get_by_role("tab", name=S[key], exact=True).click(timeout=TIMEOUT)
    _idle(page, 400)


def _button(page, name: str):
    return page.get_by_role("button", name=name, exact=True).filter(visible=True)


def _submit(page, name: str):
    return page.locator("[data-testid='stFormSubmitButton']:visible").get_by_role("button", name=name, exact=True)


def _done(page, action: str) -> None:
    """The panel's flash after an action: 已完成：<action>（现为第 N 版）."""
    flash = tr("ops.done", action=tr(f"ops.action.{action}"), version=999).split("999")[0]
    page.get_by_text(flash).first.wait_for(timeout=TIMEOUT)
    _idle(page, 300)


def _metric(page, key: str) -> int:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=S[key]).first
    return int(metric.locator("[data-testid='stMetricValue']").inner_text().strip())


def _send_report(page, option_fragment: str, extra: dict[str, str] | None = None) -> str:
    """On the 信息报送 tab: pick the owed report whose option contains option_fragment, fill what the prefill
    leaves to the officer, send it; returns the picked option's text. Waits for the "sent" message."""
    _tab(page, "duty_desk.tab_reports")
    page.get_by_role("heading", name=S["info_report.heading"]).scroll_into_view_if_needed(timeout=TIMEOUT)
    picked = _select(page, S["info_report.pick"], option_fragment, typed=option_fragment)
    for field, value in (extra or {}).items():
        _type(page, S[f"info_report.field.{field}"], value, commit=False)
    _type(page, S["info_report.field.sent_to"], SENT_TO, commit=False)
    _submit(page, S["info_report.send"]).click(timeout=TIMEOUT)
    page.get_by_text(S["info_report.sent_ok"].split("{")[0]).first.wait_for(timeout=TIMEOUT)
    _idle(page, 300)
    return picked


# ------------------------------------------------------------------ the walk
def test_a_forest_fire_from_the_call_to_the_final_report(browser, db_copy, artifacts):
    from data import db
    from tools.screenshot import wait_for_streamlit
    path = db_copy("duty_walk")
    env = {k: v for k, v in os.environ.items() if k != "ONEMAP_DEMO_AUTO_SIGN_IN"}
    env["ONEMAP_DB"] = str(path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started = time.time()
    with open(ARTIFACTS / "duty_walk_server.log", "w") as log, serve_app(env, log) as url:
        # the first session after a server start runs in Streamlit's pages/ mode (ui.navigation.require)
        first = browser.new_page()
        first.goto(url + "/")
        wait_for_streamlit(first, timeout_s=120)
        first.close()
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(TIMEOUT)
        page.goto(url + "/")

        # 1. sign in through the form, in Chinese, as the demo duty officer
        page.wait_for_selector("input[type='password']", timeout=TIMEOUT)
        _idle(page)
        page.get_by_label(S["auth.username"], exact=True).fill(USERNAME)
        page.get_by_label(S["auth.password"], exact=True).fill(PASSWORD)
        page.get_by_role("button", name=S["auth.sign_in"]).click()
        page.get_by_role("link", name=S["nav.duty_desk"]).click(timeout=TIMEOUT)
        page.get_by_role("tab", name=S["ops.call.title"], exact=True).wait_for(timeout=TIMEOUT)
        _idle(page)
        assert tr("auth.role.duty_officer") in page.inner_text("[data-testid='stSidebar']")
        due_soon_before = _metric(page, "duty_desk.metric_due_soon")

        # 2. 接报登记: a forest fire, severity II, placed by township and village
        _tab(page, "ops.call.title")
        _select(page, S["ops.call.hazard"], "森林火灾", typed="森林火灾")
        _select(page, S["ops.call.severity"], tr("ops.severity_option", roman="II", name=S["ops.severity_name.2"]))
        _select(page, S["ops.call.township"], TOWNSHIP, typed=TOWNSHIP)
        village = _select(page, S["ops.call.village"])
        _type(page, S["ops.call.address"], "后山林场三号岭")
        _type(page, S["ops.call.caller_name"], CALLER)
        _type(page, S["ops.call.caller_phone"], PHONE)
        _type(page, S["ops.call.description"], DESCRIPTION)
        _button(page, S["ops.call.submit"]).click()
        recorded = page.get_by_text(S["ops.call.done"].split("{")[0]).first
        recorded.wait_for(timeout=TIMEOUT)
        _idle(page)
        incident_id = int(re.search(r"事件编号 (\d+)", recorded.inner_text()).group(1))
        heading = page.get_by_role("heading", name=S["ops.call.recorded_heading"])
        heading.wait_for(timeout=TIMEOUT)
        panel_text = page.locator("[data-testid='stMainBlockContainer']").inner_text()
        assert S["ops.heading"] in panel_text and S["ops.dispatch.none"] in panel_text
        assert _metric(page, "duty_desk.metric_due_soon") == due_soon_before + 1, "its 首报 is due within the hour"
        _check(page, "call")
        _shoot(page, artifacts, "1_call", heading)  # the panel under the emptied form

        # 3. 派遣 the suggested units (prefilled), then 签收 and 到场 for the first one
        units = page.locator("[data-testid='stMultiSelect']:visible").filter(
            has=page.get_by_text(S["ops.dispatch.units"], exact=True)).first
        suggested = units.locator("[data-tag]").count()
        assert suggested >= 1, "units are suggested for a forest fire in a township"
        _submit(page, S["ops.dispatch.submit"]).click()
        _done(page, "dispatch")
        assert _button(page, S["ops.step_button.accepted"]).count() == suggested
        _button(page, S["ops.step_button.accepted"]).first.click()
        _done(page, "accepted")
        _button(page, S["ops.step_button.arrived"]).first.click()
        _done(page, "arrived")
        _check(page, "dispatch")
        _shoot(page, artifacts, "2_dispatch", page.get_by_text(S["ops.dispatch.heading"], exact=True).first)

        # 4. 首报: due received_at + 30 minutes (severity II); sent now, it leaves the "due within the hour" count
        received = TEST_NOW.replace(second=0)
        due = received + timedelta(minutes=30)
        first_option = f"{due:%m-%d %H:%M} 应报｜{S['info_report.kind_first']}｜II级 森林火灾｜{TOWNSHIP}"
        picked = _send_report(page, first_option, {"casualties": "暂无人员伤亡", "teams": "见派遣单位"})
        assert picked.startswith(S["info_report.state_due_soon"]), picked
        assert not page.get_by_text(S["info_report.sent_late"].split("{")[0]).count(), "the 首报 is not late"
        assert _metric(page, "duty_desk.metric_due_soon") == due_soon_before, "sent: no longer due"
        page.get_by_role("heading", name=S["info_report.heading"]).scroll_into_view_if_needed()
        box = page.locator("[data-testid='stSelectbox']:visible").filter(
            has=page.get_by_text(S["info_report.pick"], exact=True)).first
        box.click()
        box.locator("input").fill(first_option)
        page.wait_for_timeout(800)
        assert not page.get_by_role("option").filter(has_text=first_option).count(), "the 首报 is no longer owed"
        page.keyboard.press("Escape")
        _idle(page)
        _check(page, "first report")
        _shoot(page, artifacts, "3_first_report", page.get_by_text(S["info_report.sent_ok"].split("{")[0]).first)

        # 5. 反馈 and 回访 on the panel, a 续报, then 办结 with a result
        _tab(page, "ops.call.title")
        _button(page, S["ops.step_button.feedback"]).first.click()
        _done(page, "feedback")
        _button(page, S["ops.step_button.callback"]).first.click()
        _done(page, "callback")
        _check(page, "feedback")
        follow_up = f"{S['info_report.kind_follow_up'].format(seq=1)}｜II级 森林火灾｜{TOWNSHIP}"
        _send_report(page, follow_up, {"measures": "已派遣属地和行业力量扑救，火势已得到控制"})
        _check(page, "follow-up report")
        _shoot(page, artifacts, "4_follow_up", page.get_by_text(S["info_report.sent_ok"].split("{")[0]).first)

        _tab(page, "ops.call.title")
        page.locator("[data-testid='stExpander']:visible").filter(
            has=page.get_by_text(S["ops.close.title"], exact=True)).first.locator("summary").click()
        _idle(page, 300)
        _type(page, S["ops.close.result"], RESULT, commit=False)
        _submit(page, S["ops.close.submit"]).click()
        _done(page, "close")
        closed = tr("ops.closed_note", at=f"{TEST_NOW:%m-%d %H:%M}", result=RESULT)
        page.get_by_text(closed).wait_for(timeout=TIMEOUT)
        assert not _button(page, S["ops.step_button.feedback"]).count(), "nothing to act on after closing"
        stood_down = tr("ops.dispatch.ended", at=f"{TEST_NOW:%m-%d %H:%M}", reason=S["ops.dispatch.stood_down"])
        assert page.get_by_text(stood_down).count() == suggested - 1, \
            "the units not yet on scene are stood down when the incident closes, and said so"
        status = page.get_by_text(S["ops.step.received"], exact=True).first.locator("xpath=ancestor::p[1]").inner_text()
        assert status.count(DISPLAY_NAME) == 6, f"every step done, by the officer's name: {status}"
        _check(page, "closed")
        _shoot(page, artifacts, "5_closed", page.get_by_text(closed))

        # 6. 终报
        _send_report(page, f"{S['info_report.kind_final']}｜II级 森林火灾｜{TOWNSHIP}",
                     {"losses": "过火面积约3亩，无房屋损毁", "next_steps": "继续看守火场，防止复燃"})
        _check(page, "final report")
        _shoot(page, artifacts, "6_final", page.get_by_text(S["info_report.sent_ok"].split("{")[0]).first)
        page.close()
    print(f"walk-through {time.time() - started:.0f} s; incident {incident_id}, village {village}, "
          f"{suggested} units suggested")

    # the server stopped: the database copy says what the page said
    con = db.connect(path, read_only=True)
    try:
        status, close_result, received_at, hazard, severity = con.execute(
            "SELECT status, close_result, received_at, hazard, severity FROM incidents WHERE incident_id = ?",
            [incident_id]).fetchone()
        assert (status, close_result, hazard, severity) == ("closed", RESULT, "forest_fire", 2)
        actions = con.execute("SELECT action, username FROM incident_actions WHERE incident_id = ?",
                              [incident_id]).fetchall()
        done = Counter(a for a, _ in actions)
        assert {"record", "dispatch", "accepted", "arrived", "feedback", "callback", "close"} <= set(done), done
        assert done["dispatch"] == suggested
        assert {u for _, u in actions} == {USERNAME}, actions
        reports = {kind: (sent_at, sent_by) for kind, sent_at, sent_by in con.execute(
            "SELECT kind, sent_at, sent_by FROM info_reports WHERE incident_id = ?", [incident_id]).fetchall()}
        assert set(reports) == {"first", "follow_up", "final"}, reports
        assert all(at is not None and by == USERNAME for at, by in reports.values()), reports
        assert timedelta(0) <= reports["first"][0] - received_at <= timedelta(minutes=30)
        audited = {a for (a,) in con.execute("SELECT DISTINCT action FROM audit_log WHERE incident_id = ?",
                                             [incident_id]).fetchall()}
        assert {"incident_dispatch", "incident_close", "report_sent"} <= audited, audited
    finally:
        con.close()
