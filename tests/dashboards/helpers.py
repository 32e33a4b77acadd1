"""Helpers shared by the dashboard tests: the router under AppTest, log-in, demo users."""

from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"

# The demo city's users (pipelines/lib/demo/users.toml) and the passwords documented in README.md.
DEMO_USERS: dict[str, tuple[str, str, frozenset[str] | None]] = {
    # username: (password, role, allowed orgs or None for all)
    "ledning": ("ledning-demo", "management", None),
    "angered": ("angered-demo", "controller", frozenset({"N131"})),
    "controller-multi": ("multi-demo", "controller", frozenset({"N131", "N132"})),
    "data": ("data-demo", "data_engineer", None),
}

# Set to a real published snapshot to run the data-independent tests against it.
EXTERNAL_SNAPSHOT = os.environ.get("FORDELA_TEST_SNAPSHOT")


def new_app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=60)


def login(at: AppTest, username: str, password: str | None = None) -> AppTest:
    """Fill in and submit the demo log-in form; returns the app after the rerun."""
    if password is None:
        password = DEMO_USERS[username][0]
    if not at.text_input:
        at.run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    return at


# Page files under dashboards/ (AppTest.switch_page takes paths relative to app.py).
PAGES: dict[str, str] = {
    "overview": "app_pages/overview.py",
    "budget": "app_pages/budget.py",
    "initiatives": "app_pages/initiatives.py",
    "my_organisation": "app_pages/my_organisation.py",
    "services": "app_pages/services.py",
    "what_if": "app_pages/what_if.py",
    "data_quality": "app_pages/data_quality.py",
    "month_close": "app_pages/month_close.py",
    "about_data": "app_pages/about_data.py",
}


def open_page(at: AppTest, page: str) -> AppTest:
    """Switch to a page (by its key in PAGES) and run it."""
    at.switch_page(PAGES[page]).run()
    return at


def logged_in(username: str, page: str | None = None) -> AppTest:
    """A fresh app, logged in as a demo user, on `page` (else the role's landing page)."""
    at = login(new_app().run(), username)
    return open_page(at, page) if page else at


def all_text(at: AppTest) -> str:
    """Every title, markdown, caption, alert and metric string of the last run, joined."""
    parts: list[str] = []
    for collection in (
        at.title,
        at.header,
        at.subheader,
        at.markdown,
        at.caption,
        at.info,
        at.error,
        at.warning,
        at.success,
    ):
        parts.extend(str(el.value) for el in collection)
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    return "\n".join(parts)


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def table(at: AppTest, key: str):  # noqa: ANN201 - a pandas DataFrame
    """The shown (formatted) table drawn by ui.show_table(..., key=key)."""
    return at.dataframe(key=f"table_{key}").value


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
