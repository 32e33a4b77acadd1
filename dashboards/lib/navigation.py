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
    default: bool = False


ALL_ROLES: frozenset[Role] = frozenset(ROLES)
PIPELINE_ROLES: frozenset[Role] = frozenset({"data_engineer"})

# Pages are registered here only when they exist and do something real.
# Pipeline pages (landed files, checks, quarantine) go in "data" with roles=PIPELINE_ROLES.
PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        path="app_pages/budget.py",
        title_key="page_budget_short",
        icon=":material/account_balance:",
        url_path="budget",
        section="management",
        roles=ALL_ROLES,
        default=True,
    ),
    PageSpec(
        path="app_pages/about_data.py",
        title_key="page_about_data",
        icon=":material/database:",
        url_path="about-data",
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
                default=spec.default,
            )
            for spec in specs
        ]
        for section, specs in pages_for(principal).items()
    }
    return st.navigation(sections)
