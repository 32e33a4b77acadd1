"""fordela dashboards: the router (`streamlit run dashboards/app.py`): log-in, language, pages."""

from __future__ import annotations

import streamlit as st

from dashboards.lib import auth, db, filters, navigation, ui
from dashboards.lib.i18n import language_switch, t

st.set_page_config(
    page_title="fordela",
    page_icon=":material/account_balance:",
    layout="wide",
)

# A shared link's filters (?year=<YYYY>&org=<org_code>) are kept through the log-in; each page checks
# them against what the signed-in user may choose.
filters.capture_url_once()
filters.begin_run()
language_switch()
principal = auth.current_principal()

if principal is None:
    # Signed out: the log-in is the only page, whatever URL was asked for. Every page's address
    # shows it too (hidden), so a shared link such as /min-organisation?org=<code> asks for a
    # log-in instead of "page not found", and opens that page once the user is signed in
    # (a page's identity is its url_path).
    page = st.navigation(
        [st.Page(auth.login_page, title=t("login_title"), icon=":material/login:", default=True)]
        + [
            st.Page(
                auth.login_page,
                title=t("login_title"),
                url_path=spec.url_path,
                visibility="hidden",
            )
            for spec in navigation.PAGES
        ]
    )
    page.run()
else:
    page = navigation.navigation(principal)
    filters.unit_toggle()
    auth.sidebar_user_box(principal)
    try:
        page.run()
    except db.SnapshotUnavailable as exc:
        ui.show_snapshot_problem(exc, principal)
    filters.drop_unused_url_params()
