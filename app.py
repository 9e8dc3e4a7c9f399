"""OneMap entry point: page config, the sign-in gate, and the navigation the user's role may see.
Started through serve.py (`streamlit run serve.py`, run.sh), which adds the session-cookie routes of web/."""
import streamlit as st

from data import roles
from ui import auth, language, navigation

st.set_page_config(page_title="OneMap 一张图", page_icon=":world_map:", layout="wide")
language.language_switch()
t = language.t
# (section, page key in data/roles.py = url path = file in pages/, title, icon)
CATALOGUE = [
    ("nav.section_command", "one_map", "nav.one_map", ":material/map:"),
    ("nav.section_command", "resources", "nav.resources", ":material/emergency:"),
    ("nav.section_command", "risk", "nav.risk", ":material/warning:"),
    ("nav.section_analysis", "analysis", "nav.analysis", ":material/query_stats:"),
    ("nav.section_duty", "duty_desk", "nav.duty_desk", ":material/badge:"),
    ("nav.section_duty", "daily_report", "nav.daily_report", ":material/description:"),
    ("nav.section_data", "data_import", "nav.data_import", ":material/upload_file:"),
    ("nav.section_data", "admin", "admin.title", ":material/admin_panel_settings:"),
]
# The root URL shows One Map (every role may open it). Streamlit serves the default page at the root only, so
# the documented /one_map (wall screens, README) is a hidden second entry of the same page. Pages are told
# apart by url_path alone, so the signed-out entries below are the same pages to Streamlit: after sign-in
# the rerun stays on the page the URL asked for, with its query parameters (a shared link survives sign-in).
HOME = "home"
user = auth.signed_in_user()
auth.session_cookie_sync()
if user is None:  # every URL of the catalogue answers with the sign-in form (no "page not found")
    signed_out = [st.Page(auth.sign_in_form, title=t("auth.sign_in"), url_path=HOME, default=True)]
    signed_out += [st.Page(auth.sign_in_form, title=t("auth.sign_in"), url_path=key, visibility="hidden")
                   for _, key, _, _ in CATALOGUE]
    st.navigation(signed_out, position="hidden").run()
    st.stop()
auth.sidebar_user_box()
home = st.Page("pages/one_map.py", title=t("nav.one_map"), icon=":material/map:", url_path=HOME, default=True)
pages: dict[str, list] = {t("nav.section_command"): [home]}
for section, key, title, icon in CATALOGUE:
    if not roles.may_open(user.role, key):  # the URL still resolves: to One Map, saying why
        pages[t("nav.section_command")].append(
            st.Page(navigation.refused(t(title), home), title=t(title), url_path=key, visibility="hidden"))
    elif key == "one_map":
        pages[t("nav.section_command")].append(
            st.Page("pages/one_map.py", title=t(title), icon=icon, url_path=key, visibility="hidden"))
    else:
        pages.setdefault(t(section), []).append(st.Page(f"pages/{key}.py", title=t(title), icon=icon,
                                                        url_path=key))
navigation.show_refusal()
st.navigation(pages).run()
