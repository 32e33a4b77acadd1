"""Budget per tjänsteområde och organisation: one plan version, by service area, group and organisation."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboards.lib import charts, filters, queries, ui
from dashboards.lib.auth import require_principal
from dashboards.lib.format import Unit, format_amount, format_share, to_decimal, unit_label
from dashboards.lib.i18n import current_language, t

principal = require_principal()
lang = current_language()

st.title(t("page_budget"))

versions = queries.plan_versions(principal)
if not versions:
    st.info(t("no_plan_versions"))
    st.stop()

by_label = {v.plan_version: v for v in versions}
default = queries.default_plan_version(versions)
labels = list(by_label)
left, _ = st.columns([2, 1])
with left:
    chosen_label = st.selectbox(
        t("plan_version"),
        labels,
        index=labels.index(default.plan_version) if default else 0,
        key="budget_plan_version",
    )
# Kronor or tkr: the one switch in the sidebar, the same on every page.
unit: Unit = "sek" if filters.current_unit() == "sek" else "tkr"
version = by_label[chosen_label]
file_stem = version.plan_version.replace(" ", "_").lower()


def amount_text(value: Decimal | float | None) -> str:
    return format_amount(value, unit, lang)


# --- Key figures (city-wide) ---------------------------------------------------------------------

# Every figure is a column of rpt_budget_area_total_year (the year's row and one row per line).
areas = queries.budget_by_area(principal, version.fiscal_year, version.scenario)
totals = queries.budget_area_totals(principal, version.fiscal_year, version.scenario)
year_rows = totals[totals["line_level"] == "year"]
year_row = year_rows.iloc[0] if len(year_rows) else None
line_rows = totals[totals["line_level"] == "line"]
area_rows = line_rows[line_rows["is_area_line"]]
other_rows = line_rows[~line_rows["is_area_line"]]
other_names = [str(n) for n in other_rows["line_name_sv"]]


def year_figure(column: str) -> Decimal | None:
    return to_decimal(year_row[column]) if year_row is not None else None


metric_columns = st.columns(4 if not other_rows.empty else 3)
metric_columns[0].metric(t("metric_total"), amount_text(year_figure("total_sek")), border=True)
metric_columns[1].metric(
    t("metric_maintenance"), amount_text(year_figure("maintenance_sek")), border=True
)
metric_columns[2].metric(
    t("metric_development"), amount_text(year_figure("development_sek")), border=True
)
if not other_rows.empty:
    # One such line is named as the city names it (Reglering, Ej fördelat).
    other_label = other_names[0] if len(other_names) == 1 else t("metric_other")
    metric_columns[3].metric(other_label, amount_text(year_figure("other_sek")), border=True)

# --- Per service area ----------------------------------------------------------------------------

st.subheader(t("per_service_area"))
st.caption(t("area_totals_public"))

# Areas in code order, as the city's tables print them; then the lines outside the areas, which
# have an amount but no maintenance/development split ("–": not applicable).
area_table_rows = [
    {
        t("col_service_area"): str(r.line_name_sv),
        t("cost_type_maintenance"): amount_text(to_decimal(r.maintenance_sek)),
        t("cost_type_development"): amount_text(to_decimal(r.development_sek)),
        t("col_total"): amount_text(to_decimal(r.total_sek)),
        t("col_share"): format_share(to_decimal(r.share_of_year), lang),
    }
    for r in (*area_rows.itertuples(index=False), *other_rows.itertuples(index=False))
]
area_table = pd.DataFrame(area_table_rows)
st.dataframe(
    area_table,
    hide_index=True,
    column_config={
        col: st.column_config.TextColumn(col, alignment="right")
        for col in area_table.columns
        if col != t("col_service_area")
    },
)
ui.download_table(
    areas.assign(
        fiscal_year=version.fiscal_year,
        scenario=version.scenario,
        plan_version=version.plan_version,
    )[
        [
            "fiscal_year",
            "scenario",
            "plan_version",
            "service_area_code",
            "service_area_name_sv",
            "cost_type",
            "is_area_line",
            "amount_sek",
        ]
    ],
    f"budget_per_tjansteomrade_{file_stem}",
    key="download_budget_area",
)

area_lines = areas[areas["is_area_line"]]
if not area_lines.empty:
    chart_data = pd.DataFrame(
        {
            "category": area_lines["service_area_name_sv"].astype(str),
            "cost_type": area_lines["cost_type"],
            "cost_type_label": [t(f"cost_type_{ct}") for ct in area_lines["cost_type"]],
            "value": [ui.chart_value(v, unit) for v in area_lines["amount_sek"]],
            "value_text": [amount_text(v) for v in area_lines["amount_sek"]],
        }
    )
    st.altair_chart(
        charts.stacked_bar_by_cost_type(
            chart_data,
            category_title=t("col_service_area"),
            value_title=t("chart_amount", unit=unit_label(unit, lang)),
            cost_type_title=t("chart_cost_type"),
            lang=lang,
        ),
        width="stretch",
    )
    if other_names:
        st.caption(t("chart_caption_other", names=", ".join(other_names)))

# --- Per organisation group ----------------------------------------------------------------------

st.subheader(t("per_org_group"))
if principal.is_restricted:
    st.caption(t("restricted_orgs", orgs=", ".join(principal.org_list)))
groups = queries.budget_by_org_group(principal, version.fiscal_year, version.scenario)
group_labels = queries.org_group_labels(principal, lang)
group_table = pd.DataFrame(
    {
        t("col_org_group"): [group_labels.get(g, g) for g in groups["org_group"]],
        t("col_org_count"): [str(n) for n in groups["org_count"]],
        t("col_amount"): [amount_text(v) for v in groups["amount_sek"]],
        t("col_share"): [format_share(to_decimal(v), lang) for v in groups["share_of_year"]],
    }
)
if not principal.is_restricted:
    # The headline is the year's whole cost; the groups are what organisations were charged.
    # What lies between (the unallocated pool, a price-list deficit or surplus) gets its own
    # line, so the table sums to the headline (rpt_budget_reconciliation_monthly).
    closing = queries.budget_closing_lines(principal, version.fiscal_year, version.scenario)
    extra = [
        (t(f"line_{r.line}") if r.line != "total" else t("col_total"), r)
        for r in closing.itertuples(index=False)
        if r.line == "total" or to_decimal(r.amount_sek)
    ]
    if len(extra) > 1:
        group_table = pd.concat(
            [
                group_table,
                pd.DataFrame(
                    {
                        t("col_org_group"): [label for label, _ in extra],
                        t("col_org_count"): ["–"] * len(extra),
                        t("col_amount"): [amount_text(r.amount_sek) for _, r in extra],
                        t("col_share"): [
                            format_share(to_decimal(r.share_of_year), lang) for _, r in extra
                        ],
                    }
                ),
            ],
            ignore_index=True,
        )
st.dataframe(
    group_table,
    hide_index=True,
    column_config={
        col: st.column_config.TextColumn(col, alignment="right")
        for col in (t("col_org_count"), t("col_amount"), t("col_share"))
    },
)
ui.download_table(
    groups.assign(
        fiscal_year=version.fiscal_year,
        scenario=version.scenario,
        plan_version=version.plan_version,
    )[["fiscal_year", "scenario", "plan_version", "org_group", "org_count", "amount_sek"]],
    f"budget_per_organisationsgrupp_{file_stem}",
    key="download_budget_group",
)

# --- Per organisation ----------------------------------------------------------------------------

st.subheader(t("per_org"))
if principal.is_restricted:
    st.caption(t("restricted_orgs", orgs=", ".join(principal.org_list)))
search_col, group_col = st.columns(2)
with search_col:
    search = st.text_input(t("filter_org"), key="budget_org_search")
with group_col:
    chosen_groups = st.multiselect(
        t("filter_groups"),
        options=list(groups["org_group"]),
        format_func=lambda g: group_labels.get(g, g),
        placeholder=t("filter_groups_placeholder"),
        key="budget_org_groups",
    )
orgs = queries.budget_by_org(
    principal, version.fiscal_year, version.scenario, search=search, org_groups=chosen_groups
)
org_table = pd.DataFrame(
    {
        t("col_org_code"): orgs["org_code"],
        t("col_org_name"): orgs["org_name"],
        t("col_org_group"): [group_labels.get(g, g) for g in orgs["org_group"]],
        t("col_amount"): [amount_text(v) for v in orgs["amount_sek"]],
        t("col_share"): [format_share(to_decimal(v), lang) for v in orgs["share_of_year"]],
    }
)
st.dataframe(
    org_table,
    hide_index=True,
    column_config={
        col: st.column_config.TextColumn(col, alignment="right")
        for col in (t("col_amount"), t("col_share"))
    },
)
st.caption(t("rows_shown", n=len(orgs)))
ui.download_table(
    orgs.assign(
        fiscal_year=version.fiscal_year,
        scenario=version.scenario,
        plan_version=version.plan_version,
    )[
        [
            "fiscal_year",
            "scenario",
            "plan_version",
            "org_code",
            "org_name",
            "org_group",
            "amount_sek",
        ]
    ],
    f"budget_per_organisation_{file_stem}",
    key="download_budget_org",
)

ui.snapshot_source_caption(ui.snapshot_modified_at(), lang)
