"""fordela dashboards: the router (`streamlit run dashboards/app.py`): log-in, language, pages."""

from __future__ import annotations

import streamlit as st

from dashboards.lib import auth, db, navigation, ui
from dashboards.lib.i18n import language_switch, t

st.set_page_config(
    page_title="fordela",
    page_icon=":material/account_balance:",
    layout="wide",
)

language_switch()
principal = auth.current_principal()

if principal is None:
    # Signed out: the log-in is the only page, whatever URL was asked for.
    page = st.navigation(
        [st.Page(auth.login_page, title=t("login_title"), icon=":material/login:", default=True)]
    )
    page.run()
else:
    page = navigation.navigation(principal)
    auth.sidebar_user_box(principal)
    try:
        page.run()
    except db.SnapshotUnavailable as exc:
        ui.show_snapshot_problem(exc, principal)
