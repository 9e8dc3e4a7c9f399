"""HTTP routes served beside Streamlit in the same process (serve.py hands them to st.App)."""
