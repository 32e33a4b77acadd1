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
    "users_file_problem": {
        "sv": "Ingen kan logga in ännu: {problem}. Användarfilen anges med FORDELA_USERS_FILE "
        "(standard: users.toml i datamappen).",
        "en": "Nobody can log in yet: {problem}. The users file is set with FORDELA_USERS_FILE "
        "(default: users.toml in the data folder).",
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
}


# --- The pages for the three audiences -----------------------------------------------------------

STRINGS.update(
    {
        # Navigation and titles
        "page_overview": {"sv": "Översikt", "en": "Overview"},
        "page_overview_title": {
            "sv": "Översikt – kostnad mot budget och prognos",
            "en": "Overview – cost against budget and forecast",
        },
        "overview_intro": {
            "sv": "Utfall från huvudboken mot budget och senaste prognos, hittills i år och helår, per tjänsteområde.",
            "en": "Outcome from the ledger against budget and the latest forecast, year to date and full year, per service area.",
        },
        "page_services": {"sv": "Tjänster", "en": "Services"},
        "page_services_title": {"sv": "Tjänster", "en": "Services"},
        "page_my_org": {"sv": "Min organisation", "en": "My organisation"},
        "page_my_org_title": {
            "sv": "Min organisation – vad vi betalar",
            "en": "My organisation – what we pay",
        },
        "page_initiatives": {"sv": "Utvecklingsinitiativ", "en": "Development initiatives"},
        "page_initiatives_title": {"sv": "Utvecklingsinitiativ", "en": "Development initiatives"},
        "initiatives_intro": {
            "sv": "Plan per år mot upparbetat, status och nyttoindikatorer med mål.",
            "en": "Plan per year against spend, status, and benefit indicators with targets.",
        },
        "page_what_if": {"sv": "Simulering", "en": "What-if"},
        "page_what_if_title": {
            "sv": "Simulering – vad händer om?",
            "en": "What-if – what happens if?",
        },
        "page_data_quality": {"sv": "Datakvalitet", "en": "Data quality"},
        "page_data_quality_title": {
            "sv": "Datakvalitet och pipeline",
            "en": "Data quality and pipeline",
        },
        "pipeline_role_only": {
            "sv": "Sidan är bara för dataingenjörer.",
            "en": "This page is for data engineers only.",
        },
        # Shared filters and messages
        "fiscal_year": {"sv": "Räkenskapsår", "en": "Fiscal year"},
        "through_month": {"sv": "Till och med månad", "en": "Through month"},
        "through_month_help": {
            "sv": "Hittills i år = från januari till och med denna månad.",
            "en": "Year to date = from January through this month.",
        },
        "organisation": {"sv": "Organisation", "en": "Organisation"},
        "org_picker_help": {
            "sv": "{n} organisationer finns detta år och är synliga för dig.",
            "en": "{n} organisations exist this year and are visible to you.",
        },
        "no_cost_rows": {
            "sv": "Ögonblicksbilden innehåller inga kostnadsrader ännu.",
            "en": "The snapshot holds no cost rows yet.",
        },
        "no_outcome_year": {
            "sv": "Det finns inget utfall för {year} i ögonblicksbilden; bara planen visas.",
            "en": "The snapshot has no outcome for {year}; only the plan is shown.",
        },
        "no_orgs_for_you": {
            "sv": "Ingen av dina organisationer finns {year}.",
            "en": "None of your organisations exists in {year}.",
        },
        "table_missing": {
            "sv": "Tabellen `{table}` finns inte i den här ögonblicksbilden ännu. Den visas här när pipelinen publicerar den.",
            "en": "The table `{table}` is not in this snapshot yet. It appears here once the pipeline publishes it.",
        },
        "yes": {"sv": "ja", "en": "yes"},
        "no": {"sv": "nej", "en": "no"},
        "download_xlsx": {"sv": "Ladda ner Excel", "en": "Download Excel"},
        # Column headings
        "col_service": {"sv": "Tjänst", "en": "Service"},
        "col_month": {"sv": "Månad", "en": "Month"},
        "col_month_amount": {"sv": "Månadens utfall", "en": "Month's outcome"},
        "col_budget_to_date": {"sv": "Budget hittills", "en": "Budget to date"},
        "col_outcome_to_date": {"sv": "Utfall hittills", "en": "Outcome to date"},
        "col_variance": {"sv": "Avvikelse", "en": "Variance"},
        "col_variance_pct": {"sv": "Avvikelse %", "en": "Variance %"},
        "col_budget_year": {"sv": "Budget helår", "en": "Budget full year"},
        "col_forecast_year": {"sv": "Prognos helår", "en": "Forecast full year"},
        "col_outcome_year": {"sv": "Utfall helår", "en": "Outcome full year"},
        "col_explanation": {"sv": "Förklaring", "en": "Explanation"},
        "col_cost_centre": {"sv": "Kostnadsställe", "en": "Cost centre"},
        "col_cost_centre_name": {"sv": "Benämning", "en": "Name"},
        "col_cost_centre_count": {"sv": "Kostnadsställen", "en": "Cost centres"},
        "col_method": {"sv": "Fördelningsmetod", "en": "Allocation method"},
        "col_driver": {"sv": "Drivare", "en": "Driver"},
        "col_rule": {"sv": "Regel", "en": "Rule"},
        "col_volume": {"sv": "Volym", "en": "Volume"},
        "col_cost": {"sv": "Kostnad", "en": "Cost"},
        "col_charged": {"sv": "Debiterat", "en": "Charged"},
        "col_unit_cost": {"sv": "Enhetskostnad", "en": "Unit cost"},
        "col_unit_price": {"sv": "Enhetspris", "en": "Unit price"},
        "col_surplus_deficit": {"sv": "Över-/underskott", "en": "Surplus/deficit"},
        "col_carried_to": {"sv": "Förs till år", "en": "Carried to year"},
        "col_next_price": {
            "sv": "Nästa års beräknade enhetspris",
            "en": "Next year's computed unit price",
        },
        "col_next_price_delivered": {
            "sv": "Nästa års levererade enhetspris",
            "en": "Next year's delivered unit price",
        },
        "col_price_source": {"sv": "Prisets ursprung", "en": "Price source"},
        "price_source_delivered": {
            "sv": "levererat i prislistan",
            "en": "delivered in the price list",
        },
        "price_source_carried": {
            "sv": "beräknat från prisavräkningen {previous}",
            "en": "computed from the {previous} price settlement",
        },
        "col_valid_from": {"sv": "Gäller från", "en": "Valid from"},
        "col_valid_to": {"sv": "Gäller till", "en": "Valid to"},
        "col_former_name": {"sv": "Tidigare namn", "en": "Former name"},
        "col_comment": {"sv": "Kommentar", "en": "Comment"},
        "col_component": {"sv": "Del", "en": "Component"},
        "col_basis": {"sv": "Underlag", "en": "Basis"},
        "col_fiscal_year": {"sv": "År", "en": "Year"},
        "col_service_id": {"sv": "Tjänst-id", "en": "Service id"},
        "col_service_area_code": {"sv": "Tjänsteområde", "en": "Service area"},
        "col_initiative_id": {"sv": "Initiativ", "en": "Initiative"},
        "col_name_sv": {"sv": "Namn", "en": "Name"},
        "col_priority": {"sv": "Prioritet", "en": "Priority"},
        "col_financing_channel": {"sv": "Finansiering", "en": "Financing"},
        "col_status": {"sv": "Status", "en": "Status"},
        "col_plan_sek": {"sv": "Plan", "en": "Plan"},
        "col_spend_sek": {"sv": "Upparbetat", "en": "Spend"},
        "col_period_month": {"sv": "Månad", "en": "Month"},
        "col_target": {"sv": "Mål", "en": "Target"},
        "col_kind": {"sv": "Slag", "en": "Kind"},
        "col_source_file": {"sv": "Fil", "en": "File"},
        "col_source_row": {"sv": "Rad", "en": "Row"},
        "col_driver_code": {"sv": "Drivare", "en": "Driver"},
        "col_cost_centre_code": {"sv": "Kostnadsställe", "en": "Cost centre"},
        "col_key_set": {"sv": "Nyckeluppsättning", "en": "Key set"},
        "col_quantity": {"sv": "Kvantitet", "en": "Quantity"},
        "col_detail": {"sv": "Detalj", "en": "Detail"},
        "col_value": {"sv": "Värde", "en": "Value"},
        "chart_scenario": {"sv": "Version", "en": "Version"},
        "chart_series": {"sv": "Serie", "en": "Series"},
        "chart_sek_per_unit": {"sv": "kr per enhet och månad", "en": "SEK per unit and month"},
        "series_budget": {"sv": "Budget", "en": "Budget"},
        "series_outcome": {"sv": "Utfall", "en": "Outcome"},
        "series_unit_cost": {"sv": "Enhetskostnad (utfall)", "en": "Unit cost (outcome)"},
        "series_unit_price": {"sv": "Enhetspris", "en": "Unit price"},
        "series_volume_outcome": {"sv": "Verklig volym", "en": "Actual volume"},
        "series_volume_budget": {
            "sv": "Planerad volym per månad",
            "en": "Planned volume per month",
        },
        "series_plan": {"sv": "Plan", "en": "Plan"},
        "series_spend": {"sv": "Upparbetat", "en": "Spend"},
        # Allocation methods
        "method_direct": {"sv": "Direkt debitering", "en": "Direct charge"},
        "method_fixed_key": {"sv": "Fast fördelningsnyckel", "en": "Fixed allocation key"},
        "method_driver_share": {"sv": "Andel av drivare", "en": "Driver share"},
        "method_price_list": {
            "sv": "Prislista (volym × pris)",
            "en": "Price list (volume × price)",
        },
        "method_step_down": {"sv": "Stegvis fördelning", "en": "Step-down"},
        "method_reciprocal": {"sv": "Ömsesidig fördelning", "en": "Reciprocal"},
        # Overview
        "to_date_heading": {
            "sv": "Hittills i år, till och med {month}",
            "en": "Year to date, through {month}",
        },
        "full_year_heading": {"sv": "Helår", "en": "Full year"},
        "metric_outcome_to_date": {"sv": "Utfall hittills i år", "en": "Outcome year to date"},
        "metric_budget_to_date": {"sv": "Budget hittills i år", "en": "Budget year to date"},
        "metric_variance_to_date": {"sv": "Avvikelse mot budget", "en": "Variance against budget"},
        "metric_delta_help": {
            "sv": "Pilen visar utfall minus budget; rött = mer än budget.",
            "en": "The arrow shows outcome minus budget; red = above budget.",
        },
        "metric_budget_year": {
            "sv": "Budget helår ({version})",
            "en": "Budget full year ({version})",
        },
        "metric_forecast_year": {
            "sv": "Prognos helår ({version})",
            "en": "Forecast full year ({version})",
        },
        "no_official_forecast": {
            "sv": "Ingen officiell prognos för {year} i ögonblicksbilden.",
            "en": "No official forecast for {year} in the snapshot.",
        },
        "metric_outcome_year": {"sv": "Utfall helår", "en": "Outcome full year"},
        "metric_forecast_none": {"sv": "Prognos helår", "en": "Forecast full year"},
        "metric_computed_forecast": {
            "sv": "Prognos helår (beräknad)",
            "en": "Forecast full year (computed)",
        },
        "computed_forecast_help": {
            "sv": "Beräknad ur utfallet hittills med förra årets månadsprofil (rpt_year_end_forecast).",
            "en": "Computed from the outcome to date with last year's monthly profile (rpt_year_end_forecast).",
        },
        "col_computed_forecast": {
            "sv": "Prognos helår (beräknad)",
            "en": "Forecast full year (computed)",
        },
        "chart_view": {"sv": "Visa", "en": "Show"},
        "chart_view_cumulative": {"sv": "Ackumulerat", "en": "Cumulative"},
        "chart_view_monthly": {"sv": "Per månad", "en": "Per month"},
        "why_variances": {"sv": "Varför avviker det?", "en": "Why does it differ?"},
        "variance_volume": {"sv": "volym", "en": "volume"},
        "variance_price": {"sv": "pris", "en": "price"},
        "variance_key": {"sv": "ändrad fördelning", "en": "changed key"},
        "variance_mix": {"sv": "mix/övrigt", "en": "mix/other"},
        "metric_months_of_outcome": {"sv": "Månader med utfall", "en": "Months with outcome"},
        "metric_outcome_month": {"sv": "Utfall {month}", "en": "Outcome {month}"},
        "metric_outcome_through": {"sv": "Utfall t.o.m. {month}", "en": "Outcome through {month}"},
        "monthly_trend": {"sv": "Månad för månad", "en": "Month by month"},
        "largest_variances": {
            "sv": "Största avvikelserna hittills i år",
            "en": "Largest variances year to date",
        },
        "variances_need_outcome": {
            "sv": "Avvikelser kräver både budget och utfall för året.",
            "en": "Variances need both a budget and an outcome for the year.",
        },
        "initiatives_glance": {
            "sv": "Utvecklingsinitiativ i korthet",
            "en": "Development initiatives at a glance",
        },
        "metric_development_budget_year": {
            "sv": "Utvecklingsbudget helår",
            "en": "Development budget full year",
        },
        "metric_development_outcome_to_date": {
            "sv": "Utveckling, utfall hittills",
            "en": "Development, outcome to date",
        },
        "metric_initiatives": {"sv": "Initiativ", "en": "Initiatives"},
        "metric_initiative_plan": {"sv": "Plan i år", "en": "Plan this year"},
        "metric_initiative_spend": {"sv": "Upparbetat", "en": "Spend"},
        "metric_initiative_spend_share": {"sv": "Upparbetat av plan", "en": "Spend of plan"},
        "to_initiatives": {
            "sv": "Till utvecklingsinitiativen",
            "en": "To the development initiatives",
        },
        # Services
        "service_fact_area": {"sv": "Tjänsteområde: {area}", "en": "Service area: {area}"},
        "service_fact_cost_type": {
            "sv": "Kostnadstyp: {cost_type}",
            "en": "Cost type: {cost_type}",
        },
        "service_fact_former": {"sv": "Tidigare namn: {name}", "en": "Former name: {name}"},
        "driver_help": {
            "sv": "Det som fördelningen räknar på, t.ex. antal arbetsplatser eller anställda.",
            "en": "What the allocation counts, e.g. workplaces or employees.",
        },
        "allocation_line": {
            "sv": "Fördelning i {version}: **{method}**, drivare **{driver}**, regel `{rule}`",
            "en": "Allocation in {version}: **{method}**, driver **{driver}**, rule `{rule}`",
        },
        "consumers_help": {
            "sv": "Antal organisationer som debiteras för tjänsten i budgeten.",
            "en": "Number of organisations charged for the service in the budget.",
        },
        "allocation_rules": {
            "sv": "Fördelningsregler per version",
            "en": "Allocation rules per version",
        },
        "cost_over_time": {"sv": "Kostnad över tid", "en": "Cost over time"},
        "unit_cost_and_price": {
            "sv": "Volym, enhetskostnad och enhetspris",
            "en": "Volume, unit cost and unit price",
        },
        "no_driver_volume": {
            "sv": "Tjänsten fördelas utan volymdrivare (fast nyckel), så den har ingen enhetskostnad.",
            "en": "The service is allocated without a volume driver (fixed key), so it has no unit cost.",
        },
        "unit_cost_vs_price": {
            "sv": "Enhetskostnad mot enhetspris",
            "en": "Unit cost against unit price",
        },
        "volume_trend": {"sv": "Volym ({driver})", "en": "Volume ({driver})"},
        "unit_table": {"sv": "Månadsvärden", "en": "Monthly values"},
        "unit_cost_help": {
            "sv": "Enhetskostnad = tjänstens kostnad i månaden / verklig volym. Enhetspris = årets pris, levererat i prislistan eller beräknat från föregående års prisavräkning (eller planens kostnad per planerad enhet).",
            "en": "Unit cost = the service's cost of the month / actual volume. Unit price = the year's price, delivered in the price list or computed from the previous year's price settlement (or the plan's cost per planned unit).",
        },
        "who_consumes": {
            "sv": "Vem använder tjänsten {year}",
            "en": "Who uses the service in {year}",
        },
        "price_settlement": {
            "sv": "Prisavräkning mellan åren",
            "en": "Price settlement across years",
        },
        "no_price_settlement": {
            "sv": "Tjänsten debiteras inte via prislista, så den har ingen prisavräkning.",
            "en": "The service is not charged by price list, so it has no price settlement.",
        },
        "price_settlement_help": {
            "sv": "Över- eller underskottet regleras i nästa års pris: beräknat pris = (nästa års budget − resultat) / planerad volym, avrundat till hela ören. Ett år utan levererad prislista debiteras det beräknade priset.",
            "en": "The surplus or deficit is settled in next year's price: computed price = (next year's budget − result) / planned volume, rounded to the öre. A year without a delivered price list is charged the computed price.",
        },
        "price_line": {
            "sv": "Enhetspris {year}: **{price}** ({source})",
            "en": "Unit price {year}: **{price}** ({source})",
        },
        "price_source_help": {
            "sv": "Priset är stadens levererade prislista för året, eller – när ingen levererats – det pris som föregående års prisavräkning ger.",
            "en": "The price is the city's delivered price list for the year or, when none was delivered, the price the previous year's settlement gives.",
        },
        "service_history": {
            "sv": "Historik: namnbyten och flyttar",
            "en": "History: renames and moves",
        },
        "still_valid": {"sv": "gäller", "en": "current"},
        "history_renamed": {
            "sv": "Namnbyte {date}: {old} → {new}",
            "en": "Renamed {date}: {old} → {new}",
        },
        "history_moved": {
            "sv": "Flyttad {date}: {old} → {new}",
            "en": "Moved {date}: {old} → {new}",
        },
        "like_for_like": {"sv": "Jämförbarhet mellan åren", "en": "Like for like across years"},
        "lineage_from": {"sv": "Tjänst", "en": "Service"},
        "lineage_to": {"sv": "Jämförs med (i dag)", "en": "Compares with (today)"},
        "lineage_relation": {"sv": "Förändring", "en": "Change"},
        "lineage_weight": {"sv": "Andel", "en": "Share"},
        "relation_same": {"sv": "oförändrad", "en": "unchanged"},
        "relation_split": {"sv": "delad", "en": "split"},
        "relation_merge": {"sv": "sammanslagen", "en": "merged"},
        "relation_rename": {"sv": "namnbyte", "en": "renamed"},
        "relation_move": {"sv": "flyttad", "en": "moved"},
        "relation_move+rename": {"sv": "flyttad och omdöpt", "en": "moved and renamed"},
        "lfl_heading": {
            "sv": "Kostnad per år i dagens tjänstestruktur",
            "en": "Cost per year in today's service structure",
        },
        "lfl_amount": {"sv": "Jämförbart belopp", "en": "Comparable amount"},
        "lfl_own_amount": {"sv": "Bokfört på tjänsten själv", "en": "Booked on the service itself"},
        "lfl_help": {
            "sv": "Tidigare års tjänster som delats, slagits samman, bytt namn eller flyttats räknas om till dagens tjänst, så att åren går att jämföra.",
            "en": "Earlier years' services that were split, merged, renamed or moved are restated on today's service, so the years compare like for like.",
        },
        # My organisation
        "statement_caption": {
            "sv": "{org}: debiterat utfall hittills i år till och med {month}, mot {budget}.",
            "en": "{org}: charged outcome year to date through {month}, against {budget}.",
        },
        "invoice_basis": {"sv": "Fakturaunderlag", "en": "Invoice basis"},
        "invoice_basis_help": {
            "sv": "varje debitering hittills i år per månad, kostnadsställe och tjänst, exakt i kronor.",
            "en": "every charge year to date per month, cost centre and service, exact in SEK.",
        },
        "per_service": {"sv": "Per tjänst", "en": "Per service"},
        "per_month": {"sv": "Per månad", "en": "Per month"},
        "per_cost_centre": {"sv": "Per kostnadsställe", "en": "Per cost centre"},
        "filter_service": {
            "sv": "Sök tjänst (namn, id eller område)",
            "en": "Search service (name, id or area)",
        },
        "filter_cost_centre": {"sv": "Kostnadsställe", "en": "Cost centre"},
        "all_cost_centres": {"sv": "Alla kostnadsställen", "en": "All cost centres"},
        "rows_services_shown_count": {"sv": "{n} tjänster.", "en": "{n} services."},
        "rows_services_shown": {
            "sv": "{n} tjänster, utfall hittills {total}.",
            "en": "{n} services, outcome to date {total}.",
        },
        "all_orgs_heading": {"sv": "Alla organisationer {year}", "en": "All organisations {year}"},
        "all_orgs_caption": {
            "sv": "{n} organisationer finns {year} och är synliga för dig; välj en ovan för dess specifikation.",
            "en": "{n} organisations exist in {year} and are visible to you; choose one above for its statement.",
        },
        "why_heading": {"sv": "Varför betalar vi detta?", "en": "Why do we pay this?"},
        "why_intro": {
            "sv": "Välj tjänst, månad och kostnadsställe: beloppet bryts ned i det det består av – regel, drivare, volym, andel, pris och verifikationer.",
            "en": "Choose service, month and cost centre: the amount is broken down into what it is made of – rule, driver, volume, share, price and vouchers.",
        },
        "why_amount_line": {
            "sv": "{org} betalar **{amount}** för *{service}* i {month} (antal kostnadsställen: {n}).",
            "en": "{org} pays **{amount}** for *{service}* in {month} (cost centres: {n}).",
        },
        "why_nothing_that_month": {
            "sv": "Ingen debitering för tjänsten den månaden.",
            "en": "No charge for the service that month.",
        },
        "why_amount": {"sv": "Belopp", "en": "Amount"},
        "why_rule": {"sv": "Fördelningsregel: {rule}", "en": "Allocation rule: {rule}"},
        "why_sums": {
            "sv": "Delarna summerar exakt till beloppet ({amount}).",
            "en": "The components sum exactly to the amount ({amount}).",
        },
        "why_does_not_sum": {
            "sv": "Delarna summerar inte till beloppet – meddela dataingenjören.",
            "en": "The components do not sum to the amount – tell the data engineer.",
        },
        "why_table_vouchers": {"sv": "Verifikationer i huvudboken", "en": "Ledger vouchers"},
        "why_table_driver_rows": {
            "sv": "Drivarrader (fil och rad)",
            "en": "Driver rows (file and row)",
        },
        "why_table_ledger_rows": {"sv": "Huvudboksrader", "en": "Ledger rows"},
        "col_voucher": {"sv": "Verifikation", "en": "Voucher"},
        "col_date": {"sv": "Datum", "en": "Date"},
        "col_account": {"sv": "Konto", "en": "Account"},
        "col_text": {"sv": "Text", "en": "Text"},
        "col_counterparty": {"sv": "Motpart", "en": "Counterparty"},
        "col_your_part": {"sv": "Varav kostnadsstället", "en": "Of which this cost centre"},
        "whole_year": {"sv": "helår", "en": "full year"},
        "vouchers_caption": {
            "sv": "Visar {shown} av {n} huvudboksrader bakom tjänstens kostnad i månaden (summa {total}).",
            "en": "Showing {shown} of {n} ledger rows behind the service's cost of the month (total {total}).",
        },
        "vouchers_part_caption": {
            "sv": "Kostnadsställets andel av dem: {part}.",
            "en": "This cost centre's part of them: {part}.",
        },
        "explain_via_direct": {
            "sv": "Direkt debiterat (egna verifikationer)",
            "en": "Charged directly (own vouchers)",
        },
        "explain_via_plan": {"sv": "Planens rad", "en": "The plan line"},
        "explain_via_support": {
            "sv": "Stödtjänst {service} ({method})",
            "en": "Support service {service} ({method})",
        },
        "explain_via_origin": {"sv": ", ursprung {origin}", "en": ", originating in {origin}"},
        "explain_basis_vouchers": {
            "sv": "fördelat på {n} verifikationsrader i {service}",
            "en": "split over {n} ledger rows of {service}",
        },
        "explain_basis_plan_lines": {"sv": "{n} planrader", "en": "{n} plan lines"},
        "why_table_plan_lines": {
            "sv": "Planrader (fil och rad)",
            "en": "Plan lines (file and row)",
        },
        "why_table_engine_drivers": {
            "sv": "Drivarrader och nycklar (fil och rad)",
            "en": "Driver rows and keys (file and row)",
        },
        "why_rule_source": {"sv": "Regelns källa: {source}", "en": "Rule source: {source}"},
        "explain_part_direct_cost_sek": {
            "sv": "Tjänstens egna kostnader (verifikationer)",
            "en": "The service's own costs (vouchers)",
        },
        "explain_engine_failed": {
            "sv": "Fördelningsmotorns förklaring kunde inte hämtas för den här ögonblicksbilden; beloppet och regeln ovan gäller.",
            "en": "The allocation engine's explanation could not be read from this snapshot; the amount and rule above stand.",
        },
        # Excel
        "xl_title": {
            "sv": "Fakturaunderlag – kommungemensamma tjänster",
            "en": "Invoice basis – shared services",
        },
        "xl_sheet_basis": {"sv": "Fakturaunderlag", "en": "Invoice basis"},
        "xl_sheet_services": {"sv": "Per tjänst", "en": "Per service"},
        "xl_organisation": {"sv": "Organisation", "en": "Organisation"},
        "xl_period_range": {"sv": "Period", "en": "Period"},
        "xl_source": {"sv": "Publicerad ögonblicksbild", "en": "Published snapshot"},
        "xl_total": {"sv": "Summa", "en": "Total"},
        "xl_period": {"sv": "Månad", "en": "Month"},
        "xl_cost_centre": {"sv": "Kostnadsställe", "en": "Cost centre"},
        "xl_cost_centre_name": {"sv": "Kostnadsställe, namn", "en": "Cost centre name"},
        "xl_service_area": {"sv": "Tjänsteområde", "en": "Service area"},
        "xl_service_id": {"sv": "Tjänst-id", "en": "Service id"},
        "xl_service": {"sv": "Tjänst", "en": "Service"},
        "xl_method": {"sv": "Fördelningsmetod", "en": "Allocation method"},
        "xl_driver": {"sv": "Drivare", "en": "Driver"},
        "xl_volume": {"sv": "Volym", "en": "Volume"},
        "col_development_total": {"sv": "Utveckling totalt", "en": "Development total"},
        "col_of_which_initiatives": {"sv": "varav initiativ", "en": "of which initiatives"},
        "col_development_other": {"sv": "utanför initiativen", "en": "outside the initiatives"},
        "development_per_year_help": {
            "sv": "Årets budget och utfall för utveckling. I budgeten är initiativens del deras plan"
            " för året, i utfallet deras kostnad; resten ligger utanför initiativen (negativt när"
            " initiativen planerar mer än budgeten).",
            "en": "The year's development budget and outcome. In the budget the initiatives' part is"
            " their plan for the year, in the outcome their spend; the rest is outside the"
            " initiatives (negative when the initiatives plan more than the budget).",
        },
        "line_unallocated": {"sv": "Ej fördelat", "en": "Not allocated"},
        "line_price_list_deficit": {
            "sv": "Prislistetjänsternas underskott (överskott −)",
            "en": "Price-list services' deficit (surplus −)",
        },
        "xl_support_service": {"sv": "Stödkostnad från", "en": "Support cost from"},
        "xl_share": {"sv": "Andel", "en": "Share"},
        "xl_unit_price": {"sv": "Enhetspris (kr)", "en": "Unit price (SEK)"},
        "xl_amount": {"sv": "Belopp (kr)", "en": "Amount (SEK)"},
        "xl_rule": {"sv": "Regel", "en": "Rule"},
        # Initiatives
        "development_per_area": {
            "sv": "Utvecklingsmedel per tjänsteområde",
            "en": "Development money per service area",
        },
        "development_per_area_help": {
            "sv": "Utvecklingsraderna i varje planversion och i utfallet (huvudbokens projektkodade kostnader).",
            "en": "The development lines of every plan version and of the outcome (the ledger's project-coded costs).",
        },
        "initiatives_plan_vs_spend": {
            "sv": "Initiativ: plan mot upparbetat",
            "en": "Initiatives: plan against spend",
        },
        "filter_initiative": {"sv": "Sök initiativ", "en": "Search initiatives"},
        "kpis": {"sv": "Nyttoindikatorer med mål", "en": "Benefit indicators with targets"},
        "kpi_target": {"sv": "Mål: {target}", "en": "Target: {target}"},
        "kpi_against_target": {
            "sv": "{gap} procentenheter mot målet",
            "en": "{gap} percentage points against the target",
        },
        "kpi_rows": {"sv": "Värden", "en": "Values"},
        "kpi_unit_ratio": {"sv": "Kvot", "en": "Ratio"},
        "kpi_unit_sek": {"sv": "Kronor per enhet", "en": "SEK per unit"},
        "kpi_latest_month": {"sv": "Senast ({month})", "en": "Latest ({month})"},
        "kpi_target_not_in_force": {
            "sv": "(målet gäller från 2018; visas som riktmärke)",
            "en": "(the target applies from 2018; shown as a benchmark)",
        },
        "city_wide": {"sv": "Hela staden", "en": "The whole city"},
        "plan_year": {"sv": "Plan {year}", "en": "Plan {year}"},
        "spend_year": {"sv": "Upparbetat {year}", "en": "Spend {year}"},
        "initiatives_table_help": {
            "sv": "{n} initiativ. Status gäller det senaste året med utfall; upparbetat = huvudboksrader med initiativets projektkod.",
            "en": "{n} initiatives. Status is that of the latest year with outcome; spend = ledger rows with the initiative's project code.",
        },
        "channel_riktlinjerna": {
            "sv": "Riktlinjerna (debitering)",
            "en": "The guidelines (charged)",
        },
        "channel_slk_processtyrning": {"sv": "SLK processtyrning", "en": "SLK process steering"},
        "channel_attraktiv_hemtjanst": {"sv": "Attraktiv hemtjänst", "en": "Attraktiv hemtjänst"},
        "channel_e_samhalle": {"sv": "Program för e-samhälle", "en": "E-society programme"},
        # What-if
        "what_if_intro": {
            "sv": "Ändra en tjänsts nyckel, drivare, pris, volym eller kostnad och se effekten per organisation innan något beslutas. Allt räknas i minnet och sparas ingenstans.",
            "en": "Change a service's key, driver, price, volume or cost and see the impact per organisation before anything is decided. Everything is computed in memory and saved nowhere.",
        },
        "whatif_pool": {"sv": "Tjänstens kostnad ({version})", "en": "Service cost ({version})"},
        "whatif_consumers": {"sv": "Konsumerande organisationer", "en": "Consuming organisations"},
        "whatif_change": {"sv": "Ändring", "en": "Change"},
        "whatif_current_price": {
            "sv": "Enhetspris i planen: **{price}**",
            "en": "Unit price in the plan: **{price}**",
        },
        "whatif_basis": {"sv": "Fördelningsgrund", "en": "Allocation basis"},
        "whatif_basis_current": {"sv": "Som nu", "en": "As now"},
        "whatif_basis_driver": {"sv": "Annan drivare", "en": "Another driver"},
        "whatif_basis_equal": {"sv": "Lika delar", "en": "Equal shares"},
        "whatif_pool_change": {
            "sv": "Ändra tjänstens kostnad (%)",
            "en": "Change the service's cost (%)",
        },
        "whatif_unit_price": {
            "sv": "Nytt enhetspris (nu {current})",
            "en": "New unit price (now {current})",
        },
        "whatif_volume_org": {"sv": "Ändra volymen för", "en": "Change the volume of"},
        "whatif_volume_change": {"sv": "Volymförändring (%)", "en": "Volume change (%)"},
        "whatif_fixed_key_no_volume": {
            "sv": "Fast nyckel: volymen påverkar inte fördelningen. Välj en annan fördelningsgrund för att räkna på volym.",
            "en": "Fixed key: volume does not affect the allocation. Choose another basis to allocate by volume.",
        },
        "whatif_impact": {"sv": "Effekt per organisation", "en": "Impact per organisation"},
        "whatif_pool_after": {"sv": "Kostnad efter ändring", "en": "Cost after the change"},
        "whatif_charged_after": {"sv": "Debiteras totalt", "en": "Charged in total"},
        "whatif_surplus_deficit": {"sv": "Över-/underskott", "en": "Surplus/deficit"},
        "whatif_surplus_help": {
            "sv": "Debiterat minus kostnad. Noll när kostnaden fördelas; med prislista blir skillnaden nästa års prisavräkning.",
            "en": "Charged minus cost. Zero when the cost is allocated; with a price list the difference goes into next year's price settlement.",
        },
        "whatif_your_change": {
            "sv": "Förändring för dina organisationer",
            "en": "Change for your organisations",
        },
        "whatif_consumers_after": {
            "sv": "Organisationer som betalar",
            "en": "Organisations that pay",
        },
        "whatif_neutral": {
            "sv": "Ingen ändring vald: simuleringen visar nuvarande fördelning (små skillnader är avrundning per år i stället för per månad).",
            "en": "No change chosen: the simulation shows the current allocation (small differences are rounding per year instead of per month).",
        },
        "whatif_current": {"sv": "Nu", "en": "Now"},
        "whatif_simulated": {"sv": "Simulerat", "en": "Simulated"},
        "whatif_share_before": {"sv": "Andel nu", "en": "Share now"},
        "whatif_share_after": {"sv": "Andel simulerat", "en": "Share simulated"},
        "whatif_largest_changes": {"sv": "Största förändringarna", "en": "Largest changes"},
        "whatif_not_saved": {
            "sv": "Simuleringen sparas inte och ändrar ingenting i lagret.",
            "en": "The simulation is not saved and changes nothing in the warehouse.",
        },
        # Data quality
        "dq_checks_latest_run": {"sv": "Kontroller godkända", "en": "Checks passed"},
        "dq_failed_col": {"sv": "Underkända", "en": "Failed"},
        "dq_published_help": {
            "sv": "Publicerad {published} (svensk tid); kontrollerna gäller körningen som publicerade.",
            "en": "Published {published} (Swedish time); the checks are those of the publishing run.",
        },
        "dq_checks_passed_of": {
            "sv": "{passed} av {total} godkända",
            "en": "{passed} of {total} passed",
        },
        "dq_failed_n": {"sv": "{n} underkända", "en": "{n} failed"},
        "dq_all_passed": {"sv": "alla godkända", "en": "all passed"},
        "dq_quarantined_rows": {"sv": "Rader i karantän", "en": "Rows in quarantine"},
        "dq_open_file_errors": {"sv": "Olösta filfel", "en": "Open file errors"},
        "dq_tab_runs": {"sv": "Körningar", "en": "Runs"},
        "dq_tab_freshness": {"sv": "Färskhet per källa", "en": "Freshness per source"},
        "dq_tab_checks": {"sv": "GX- och dbt-kontroller", "en": "GX and dbt checks"},
        "dq_tab_quarantine": {"sv": "Karantän", "en": "Quarantine"},
        "dq_tab_file_errors": {"sv": "Filfel", "en": "File errors"},
        "dq_tab_reconciliation": {
            "sv": "Avstämning mot publicerat",
            "en": "Reconciliation to published",
        },
        "dq_runs_from_checks": {
            "sv": "`ops.pipeline_runs` finns inte i ögonblicksbilden; körningarna nedan är härledda ur kontrollresultaten och publiceringsloggen.",
            "en": "`ops.pipeline_runs` is not in the snapshot; the runs below are derived from the check results and the publish log.",
        },
        "dq_first_check": {"sv": "Första kontroll", "en": "First check"},
        "dq_last_check": {"sv": "Sista kontroll", "en": "Last check"},
        "dq_checks": {"sv": "Kontroller", "en": "Checks"},
        "dq_failed": {"sv": "underkänd", "en": "failed"},
        "dq_passed": {"sv": "godkänd", "en": "passed"},
        "dq_failed_blocking": {"sv": "Blockerande fel", "en": "Blocking failures"},
        "dq_status": {"sv": "Status", "en": "Status"},
        "dq_status_published": {"sv": "publicerad", "en": "published"},
        "dq_status_blocked": {"sv": "stoppad av kontroll", "en": "stopped by a check"},
        "dq_status_not_published": {"sv": "ej publicerad", "en": "not published"},
        "dq_source": {"sv": "Källa (tabell)", "en": "Source (table)"},
        "dq_active_files": {"sv": "Aktiva filer", "en": "Active files"},
        "dq_superseded_files": {"sv": "Ersatta filer", "en": "Superseded files"},
        "dq_rows_read": {"sv": "Rader lästa", "en": "Rows read"},
        "dq_rows_quarantined": {"sv": "Rader i karantän", "en": "Rows quarantined"},
        "dq_periods": {"sv": "Perioder", "en": "Periods"},
        "dq_last_loaded": {"sv": "Senast laddad", "en": "Last loaded"},
        "dq_age_hours": {"sv": "Ålder (timmar)", "en": "Age (hours)"},
        "dq_freshness_help": {
            "sv": "Ålder = tid från senaste laddningen till publiceringen av ögonblicksbilden.",
            "en": "Age = time from the last load to the publication of the snapshot.",
        },
        "dq_landed_files": {"sv": "Alla landade filer", "en": "All landed files"},
        "dq_check_source": {"sv": "Källa", "en": "Source"},
        "dq_all": {"sv": "Alla", "en": "All"},
        "dq_failed_only": {"sv": "Bara underkända", "en": "Failed only"},
        "dq_all_runs": {"sv": "Alla körningar", "en": "All runs"},
        "dq_search_checks": {
            "sv": "Sök kontroll, tillgång eller kolumn",
            "en": "Search check, asset or column",
        },
        "dq_result": {"sv": "Resultat", "en": "Result"},
        "dq_severity": {"sv": "Allvarlighet", "en": "Severity"},
        "dq_asset": {"sv": "Tillgång", "en": "Asset"},
        "dq_check": {"sv": "Kontroll", "en": "Check"},
        "dq_expectation": {"sv": "Förväntan", "en": "Expectation"},
        "dq_column": {"sv": "Kolumn", "en": "Column"},
        "dq_unexpected": {"sv": "Avvikande / rader", "en": "Unexpected / rows"},
        "dq_samples": {"sv": "Exempel", "en": "Samples"},
        "dq_checked_at": {"sv": "Kontrollerad", "en": "Checked"},
        "dq_rows_shown": {"sv": "{n} rader.", "en": "{n} rows."},
        "dq_stage": {"sv": "Steg", "en": "Stage"},
        "dq_files": {"sv": "Filer", "en": "Files"},
        "dq_last_quarantined": {"sv": "Senast", "en": "Latest"},
        "dq_search_quarantine": {
            "sv": "Sök i orsak, fil eller värde",
            "en": "Search reason, file or value",
        },
        "dq_file": {"sv": "Fil", "en": "File"},
        "dq_row": {"sv": "Rad", "en": "Row"},
        "dq_value": {"sv": "Värde", "en": "Value"},
        "dq_reason": {"sv": "Orsak och åtgärd", "en": "Reason and what to do"},
        "dq_no_file_errors": {"sv": "Inga filfel.", "en": "No file errors."},
        "dq_recon_lines": {"sv": "Rader", "en": "Lines"},
        "dq_recon_equal": {"sv": "Lika", "en": "Equal"},
        "dq_recon_known": {"sv": "Kända fel i källan", "en": "Known source errors"},
        "dq_recon_unexplained": {"sv": "Oförklarade skillnader", "en": "Unexplained differences"},
        "dq_recon_differences_only": {
            "sv": "Bara skillnader och kända fel",
            "en": "Differences and known errors only",
        },
        "dq_recon_source": {"sv": "Publicerad tabell", "en": "Published table"},
        "dq_recon_line": {"sv": "Rad", "en": "Line"},
        "dq_recon_published": {"sv": "Publicerat (tkr)", "en": "Published (kSEK)"},
        "dq_recon_warehouse": {"sv": "Lagret (tkr)", "en": "Warehouse (kSEK)"},
        "dq_recon_difference": {"sv": "Skillnad (tkr)", "en": "Difference (kSEK)"},
        "dq_recon_inconsistency": {"sv": "Känt fel i källan", "en": "Known source error"},
        "dq_recon_explained": {"sv": "Förklarad", "en": "Explained"},
        "dq_reconciliation_help": {
            "sv": "Lagrets siffror mot stadens tryckta siffror (referenspaketet); kända fel i källorna visas som namngivna rader med sin differens.",
            "en": "The warehouse's figures against the city's printed figures (its reference pack); known errors of the sources are named lines with their difference.",
        },
        "dq_no_reference_pack": {
            "sv": "Inget referenspaket levererat: staden har inga tryckta siffror att stämma av mot (reference/published_figures.csv, se docs/input-formats.md).",
            "en": "No reference pack delivered: the city has no printed figures to reconcile with (reference/published_figures.csv, see docs/input-formats.md).",
        },
        "dq_recon_not_in_plan": {"sv": "Ej i planen", "en": "Not in the plan"},
    }
)


# The month close (Månadsbokslut) and the close section of Min organisation.
STRINGS.update(
    {
        "page_month_close": {"sv": "Månadsbokslut", "en": "Month close"},
        "page_month_close_title": {"sv": "Månadsbokslut", "en": "Month close"},
        "close_role_only": {
            "sv": "Månadsbokslutet visas för ledning och dataingenjörer.",
            "en": "The month close is shown to management and data engineers.",
        },
        "month_close_intro": {
            "sv": 'En stängd månads debiteringar ändras aldrig; en senare rättelse bokas som omföring i första öppna månad. Stäng med `fordela close ÅÅÅÅ-MM`, öppna igen med `fordela reopen ÅÅÅÅ-MM --reason "..."`.',
            "en": 'A closed month\'s charges never change; a later correction is booked as a restatement in the first open month. Close with `fordela close YYYY-MM`, reopen with `fordela reopen YYYY-MM --reason "..."`.',
        },
        "close_months_closed": {"sv": "Stängda månader", "en": "Months closed"},
        "close_latest_closed": {"sv": "Senast stängd", "en": "Latest closed"},
        "close_pending_restatements": {"sv": "Väntande omföringar", "en": "Pending restatements"},
        "close_pending_help": {
            "sv": "Rättelser av stängda månader som bokas när nästa öppna månad stängs.",
            "en": "Corrections of closed months, booked when the next open month is closed.",
        },
        "close_reopens": {"sv": "Återöppningar", "en": "Reopens"},
        "close_tab_months": {"sv": "Månader", "en": "Months"},
        "close_tab_restatements": {"sv": "Omföringar", "en": "Restatements"},
        "close_tab_export": {"sv": "Internfakturor (SIE)", "en": "Internal invoices (SIE)"},
        "close_tab_audit": {"sv": "Logg", "en": "Audit log"},
        "close_status": {"sv": "Status", "en": "Status"},
        "close_status_closed": {"sv": "stängd", "en": "closed"},
        "close_status_open": {"sv": "öppen", "en": "open"},
        "close_closed_by": {"sv": "Stängd av", "en": "Closed by"},
        "close_closed_at": {"sv": "Stängd", "en": "Closed at"},
        "close_charged": {"sv": "Debiterat", "en": "Charged"},
        "close_restatements_in": {
            "sv": "Omföringar bokade i månaden",
            "en": "Restatements booked in it",
        },
        "close_restated_later": {"sv": "Omföringar av månaden", "en": "Restatements of it"},
        "close_reopened": {"sv": "Återöppnad", "en": "Reopened"},
        "close_reopen_reason": {"sv": "Skäl (senaste)", "en": "Reason (latest)"},
        "close_exported_at": {"sv": "Exporterad", "en": "Exported"},
        "close_months_help": {
            "sv": "Debiterat = månadens debiteringar som de bokats; omföringar av en stängd månad bokas i första öppna månad efter den.",
            "en": "Charged = the month's charges as booked; restatements of a closed month are booked in the first open month after it.",
        },
        "close_no_restatements": {"sv": "Inga omföringar.", "en": "No restatements."},
        "close_booked_in": {"sv": "Bokas i", "en": "Booked in"},
        "close_restated_month": {"sv": "Avser", "en": "Restates"},
        "close_state": {"sv": "Läge", "en": "State"},
        "close_booked": {"sv": "bokförd", "en": "booked"},
        "close_pending": {"sv": "väntar", "en": "pending"},
        "close_cause": {"sv": "Orsak", "en": "Cause"},
        "close_restatements_help": {
            "sv": "Omföring = månaden som den vore nu minus det som stängdes minus tidigare omföringar; orsaken är de indata som ändrats sedan bokslutet.",
            "en": "Restatement = the month as it would be now minus what was closed minus earlier restatements; the cause is the inputs changed since the close.",
        },
        "close_nothing_closed": {
            "sv": "Ingen månad är stängd än.",
            "en": "No month is closed yet.",
        },
        "close_export_missing": {
            "sv": "Exporten för {month} finns inte i exportmappen; skriv den igen med `fordela export {month}`.",
            "en": "The export of {month} is not in the exports folder; write it again with `fordela export {month}`.",
        },
        "close_download_sie": {"sv": "Ladda ned {name} (SIE 4I)", "en": "Download {name} (SIE 4I)"},
        "close_invoice_basis_files": {
            "sv": "Fakturaunderlag per organisation ({n} st, CSV och Excel)",
            "en": "Invoice basis per organisation ({n}, CSV and Excel)",
        },
        "close_export_lines": {"sv": "Exportens rader", "en": "The export's lines"},
        "close_export_lines_help": {
            "sv": "{n} rader i {vouchers} verifikationer.",
            "en": "{n} lines in {vouchers} vouchers.",
        },
        "col_voucher_number": {"sv": "Verifikation", "en": "Voucher"},
        "col_line_kind": {"sv": "Radtyp", "en": "Line kind"},
        "col_restated_month": {"sv": "Avser månad", "en": "Restates month"},
        "col_consumer_org_code": {"sv": "Organisationskod", "en": "Organisation code"},
        "col_consumer_cost_centre_code": {"sv": "Kostnadsställe", "en": "Cost centre"},
        "col_service_name_sv": {"sv": "Tjänst", "en": "Service"},
        "col_activity_code": {"sv": "Verksamhet", "en": "Activity"},
        "col_debit_account": {"sv": "Debetkonto", "en": "Debit account"},
        "col_credit_account": {"sv": "Kreditkonto", "en": "Credit account"},
        "col_credit_cost_centre_code": {"sv": "Kreditansvar", "en": "Credit cost centre"},
        "col_amount_sek": {"sv": "Belopp", "en": "Amount"},
        "col_cause_sv": {"sv": "Orsak", "en": "Cause"},
        "col_cause_en": {"sv": "Orsak", "en": "Cause"},
        "close_acted_at": {"sv": "Tidpunkt", "en": "When"},
        "close_action": {"sv": "Åtgärd", "en": "Action"},
        "close_action_close": {"sv": "stängd", "en": "closed"},
        "close_action_reopen": {"sv": "återöppnad", "en": "reopened"},
        "close_action_export": {"sv": "exporterad", "en": "exported"},
        "close_acted_by": {"sv": "Av", "en": "By"},
        "close_reason": {"sv": "Skäl", "en": "Reason"},
        "close_my_section": {"sv": "Bokslut och omföringar", "en": "Close and restatements"},
        "close_my_month_closed": {
            "sv": "{month} är stängd ({by}, {at}); debiteringarna är bokade och ändras inte.",
            "en": "{month} is closed ({by}, {at}); the charges are booked and do not change.",
        },
        "close_my_month_open": {
            "sv": "{month} är öppen: debiteringarna kan ändras tills månaden stängs.",
            "en": "{month} is open: the charges can change until the month is closed.",
        },
        "close_my_restatements": {
            "sv": "Omföringar för organisationen",
            "en": "The organisation's restatements",
        },
        "close_my_lines": {
            "sv": "Internfakturans rader {month}",
            "en": "Internal invoice lines {month}",
        },
        "close_my_no_lines": {
            "sv": "{month} är inte stängd; internfakturan skrivs när månaden stängs.",
            "en": "{month} is not closed; the internal invoice is written when the month is closed.",
        },
    }
)


def current_language() -> Lang:
    """The language chosen in the sidebar for this session (Swedish until changed)."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return cast(Lang, lang) if lang in LANGUAGES else DEFAULT_LANG


def t(key: str, lang: Lang | None = None, **values: Any) -> str:
    """The UI string `key` in `lang` (default: the session's language), with {placeholders} filled."""
    entry = STRINGS[key]
    text = entry[lang or current_language()]
    return text.format(**values) if values else text


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


def t_optional(key: str, fallback: str, lang: Lang | None = None) -> str:
    """The UI string `key` when there is one, else `fallback` (names the data brings along)."""
    return t(key, lang) if key in STRINGS else fallback


def t_method(method: str | None, lang: Lang | None = None) -> str:
    """An allocation method's name (fixed_key -> Fast fördelningsnyckel)."""
    if not method:
        return "–"
    return t_optional(f"method_{method}", method, lang)
