"""Start OneMap: `python -m streamlit run serve.py` (run.sh does). app.py is the Streamlit script; web/ adds the
session-cookie routes in the same process (a page cannot set an HttpOnly cookie itself)."""
import streamlit as st

from web import session

app = st.App("app.py", routes=session.routes())
