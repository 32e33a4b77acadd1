"""UI strings in Swedish (default) and English, and the language switch that chooses between them."""

from __future__ import annotations

from typing import Any, cast

import streamlit as st

from dashboards.lib.format import Lang

LANGUAGES: tuple[Lang, ...] = ("sv", "en")
DEFAULT_LANG: Lang = "sv"
LANG_KEY = "lang"
LANGUAGE_NAMES: dict[Lang, str] = {"sv": "Svenska", "en": "English"}

# Names of organisations, services and service areas are data and stay as the city writes them;
# only the interface around them is translated.
STRINGS: dict[str, dict[Lang, str]] = {
    # App frame
    "app_title": {"sv": "fordela – kommungemensamma tjänster", "en": "fordela – shared services"},
    "language": {"sv": "Språk / Language", "en": "Språk / Language"},
    "section_management": {"sv": "Ledning", "en": "Management"},
    "section_controller": {"sv": "Controller", "en": "Controller"},
    "section_data": {"sv": "Data", "en": "Data"},
    "page_budget": {
        "sv": "Budget per tjänsteområde och organisation",
        "en": "Budget per service area and organisation",
    },
    "page_budget_short": {"sv": "Budget", "en": "Budget"},
    "page_about_data": {"sv": "Om data", "en": "About the data"},
    # Log-in
    "login_title": {"sv": "Logga in", "en": "Log in"},
    "login_intro": {
        "sv": "Kostnader och fördelning av kommungemensamma interna tjänster.",
        "en": "Costs and allocation of the city's shared internal services.",
    },
    "username": {"sv": "Användarnamn", "en": "Username"},
    "password": {"sv": "Lösenord", "en": "Password"},
    "login_button": {"sv": "Logga in", "en": "Log in"},
    "login_failed": {
        "sv": "Fel användarnamn eller lösenord.",
        "en": "Wrong username or password.",
    },
    "login_demo_hint": {
        "sv": "Demoläge: användare och lösenord står i dashboards/README.md.",
        "en": "Demo mode: users and passwords are listed in dashboards/README.md.",
    },
    "login_oidc_button": {"sv": "Logga in med ditt konto", "en": "Log in with your account"},
    "login_unknown_account": {
        "sv": "Kontot {email} har ingen behörighet i fordela. Be förvaltaren lägga till det i användarfilen.",
        "en": "The account {email} has no access to fordela. Ask the administrator to add it to the users file.",
    },
    "logout": {"sv": "Logga ut", "en": "Log out"},
    "signed_in_as": {
        "sv": "Inloggad som **{name}** ({role})",
        "en": "Signed in as **{name}** ({role})",
    },
    "your_orgs": {"sv": "Dina organisationer: {orgs}", "en": "Your organisations: {orgs}"},
    "demo_mode": {"sv": "Demoläge (lokal användarfil)", "en": "Demo mode (local users file)"},
    "role_management": {"sv": "ledning", "en": "management"},
    "role_controller": {"sv": "controller", "en": "controller"},
    "role_data_engineer": {"sv": "dataingenjör", "en": "data engineer"},
    # Snapshot state
    "snapshot_missing": {
        "sv": "Det finns ingen publicerad ögonblicksbild ännu – kör `make pipeline`.",
        "en": "No published snapshot yet — run `make pipeline`.",
    },
    "snapshot_unreadable": {
        "sv": "Den publicerade ögonblicksbilden kunde inte läsas. Kör `make pipeline` igen eller kontakta dataingenjören.",
        "en": "The published snapshot could not be read. Run `make pipeline` again or contact the data engineer.",
    },
    "snapshot_source": {
        "sv": "Källa: publicerad ögonblicksbild från {published}.",
        "en": "Source: published snapshot of {published}.",
    },
    # Shared widgets
    "download_csv": {"sv": "Ladda ner CSV", "en": "Download CSV"},
    "show_in_sek": {"sv": "Visa belopp i kronor", "en": "Show amounts in SEK"},
    "no_rows": {"sv": "Inga rader.", "en": "No rows."},
    # Budget page
    "plan_version": {"sv": "Planversion", "en": "Plan version"},
    "no_plan_versions": {
        "sv": "Ögonblicksbilden innehåller inga budget- eller prognosversioner.",
        "en": "The snapshot holds no budget or forecast versions.",
    },
    "metric_total": {"sv": "Totalt", "en": "Total"},
    "metric_maintenance": {"sv": "Vidmakthållande", "en": "Maintenance"},
    "metric_development": {"sv": "Utveckling", "en": "Development"},
    "metric_other": {"sv": "Utanför tjänsteområdena", "en": "Outside the service areas"},
    "cost_type_maintenance": {"sv": "Vidmakthållande", "en": "Maintenance"},
    "cost_type_development": {"sv": "Utveckling", "en": "Development"},
    "per_service_area": {"sv": "Per tjänsteområde", "en": "Per service area"},
    "per_org_group": {"sv": "Per organisationsgrupp", "en": "Per organisation group"},
    "per_org": {"sv": "Per organisation", "en": "Per organisation"},
    "col_service_area": {"sv": "Tjänsteområde", "en": "Service area"},
    "col_total": {"sv": "Totalt", "en": "Total"},
    "col_share": {"sv": "Andel", "en": "Share"},
    "col_org_code": {"sv": "Kod", "en": "Code"},
    "col_org_name": {"sv": "Organisation", "en": "Organisation"},
    "col_org_group": {"sv": "Grupp", "en": "Group"},
    "col_org_count": {"sv": "Antal organisationer", "en": "Organisations"},
    "col_amount": {"sv": "Belopp", "en": "Amount"},
    "chart_amount": {"sv": "Belopp ({unit})", "en": "Amount ({unit})"},
    "chart_cost_type": {"sv": "Kostnadstyp", "en": "Cost type"},
    "chart_caption_other": {
        "sv": "Diagrammet visar tjänsteområdena; {names} ingår i totalen men inte i diagrammet.",
        "en": "The chart shows the service areas; {names} is in the total but not in the chart.",
    },
    "area_totals_public": {
        "sv": "Tjänsteområdenas belopp är stadens gemensamma, publicerade budget.",
        "en": "Service-area amounts are the city-wide published budget.",
    },
    "restricted_orgs": {
        "sv": "Visar bara dina organisationer ({orgs}).",
        "en": "Showing only your organisations ({orgs}).",
    },
    "filter_org": {
        "sv": "Sök organisation (namn eller kod)",
        "en": "Search organisation (name or code)",
    },
    "filter_groups": {"sv": "Organisationsgrupper", "en": "Organisation groups"},
    "filter_groups_placeholder": {"sv": "Alla grupper", "en": "All groups"},
    "rows_shown": {"sv": "{n} organisationer", "en": "{n} organisations"},
    "share_help": {
        "sv": "Andel av planversionens totala belopp.",
        "en": "Share of the plan version's total amount.",
    },
    # About the data page
    "about_intro": {
        "sv": "Vad den publicerade ögonblicksbilden innehåller. Sidorna läser bara den här filen, aldrig arbetslagret.",
        "en": "What the published snapshot holds. The pages read only this file, never the working warehouse.",
    },
    "published_at": {"sv": "Publicerad", "en": "Published"},
    "published_unknown": {
        "sv": "Publiceringsloggen saknas; tiden är filens ändringstid.",
        "en": "No publish log; the time shown is the file's modification time.",
    },
    "snapshot_file": {"sv": "Fil", "en": "File"},
    "run_id": {"sv": "Körning", "en": "Run"},
    "tables": {"sv": "Tabeller", "en": "Tables"},
    "col_schema": {"sv": "Schema", "en": "Schema"},
    "col_table": {"sv": "Tabell", "en": "Table"},
    "col_rows": {"sv": "Rader", "en": "Rows"},
    "publish_log": {"sv": "Publiceringslogg", "en": "Publish log"},
    # Organisation groups (categories, not names, so they are translated)
    "group_Stadsdelsförvaltningar": {
        "sv": "Stadsdelsförvaltningar",
        "en": "District administrations",
    },
    "group_Fackförvaltningar": {"sv": "Fackförvaltningar", "en": "Specialist administrations"},
    "group_Bolag": {"sv": "Bolag", "en": "Municipal companies"},
    "group_Kommunalförbund": {"sv": "Kommunalförbund", "en": "Joint municipal authorities"},
}


def current_language() -> Lang:
    """The language chosen in the sidebar for this session (Swedish until changed)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return cast(Lang, lang) if lang in LANGUAGES else DEFAULT_LANG


def t(key: str, lang: Lang | None = None, **values: Any) -> str:
    """The UI string `key` in `lang` (default: the session's language), with {placeholders} filled."""
    entry = STRINGS[key]
    text = entry[lang or current_language()]
    return text.format(**values) if values else text


def t_group(org_group: str, lang: Lang | None = None) -> str:
    """An organisation group's label; unknown groups are shown as the data names them."""
    key = f"group_{org_group}"
    return t(key, lang) if key in STRINGS else org_group


def language_switch() -> Lang:
    """The sidebar radio that sets the session's language; shown before and after log-in."""
    # A fixed, bilingual label: the widget must not look different in the language it switches.
    st.sidebar.radio(
        STRINGS["language"]["sv"],
        options=LANGUAGES,
        format_func=LANGUAGE_NAMES.__getitem__,
        key=LANG_KEY,
        horizontal=True,
    )
    return current_language()
