"""The role table as built, pinned cell by cell, and enforced by the app: navigation lists exactly the
role's pages, a direct URL to any other page is refused, and can() answers exactly the role's actions."""
import pytest

from data import roles

# The role x page table, written out by hand: a change in data/roles.py must change this test too.
#               one_map resources risk analysis duty_desk daily_report data_import admin
PAGE_TABLE = {
    "commander":    (1, 1, 1, 1, 1, 1, 0, 0),
    "duty_officer": (1, 1, 1, 0, 1, 1, 1, 0),
    "analyst":      (1, 1, 1, 1, 0, 1, 0, 0),
    "leader":       (1, 1, 1, 1, 0, 1, 0, 0),
    "admin":        (1, 0, 0, 0, 0, 0, 1, 1),
    "wall":         (1, 0, 0, 0, 0, 0, 0, 0),
}
PAGE_COLUMNS = ("one_map", "resources", "risk", "analysis", "duty_desk", "daily_report", "data_import", "admin")

#               view_personal export edit_roster import_data manage_users handle_incidents
ACTION_TABLE = {
    "commander":    (1, 1, 0, 0, 0, 1),
    "duty_officer": (1, 1, 1, 1, 0, 1),
    "analyst":      (0, 1, 0, 0, 0, 0),
    "leader":       (0, 1, 0, 0, 0, 0),
    "admin":        (0, 0, 0, 1, 1, 0),
    "wall":         (0, 0, 0, 0, 0, 0),
}
ACTION_COLUMNS = ("view_personal", "export", "edit_roster", "import_data", "manage_users", "handle_incidents")

CELLS_PAGES = [(r, p, bool(PAGE_TABLE[r][i])) for r in PAGE_TABLE for i, p in enumerate(PAGE_COLUMNS)]
CELLS_ACTIONS = [(r, a, bool(ACTION_TABLE[r][i])) for r in ACTION_TABLE for i, a in enumerate(ACTION_COLUMNS)]


def test_table_covers_every_role_page_and_action():
    assert set(PAGE_TABLE) == set(roles.ROLES)
    assert set(PAGE_COLUMNS) == set(roles.PAGES)
    assert set(ACTION_COLUMNS) == set(roles.ACTIONS)


@pytest.mark.parametrize("role,page,allowed", CELLS_PAGES)
def test_role_page_cell(role, page, allowed):
    assert roles.may_open(role, page) is allowed


@pytest.mark.parametrize("role,action,allowed", CELLS_ACTIONS)
def test_role_action_cell(role, action, allowed):
    assert roles.may(role, action) is allowed


def test_nobody_signed_in_may_do_nothing_and_typos_raise():
    assert not any(roles.may(None, a) for a in roles.ACTIONS)
    assert roles.pages_for(None) == []
    with pytest.raises(KeyError):
        roles.may("commander", "view_personnal")
    with pytest.raises(KeyError):
        roles.may_open("commander", "onemap")


def test_wall_and_non_personal_roles_never_see_personal_data():
    assert [r for r in roles.ROLES if roles.may(r, "view_personal")] == ["commander", "duty_officer"]


# ------------------------------------------------------------------ enforced in the running app
def _navigation_url_paths(at) -> set[str]:
    """Page files app.py registered with st.navigation on the last run (AppTest's registry; the default
    page's url path is empty, so go by script file)."""
    from pathlib import Path
    return {Path(str(info["script_path"])).stem for info in at._registered_pages.values()
            if info.get("script_path") and Path(str(info["script_path"])).parent.name == "pages"}


@pytest.mark.parametrize("role", roles.ROLES)
def test_navigation_lists_exactly_the_roles_pages(app_test, role):
    at = app_test("app.py", role=role).run()
    assert not at.exception, at.exception
    assert _navigation_url_paths(at) == {p for i, p in enumerate(PAGE_COLUMNS) if PAGE_TABLE[role][i]}


FORBIDDEN = [(r, p) for r, p, allowed in CELLS_PAGES if not allowed]


@pytest.mark.parametrize("role,page", FORBIDDEN)
def test_direct_url_to_a_forbidden_page_is_refused(app_test, role, page):
    """The page file itself refuses (server side), whatever navigation showed."""
    import i18n
    at = app_test(f"pages/{page}.py", role=role)
    at.run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [i18n.translate("auth.forbidden_page")]
    assert not at.title, "nothing of the page was drawn"


def test_signed_out_gets_the_sign_in_form_not_the_page(app_test):
    import i18n
    sign_in_title = i18n.translate("auth.sign_in_title", title=i18n.translate("app.title", county="庆元县"))
    at = app_test("app.py", role=None).run()
    assert not at.exception
    assert at.title[0].value == sign_in_title
    assert _navigation_url_paths(at) == set()
    page = app_test("pages/one_map.py", role=None)
    page.run()
    assert [t.value for t in page.title] == [sign_in_title]
    assert not page.get("deck_gl_json_chart"), "no map is sent to a signed-out browser"
