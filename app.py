"""OneMap entry point: page config and navigation only."""
import streamlit as st

from ui import state

st.set_page_config(page_title="OneMap 一张图", page_icon=":world_map:", layout="wide")
st.session_state["_navigation_ready"] = True
state.language_switch()
t = state.t
pages = {
    t("nav.section_command"): [
        st.Page("pages/one_map.py", title=t("nav.one_map"), icon=":material/map:", url_path="one_map", default=True),
        st.Page("pages/resources.py", title=t("nav.resources"), icon=":material/emergency:", url_path="resources"),
        st.Page("pages/risk.py", title=t("nav.risk"), icon=":material/warning:", url_path="risk"),
    ],
    t("nav.section_analysis"): [
        st.Page("pages/analysis.py", title=t("nav.analysis"), icon=":material/query_stats:", url_path="analysis"),
    ],
    t("nav.section_duty"): [
        st.Page("pages/duty_desk.py", title=t("nav.duty_desk"), icon=":material/badge:", url_path="duty_desk"),
        st.Page("pages/daily_report.py", title=t("nav.daily_report"), icon=":material/description:",
                url_path="daily_report"),
    ],
    t("nav.section_data"): [
        st.Page("pages/data_import.py", title=t("nav.data_import"), icon=":material/upload_file:",
                url_path="data_import"),
    ],
}
st.navigation(pages).run()
