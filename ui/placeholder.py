"""A page whose feature is still to come says what it will be and shows the data it will stand on."""
from __future__ import annotations

import streamlit as st

from ui import state


def render(page_key: str, tables: list[str]) -> None:
    state.require_navigation()
    t = state.t
    st.title(t(f"nav.{page_key}"))
    st.info(f"{t('placeholder.coming')} {t(f'placeholder.{page_key}')}")
    counts = state.query("table_counts")
    counts = counts[counts["table_name"].isin(tables)]
    st.caption(t("placeholder.current_data"))
    st.dataframe(
        counts.assign(table_name=counts["table_name"].map(lambda n: t(f"tables.{n}")))
              .rename(columns={"table_name": t("table.name"), "rows": t("table.rows")}),
        hide_index=True, width="content")
