"""Översikt / Overview: cost against budget and forecast, year to date and full year, per area."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboards.lib import charts, filters, queries, ui
from dashboards.lib.auth import require_principal
from dashboards.lib.format import (
    Unit,
    format_amount,
    format_month,
    format_share,
    format_signed_amount,
    to_decimal,
    unit_label,
)
from dashboards.lib.i18n import current_language, t
from dashboards.lib.queries import OUTCOME

principal = require_principal()
lang = current_language()
unit: Unit = "sek" if filters.current_unit() == "sek" else "tkr"

st.title(t("page_overview_title"))
st.caption(t("overview_intro"))

contexts = queries.year_contexts(principal)
years = sorted(contexts)
if not years:
    st.info(t("no_cost_rows"))
    st.stop()

year_col, month_col = st.columns(2)
year = filters.select(
    "year",
    t("fiscal_year"),
    years,
    default=queries.default_fiscal_year(years, contexts),
    container=year_col,
)
assert year is not None
ctx = contexts[year]
months = list(ctx.outcome_months)
through = filters.select(
    "month",
    t("through_month"),
    months,
    default=months[-1] if months else None,
    format_func=lambda m: format_month(m, lang),
    encode=filters.month_code,
    container=month_col,
    help=t("through_month_help"),
)
if through is None:
    month_col.caption(t("no_outcome_year", year=year))

budget = ctx.budget
forecast = ctx.forecast
scenarios = [s.scenario for s in (budget, forecast, ctx.outcome) if s is not None]
# Every figure below is a column of a mart (rpt_budget_reconciliation_monthly for the city,
# rpt_cost_vs_budget_monthly per line); the page picks rows and formats.
line_rows = queries.lines_to_date(principal, year, scenarios, through)
city_totals = queries.city_totals_monthly(principal, year, scenarios)


def amount(value: Decimal | None) -> str:
    return format_amount(value, unit, lang)


def year_total(scenario: str | None) -> Decimal | None:
    """A scenario's whole year (through its last month): its last rpt_budget_reconciliation_monthly
    row's total to date."""
    if scenario is None:
        return None
    selected = city_totals[city_totals["scenario"] == scenario]
    return to_decimal(selected["total_ytd_sek"].iloc[-1]) if len(selected) else None


budget_scenario = budget.scenario if budget else None
forecast_scenario = forecast.scenario if forecast else None
outcome_scenario = OUTCOME if ctx.outcome else None

# --- Key figures ---------------------------------------------------------------------------------

computed_forecast = queries.year_end_forecast(principal, year, through) if through else None
# The headline to date and its variance against the year's budget are columns of
# rpt_budget_reconciliation_monthly (outcome row of the chosen month).
to_date = (
    queries.budget_reconciliation(principal, year, OUTCOME, through)
    if through is not None and outcome_scenario
    else None
)
headline = to_date.iloc[0] if to_date is not None and len(to_date) else None
outcome_ytd = to_decimal(headline["total_sek"]) if headline is not None else None
budget_ytd = (
    to_decimal(headline["year_budget_ytd_sek"])
    if headline is not None and budget_scenario
    else None
)
variance = to_decimal(headline["variance_ytd_sek"]) if headline is not None else None
variance_share = to_decimal(headline["variance_ytd_share"]) if headline is not None else None
budget_year = year_total(budget_scenario)
forecast_year = year_total(forecast_scenario)

st.subheader(
    t("to_date_heading", month=format_month(through, lang)) if through else t("full_year_heading")
)
first = st.columns(3)
if through is not None:
    first[0].metric(
        t("metric_outcome_to_date"),
        amount(outcome_ytd),
        delta=format_signed_amount(variance, unit, lang) if budget_ytd is not None else None,
        delta_color="inverse",
        border=True,
        help=t("metric_delta_help"),
    )
    first[1].metric(t("metric_budget_to_date"), amount(budget_ytd), border=True)
    first[2].metric(
        t("metric_variance_to_date"),
        format_signed_amount(variance, unit, lang) if budget_ytd is not None else "–",
        delta=format_share(variance_share, lang) if variance_share is not None else None,
        delta_color="inverse",
        border=True,
    )
second = st.columns(3)
second[0].metric(
    t("metric_budget_year", version=budget.plan_version if budget else "–"),
    amount(budget_year),
    border=True,
)
if forecast is not None:
    second[1].metric(
        t("metric_forecast_year", version=forecast.plan_version), amount(forecast_year), border=True
    )
elif computed_forecast is not None:
    second[1].metric(
        t("metric_computed_forecast"),
        amount(computed_forecast.total),
        border=True,
        help=t("computed_forecast_help"),
    )
else:
    second[1].metric(
        t("metric_forecast_none"),
        "–",
        border=True,
        help=t("no_official_forecast", year=year),
    )
if ctx.outcome_is_complete:
    second[2].metric(t("metric_outcome_year"), amount(year_total(outcome_scenario)), border=True)
elif through is not None and ctx.outcome is not None:
    second[2].metric(t("metric_months_of_outcome"), f"{len(months)} / 12", border=True)

# --- Per service area ----------------------------------------------------------------------------

st.subheader(t("per_service_area"))


def forecast_of_line(line: object) -> Decimal | None:
    """The computed year-end forecast of an area (or of a line outside the areas)."""
    if computed_forecast is None:
        return None
    if getattr(line, "is_area_line", False):
        return computed_forecast.by_area.get(str(getattr(line, "service_area_code", "")))
    return computed_forecast.by_other_line.get(str(getattr(line, "line_name_sv", "")))


def line_value(line_key: str, scenario: str | None, column: str) -> Decimal | None:
    """One column of a line's row in `scenario` (rpt_cost_vs_budget_monthly)."""
    if scenario is None:
        return None
    found = line_rows[(line_rows["line_key"] == line_key) & (line_rows["scenario"] == scenario)]
    return to_decimal(found[column].iloc[0]) if len(found) else None


lines = line_rows.drop_duplicates(["line_key"])[["line_key", "service_area_code", "is_area_line"]]
table_rows = []
export_rows = []
for line in lines.itertuples(index=False):
    name = str(line.line_key)
    to_date_known = through is not None
    b_ytd = line_value(name, budget_scenario, "amount_ytd_sek") if to_date_known else None
    o_ytd = line_value(name, outcome_scenario, "amount_ytd_sek") if to_date_known else None
    b_year = line_value(name, budget_scenario, "amount_year_sek")
    f_year = line_value(name, forecast_scenario, "amount_year_sek")
    diff = line_value(name, outcome_scenario, "variance_ytd_sek") if to_date_known else None
    diff_share = line_value(name, outcome_scenario, "variance_ytd_share") if to_date_known else None
    table_rows.append(
        {
            t("col_service_area"): name,
            t("col_budget_to_date"): amount(b_ytd),
            t("col_outcome_to_date"): amount(o_ytd),
            t("col_variance"): format_signed_amount(diff, unit, lang) if diff is not None else "–",
            t("col_variance_pct"): format_share(diff_share, lang)
            if diff_share is not None
            else "–",
            t("col_budget_year"): amount(b_year),
            **({t("col_forecast_year"): amount(f_year)} if forecast else {}),
            **(
                {t("col_computed_forecast"): amount(forecast_of_line(line))}
                if computed_forecast is not None
                else {}
            ),
        }
    )
    export_rows.append(
        {
            "fiscal_year": year,
            "through_month": through,
            "service_area_code": line.service_area_code,
            "line_name_sv": name,
            "budget_scenario": budget_scenario,
            "budget_to_date_sek": b_ytd,
            "outcome_to_date_sek": o_ytd,
            "variance_to_date_sek": diff,
            "budget_year_sek": b_year,
            "forecast_scenario": forecast_scenario,
            "forecast_year_sek": f_year,
            "computed_forecast_year_sek": forecast_of_line(line),
        }
    )
area_table = pd.DataFrame(table_rows)
ui.show_table(
    area_table,
    pd.DataFrame(export_rows),
    f"oversikt_per_tjansteomrade_{year}",
    key="overview_areas",
    right=[c for c in area_table.columns if c != t("col_service_area")],
)

# --- Monthly trend -------------------------------------------------------------------------------

trend_title, trend_view = st.columns([3, 2], vertical_alignment="bottom")
trend_title.subheader(t("monthly_trend"))
view = trend_view.segmented_control(
    t("chart_view"),
    ["cumulative", "monthly"],
    default="cumulative",
    format_func=lambda v: t(f"chart_view_{v}"),
    key="overview_trend_view",
    label_visibility="collapsed",
)
series = [
    (s, key)
    for s, key in (
        (budget_scenario, "budget"),
        (forecast_scenario, "forecast"),
        (outcome_scenario, "outcome"),
    )
    if s is not None
]
labels = {
    "budget": budget.plan_version if budget else "",
    "forecast": forecast.plan_version if forecast else "",
    "outcome": ctx.outcome.plan_version if ctx.outcome else "",
}
# Year to date month by month (where the lines part is where the year goes off budget), or
# each month: both are columns of rpt_budget_reconciliation_monthly.
monthly = city_totals.assign(
    amount_sek=city_totals["total_sek" if view == "monthly" else "total_ytd_sek"]
)
trend = pd.DataFrame(
    [
        {
            "month": pd.Timestamp(r.period_month),
            "month_text": format_month(r.period_month, lang),
            "series": key,
            "series_label": labels[key],
            "value": ui.chart_value(r.amount_sek, unit),
            "value_text": amount(r.amount_sek),
        }
        for scenario, key in series
        for r in monthly[monthly["scenario"] == scenario].itertuples(index=False)
    ]
)
if not trend.empty:
    st.altair_chart(
        charts.monthly_lines(
            trend,
            value_title=t("chart_amount", unit=unit_label(unit, lang)),
            series_title=t("chart_scenario"),
            month_title=t("col_month"),
            lang=lang,
            series=[("budget", "budget"), ("forecast", "forecast"), ("outcome", "outcome")],
            dashed=("budget", "forecast"),
        ),
        width="stretch",
    )

# --- The largest variances -----------------------------------------------------------------------

st.subheader(t("largest_variances"))
if through is None or budget_scenario is None or outcome_scenario is None:
    st.caption(t("variances_need_outcome"))
else:
    top = queries.largest_variances(principal, through)
    if not top.empty:
        explanations = queries.variance_explanations(
            principal, year, through, budget_scenario, list(top["service_id"]), lang
        )

        def explain_text(service_id: str) -> str:
            found = explanations.get(str(service_id))
            return found.sentence if found is not None else "–"

        texts = [explain_text(s) for s in top["service_id"]]
        top_table = pd.DataFrame(
            {
                t("col_service"): top["service_name_sv"],
                t("col_service_area"): top["service_area_name_sv"].fillna("–"),
                t("col_budget_to_date"): [amount(v) for v in top["budget_sek"]],
                t("col_outcome_to_date"): [amount(v) for v in top["outcome_sek"]],
                t("col_variance"): [
                    format_signed_amount(v, unit, lang) for v in top["variance_sek"]
                ],
            }
        )
        ui.show_table(
            top_table,
            top.assign(
                fiscal_year=year,
                through_month=through,
                explanation=[None if x == "–" else x for x in texts],
                **{
                    f"{name}_effect_sek": [
                        found.components.get(name) if (found := explanations.get(str(s))) else None
                        for s in top["service_id"]
                    ]
                    for name in ("volume", "price", "key", "mix")
                },
            ),
            f"storsta_avvikelser_{year}",
            key="overview_variances",
            right=[t("col_budget_to_date"), t("col_outcome_to_date"), t("col_variance")],
        )
        st.markdown(f"**{t('why_variances')}**")
        for text in texts:
            if text != "–":
                st.markdown(f"- {text}")

# --- Development initiatives at a glance ---------------------------------------------------------

st.subheader(t("initiatives_glance"))
glance = queries.initiatives_summary(principal, year)
glance_cols = st.columns(4)
glance_cols[0].metric(t("metric_initiatives"), str(glance.initiatives), border=True)
glance_cols[1].metric(t("metric_initiative_plan"), amount(glance.plan_sek), border=True)
glance_cols[2].metric(t("metric_initiative_spend"), amount(glance.spend_sek), border=True)
glance_cols[3].metric(
    t("metric_initiative_spend_share"),
    format_share(glance.spend_share, lang) if glance.spend_share is not None else "–",
    border=True,
)
if glance.by_status:
    st.caption(
        " · ".join(f"{status}: {count}" for status, count in sorted(glance.by_status.items()))
    )
st.page_link("app_pages/initiatives.py", label=t("to_initiatives"), icon=":material/arrow_forward:")

ui.snapshot_source_caption(ui.snapshot_modified_at(), lang)
