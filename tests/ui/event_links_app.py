"""AppTest harness for ui/event_links.render on a private database copy (?db=PATH&incident=ID): the test writes
to its own copy, never to the session's shared demo database."""
import streamlit as st

from data import db
from data.incident_ops import Actor
from ui import event_links


@st.cache_resource
def _connection(path: str):
    con = db.connect(path)
    db.upgrade(con)
    return con


event_links.render(_connection(st.query_params["db"]).cursor(), int(st.query_params["incident"]),
                   Actor("duty_wang", "duty_officer", "apptest"))
