"""The duty desk page: every tab renders in both languages; the roster editor saves only for a role with
edit_roster, refuses an invalid day with the reasons in the user's language, and records who changed what."""

import pytest

import i18n
from data.clock import now_cst

PAGE = "pages/duty_desk.py"


def run(app_test, lang="zh-CN", role=None):
    at = app_test(PAGE, lang=lang, **({"role": role} if role else {}))
    at.session_state["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_duty_desk_renders_every_tab(app_test, lang):
    at = run(app_test, lang)
    assert not at.exception, at.exception
    s = i18n.strings(lang)
    assert at.title[0].value == s["duty_desk.title"]
    assert [tab.label for tab in at.tabs] == [s[f"duty_desk.tab_{k}"] for k in
                                              ("today", "reports", "dispatch", "performance", "roster")]
    headers = [h.value for h in at.subheader]
    assert s["duty_desk.today_heading"].format(day=now_cst().date().isoformat()) in headers
    assert s["duty_desk.by_unit"] in headers
    assert any(s["duty_desk.definitions"][:10] in c.value for c in at.caption)
    # today's roster: the nine base seats at least
    today_table = at.dataframe[0].value
    assert len(today_table) >= 9


def test_roster_editor_is_read_only_without_the_permission(app_test):
    at = run(app_test, role="commander")
    assert not at.exception, at.exception
    s = i18n.strings("zh-CN")
    assert any(s["duty_desk.roster_no_permission"] in i.value for i in at.info)
    save = [b for b in at.get("form_submit_button") if b.proto.label == s["duty_desk.roster_save"]]
    assert save and save[0].proto.disabled


def test_duty_officer_sees_an_enabled_save_button(app_test):
    at = run(app_test, role="duty_officer")
    assert not at.exception, at.exception
    s = i18n.strings("zh-CN")
    save = [b for b in at.get("form_submit_button") if b.proto.label == s["duty_desk.roster_save"]]
    assert save and not save[0].proto.disabled
    assert not any(s["duty_desk.roster_no_permission"] in i.value for i in at.info)



def test_monthly_notice_is_offered_next_to_the_ranking(app_test):
    at = run(app_test)
    assert not at.exception, at.exception
    s = i18n.strings("zh-CN")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count(s["duty_desk.download_notice"]) == 1
    ranked = [d.value for d in at.dataframe if s["duty_desk.rank"] in d.value.columns]
    assert len(ranked) == 1 and list(ranked[0][s["duty_desk.rank"]]) == list(range(1, len(ranked[0]) + 1))
