"""Administration: users, wall-screen tokens, the audit log (read-only), the role table as built, and the county's
own data (ui/county_data.py: templates, upload, column mapping, load, check report)."""
import pandas as pd
import streamlit as st

from data import accounts, roles
from data.accounts import AccountError
from queries import runner
from ui import auth, county, county_data, database, language, navigation

navigation.require("admin")
t = language.t
auth.require("manage_users")
me = auth.current_user()
con = database.cursor()  # account data is live: read uncached (audit rows do not bump the data version)
county.header(t("admin.title"))


def role_name(code: str) -> str:
    return t(f"auth.role.{code}")


def headed(frame: pd.DataFrame) -> pd.DataFrame:
    """Column headers in the UI language."""
    return frame.rename(columns={c: t(f"admin.col.{c}") for c in frame.columns})


def refused(exc: AccountError) -> None:
    st.error(t(f"auth.error.{exc.code}", minutes=accounts.LOCK_MINUTES, n=accounts.MAX_FAILURES))


users_tab, tokens_tab, audit_tab, roles_tab, county_tab = st.tabs(
    [t("admin.tab_users"), t("admin.tab_tokens"), t("admin.tab_audit"), t("admin.tab_roles"), t("county.page.tab")])

with users_tab:
    users = runner.run(con, "admin_users")
    st.dataframe(headed(users.assign(role=users["role"].map(role_name))), hide_index=True, width="stretch")
    left, right = st.columns(2)
    with left.form("new_user", clear_on_submit=True):
        st.subheader(t("admin.new_user"))
        new_name = st.text_input(t("auth.username"))
        new_display = st.text_input(t("admin.display_name"))
        new_role = st.selectbox(t("admin.role"), roles.ACCOUNT_ROLES, format_func=role_name)
        new_password = st.text_input(t("auth.password"), type="password")
        if st.form_submit_button(t("admin.create"), type="primary"):
            auth.require("manage_users")
            try:
                made = accounts.create_user(con, new_name, new_password, new_role, new_display or None,
                                            created_by=me.username)
                st.success(t("admin.created", username=made.username))
            except AccountError as exc:
                refused(exc)
    with right.form("manage_user"):
        st.subheader(t("admin.user"))
        target = st.selectbox(t("admin.user"), users["username"].tolist())
        operation = st.radio(t("admin.apply"), ["reset_password", "unlock", "disable", "enable", "change_role"],
                             format_func=lambda op: t(f"admin.{op}"), horizontal=True)
        password = st.text_input(t("admin.new_password"), type="password")
        changed_role = st.selectbox(t("admin.role"), roles.ACCOUNT_ROLES, format_func=role_name, key="role_to")
        if st.form_submit_button(t("admin.apply")):
            auth.require("manage_users")
            try:
                if target == me.username and operation in ("disable", "change_role"):
                    st.error(t("admin.cannot_change_self"))
                else:
                    {"reset_password": lambda: accounts.set_password(con, target, password, by=me.username),
                     "unlock": lambda: accounts.unlock(con, target, by=me.username),
                     "disable": lambda: accounts.set_active(con, target, False, by=me.username),
                     "enable": lambda: accounts.set_active(con, target, True, by=me.username),
                     "change_role": lambda: accounts.set_role(con, target, changed_role, by=me.username),
                     }[operation]()
                    st.success(t("admin.done"))
            except AccountError as exc:
                refused(exc)

with tokens_tab:
    with st.form("new_token", clear_on_submit=True):
        label = st.text_input(t("admin.token_label"))
        days = st.number_input(t("admin.token_days"), min_value=0, max_value=3650, value=365, step=30)
        if st.form_submit_button(t("admin.create_token"), type="primary"):
            auth.require("manage_users")
            try:
                _, token = accounts.create_wall_token(con, label, me.username, days=int(days) or None)
                st.info(t("admin.token_once"))
                st.code(f"/one_map?screen=wall&token={token}", language=None)
            except AccountError as exc:
                refused(exc)
    tokens = runner.run(con, "admin_wall_tokens", now=accounts.now())
    st.dataframe(headed(tokens), hide_index=True, width="stretch")
    usable = tokens[tokens["usable"]]
    if usable.empty:
        st.caption(t("admin.no_tokens"))
    else:
        with st.form("revoke_token"):
            choice = st.selectbox(t("admin.token_to_revoke"), usable["token_id"].tolist(),
                                  format_func=lambda i: f"#{i} {usable.set_index('token_id').at[i, 'label']}")
            if st.form_submit_button(t("admin.revoke")):
                auth.require("manage_users")
                try:
                    accounts.revoke_wall_token(con, int(choice), me.username)
                    st.success(t("admin.done"))
                except AccountError as exc:
                    refused(exc)

with audit_tab:
    st.caption(t("admin.audit_read_only"))
    facets = runner.run(con, "admin_audit_facets")
    bad_row = accounts.verify_audit_chain(con)
    total = int(facets.loc[facets["facet"] == "action", "n"].sum())
    if bad_row is None:
        st.success(t("admin.audit_chain_ok", n=f"{total:,}"))
    else:
        st.error(t("admin.audit_chain_bad", id=bad_row))
    c1, c2 = st.columns(2)
    def everything(value: str) -> str:
        return value or t("admin.all")
    def choices(facet: str) -> list[str]:
        return [""] + facets.loc[facets["facet"] == facet, "value"].tolist()
    action = c1.selectbox(t("admin.audit_filter_action"), choices("action"), format_func=everything)
    who = c2.selectbox(t("admin.audit_filter_user"), choices("user"), format_func=everything)
    st.dataframe(headed(runner.run(con, "admin_audit_log", action=action, username=who, max_rows=1000)),
                 hide_index=True, width="stretch")

with roles_tab:
    def mark(ok: bool) -> str:
        return "✓" if ok else ""
    table = pd.DataFrame(
        {**{t(f"nav.{p}") if p != "admin" else t("admin.title"): [mark(roles.may_open(r, p)) for r in roles.ROLES]
            for p in roles.PAGES},
         **{t(f"auth.action.{a}"): [mark(roles.may(r, a)) for r in roles.ROLES] for a in roles.ACTIONS}},
        index=[role_name(r) for r in roles.ROLES])
    st.dataframe(table, width="stretch")

with county_tab:
    county_data.render()
