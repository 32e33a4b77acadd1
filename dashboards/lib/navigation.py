"""The page registry: which page belongs to which audience section and which roles may open it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboards.lib.auth import ROLES, Principal, Role
from dashboards.lib.i18n import t

DASHBOARD_DIR = Path(__file__).resolve().parents[1]

Section = Literal["management", "controller", "data"]
SECTIONS: tuple[Section, ...] = ("management", "controller", "data")


@dataclass(frozen=True)
class PageSpec:
    """One page file under app_pages/. `url_path` is fixed so a language switch keeps the page."""

    path: str
    title_key: str
    icon: str
    url_path: str
    section: Section
    roles: frozenset[Role]
    # The roles that land on this page after logging in (each role has exactly one).
    default_for: frozenset[Role] = frozenset()


ALL_ROLES: frozenset[Role] = frozenset(ROLES)
PIPELINE_ROLES: frozenset[Role] = frozenset({"data_engineer"})
# Who follows the month close of the whole city (queries.close.CLOSE_ROLES enforces it again).
CLOSE_ROLES: frozenset[Role] = frozenset({"management", "data_engineer"})

# Pages are registered here only when they exist and do something real. Order = menu order.
# Management lands on the overview, controllers on their own organisation's statement.
PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        path="app_pages/overview.py",
        title_key="page_overview",
        icon=":material/dashboard:",
        url_path="oversikt",
        section="management",
        roles=ALL_ROLES,
        default_for=frozenset({"management", "data_engineer"}),
    ),
    PageSpec(
        path="app_pages/budget.py",
        title_key="page_budget_short",
        icon=":material/account_balance:",
        url_path="budget",
        section="management",
        roles=ALL_ROLES,
    ),
    PageSpec(
        path="app_pages/initiatives.py",
        title_key="page_initiatives",
        icon=":material/rocket_launch:",
        url_path="utvecklingsinitiativ",
        section="management",
        roles=ALL_ROLES,
    ),
    PageSpec(
        path="app_pages/month_close.py",
        title_key="page_month_close",
        icon=":material/lock_clock:",
        url_path="manadsbokslut",
        section="management",
        roles=CLOSE_ROLES,
    ),
    PageSpec(
        path="app_pages/my_organisation.py",
        title_key="page_my_org",
        icon=":material/receipt_long:",
        url_path="min-organisation",
        section="controller",
        roles=ALL_ROLES,
        default_for=frozenset({"controller"}),
    ),
    PageSpec(
        path="app_pages/services.py",
        title_key="page_services",
        icon=":material/category:",
        url_path="tjanster",
        section="controller",
        roles=ALL_ROLES,
    ),
    PageSpec(
        path="app_pages/what_if.py",
        title_key="page_what_if",
        icon=":material/tune:",
        url_path="simulering",
        section="controller",
        roles=ALL_ROLES,
    ),
    PageSpec(
        path="app_pages/data_quality.py",
        title_key="page_data_quality",
        icon=":material/fact_check:",
        url_path="datakvalitet",
        section="data",
        roles=PIPELINE_ROLES,
    ),
    PageSpec(
        path="app_pages/about_data.py",
        title_key="page_about_data",
        icon=":material/database:",
        url_path="om-data",
        section="data",
        roles=ALL_ROLES,
    ),
)


def pages_for(principal: Principal) -> dict[Section, list[PageSpec]]:
    """The pages this principal may open, by section (sections without pages are left out)."""
    by_section: dict[Section, list[PageSpec]] = {}
    for section in SECTIONS:
        specs = [p for p in PAGES if p.section == section and principal.role in p.roles]
        if specs:
            by_section[section] = specs
    return by_section


def navigation(principal: Principal) -> StreamlitPage:
    """st.navigation over the principal's pages, section titles in the session's language."""
    sections = {
        t(f"section_{section}"): [
            st.Page(
                DASHBOARD_DIR / spec.path,
                title=t(spec.title_key),
                icon=spec.icon,
                url_path=spec.url_path,
                default=principal.role in spec.default_for,
            )
            for spec in specs
        ]
        for section, specs in pages_for(principal).items()
    }
    return st.navigation(sections)
