"""OneMap entry point: page config, the sign-in gate, and the navigation the user's role may see."""
import streamlit as st

from data import roles
from ui import auth, language

st.set_page_config(page_title="OneMap 一张图", page_icon=":world_map:", layout="wide")
language.language_switch()
t = language.t
user = auth.signed_in_user()
if user is None:  # signed out: the sign-in form is the only page that exists for this browser
    st.navigation([st.Page(auth.sign_in_form, title=t("auth.sign_in"), url_path="sign_in", default=True)],
                  position="hidden").run()
    st.stop()
auth.sidebar_user_box()
# (section, page key in data/roles.py, page); a page the role may not open is left out of its navigation.
catalogue = [
    ("nav.section_command", "one_map", st.Page("pages/one_map.py", title=t("nav.one_map"), icon=":material/map:",
                                               url_path="one_map", default=True)),
    ("nav.section_command", "resources", st.Page("pages/resources.py", title=t("nav.resources"),
                                                 icon=":material/emergency:", url_path="resources")),
    ("nav.section_command", "risk", st.Page("pages/risk.py", title=t("nav.risk"), icon=":material/warning:",
                                            url_path="risk")),
    ("nav.section_analysis", "analysis", st.Page("pages/analysis.py", title=t("nav.analysis"),
                                                 icon=":material/query_stats:", url_path="analysis")),
    ("nav.section_duty", "duty_desk", st.Page("pages/duty_desk.py", title=t("nav.duty_desk"),
                                              icon=":material/badge:", url_path="duty_desk")),
    ("nav.section_duty", "daily_report", st.Page("pages/daily_report.py", title=t("nav.daily_report"),
                                                 icon=":material/description:", url_path="daily_report")),
    ("nav.section_data", "data_import", st.Page("pages/data_import.py", title=t("nav.data_import"),
                                                icon=":material/upload_file:", url_path="data_import")),
    ("nav.section_data", "admin", st.Page("pages/admin.py", title=t("admin.title"),
                                          icon=":material/admin_panel_settings:", url_path="admin")),
]
pages: dict[str, list] = {}
for section, key, page in catalogue:
    if roles.may_open(user.role, key):
        pages.setdefault(t(section), []).append(page)
st.navigation(pages).run()
