"""Tjänster / Services: one service's cost over time, unit cost and price, volume, allocation,
consumers, price settlement and history (renames, moves)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.lib import charts, filters, queries, ui
from dashboards.lib.auth import require_principal
from dashboards.lib.format import (
    Unit,
    format_amount,
    format_date,
    format_month,
    format_number,
    format_share,
    format_signed_amount,
    format_unit_price,
    to_decimal,
    unit_label,
)
from dashboards.lib.i18n import current_language, t, t_method, t_optional
from dashboards.lib.queries import OUTCOME

principal = require_principal()
lang = current_language()
unit: Unit = "sek" if filters.current_unit() == "sek" else "tkr"


def amount(value: object) -> str:
    return format_amount(to_decimal(value), unit, lang)  # type: ignore[arg-type]


def t_price_source(source: object, year: int) -> str:
    """Where a year's price-list price comes from, in words (fct_price_settlement.price_source)."""
    if source == "delivered":
        return t("price_source_delivered")
    if source == "carried":
        return t("price_source_carried", previous=year - 1)
    return "–"


st.title(t("page_services_title"))

contexts = queries.year_contexts(principal)
years = sorted(contexts)
if not years:
    st.info(t("no_cost_rows"))
    st.stop()
year_col, service_col = st.columns([1, 3])
year = filters.select(
    "year",
    t("fiscal_year"),
    years,
    default=queries.default_fiscal_year(years, contexts),
    container=year_col,
)
assert year is not None
ctx = contexts[year]
catalogue = queries.service_catalogue(principal, year)
if catalogue.empty:
    st.info(t("no_rows"))
    st.stop()
labels = {
    str(r.service_id): f"{r.service_area_name_sv or '–'} · {r.service_name_sv}"
    for r in catalogue.itertuples(index=False)
}
service_id = filters.select(
    "service",
    t("col_service"),
    list(labels),
    format_func=lambda s: labels.get(s, s),
    container=service_col,
)
assert service_id is not None
service = catalogue[catalogue["service_id"] == service_id].iloc[0]
versions = queries.service_versions(principal, service_id)

st.subheader(f"{service['service_name_sv']} ({service_id})")
current = versions.iloc[-1] if len(versions) else None
facts = [
    t("service_fact_area", area=service["service_area_name_sv"] or "–"),
    t("service_fact_cost_type", cost_type=t(f"cost_type_{service['cost_type']}"))
    if service["cost_type"] in ("maintenance", "development")
    else "",
]
if current is not None and isinstance(current["former_name_sv"], str) and current["former_name_sv"]:
    facts.append(t("service_fact_former", name=current["former_name_sv"]))
st.caption(" · ".join(f for f in facts if f))

# --- Key figures and allocation ------------------------------------------------------------------

monthly = queries.service_cost_monthly(principal, service_id)
budget = ctx.budget
through = ctx.last_outcome_month
# The key figures are columns of rpt_cost_vs_budget_monthly (the service's outcome row of the
# last month with outcome, and its budget row); the page formats them.
figures = queries.lines_to_date(
    principal,
    year,
    [s for s in (OUTCOME, budget.scenario if budget else None) if s],
    through,
    line_level="service",
    line_key=str(service_id),
)
outcome_row = figures[figures["scenario"] == OUTCOME]
budget_row = figures[figures["scenario"] == (budget.scenario if budget else "")]
outcome_to_date = to_decimal(outcome_row["amount_ytd_sek"].iloc[0]) if len(outcome_row) else None
variance_to_date = (
    to_decimal(outcome_row["variance_ytd_sek"].iloc[0]) if len(outcome_row) and budget else None
)
budget_year = to_decimal(budget_row["amount_year_sek"].iloc[0]) if len(budget_row) else None
cols = st.columns(3)
cols[0].metric(
    t("metric_outcome_through", month=format_month(through, lang))
    if through
    else t("metric_outcome_to_date"),
    amount(outcome_to_date) if through else "–",
    delta=format_signed_amount(variance_to_date, unit, lang)
    if variance_to_date is not None and through
    else None,
    delta_color="inverse",
    border=True,
)
cols[1].metric(
    t("metric_budget_year", version=budget.plan_version if budget else "–"),
    amount(budget_year),
    border=True,
)

rules = queries.service_rules(principal, service_id, year)
plan_rule = rules[rules["scenario"] == budget.scenario] if budget else rules.iloc[0:0]
rule = plan_rule.iloc[0] if len(plan_rule) else (rules.iloc[0] if len(rules) else None)
consumers_count = int(rule["consumer_orgs"]) if rule is not None else 0
cols[2].metric(t("col_org_count"), str(consumers_count), border=True, help=t("consumers_help"))
plan_labels = {
    v.scenario: v.plan_version for v in (*ctx.plans, *([ctx.outcome] if ctx.outcome else []))
}
if rule is not None:
    st.markdown(
        t(
            "allocation_line",
            version=plan_labels.get(str(rule["scenario"]), str(rule["scenario"])),
            method=t_method(rule["allocation_method"]),
            driver=rule["driver_code"] if isinstance(rule["driver_code"], str) else "–",
            rule=rule["rule_id"],
        ),
        help=t("driver_help"),
    )
settlements = queries.price_settlements(principal, service_id)
charged_price = settlements[settlements["fiscal_year"] == year]
if len(charged_price):
    price_row = charged_price.iloc[0]
    st.markdown(
        t(
            "price_line",
            year=year,
            price=format_unit_price(price_row["unit_price_sek"], lang),
            source=t_price_source(price_row["price_source"], year),
        ),
        help=t("price_source_help"),
    )
rules_table = pd.DataFrame(
    {
        t("plan_version"): [plan_labels.get(s, s) for s in rules["scenario"]],
        t("col_method"): [t_method(m) for m in rules["allocation_method"]],
        t("col_driver"): rules["driver_code"].fillna("–"),
        t("col_rule"): rules["rule_id"],
        t("col_org_count"): [str(n) for n in rules["consumer_orgs"]],
        t("col_cost_centre_count"): [str(n) for n in rules["consumer_cost_centres"]],
    }
)
with st.expander(t("allocation_rules"), expanded=False):
    ui.show_table(
        rules_table,
        rules.assign(fiscal_year=year),
        f"fordelningsregler_{service_id}_{year}",
        key="service_rules",
    )

# --- Cost over time ------------------------------------------------------------------------------

st.subheader(t("cost_over_time"))
budget_scenarios = {y: c.budget.scenario for y, c in contexts.items() if c.budget}
over_time = []
for r in monthly.itertuples(index=False):
    if r.scenario == OUTCOME:
        key = "outcome"
    elif budget_scenarios.get(int(r.fiscal_year)) == r.scenario:
        key = "budget"
    else:
        continue
    over_time.append(
        {
            "month": pd.Timestamp(r.period_month),
            "month_text": format_month(r.period_month, lang),
            "series": key,
            "series_label": t(f"series_{key}"),
            "value": ui.chart_value(r.amount_sek, unit),
            "value_text": amount(r.amount_sek),
        }
    )
if over_time:
    st.altair_chart(
        charts.monthly_lines(
            pd.DataFrame(over_time),
            value_title=t("chart_amount", unit=unit_label(unit, lang)),
            series_title=t("chart_scenario"),
            month_title=t("col_month"),
            lang=lang,
            series=[("budget", "budget"), ("outcome", "outcome")],
            dashed=("budget",),
            height=260,
        ),
        width="stretch",
    )
yearly = queries.service_cost_years(principal, service_id)
all_versions = {
    (c.fiscal_year, v.scenario): v.plan_version
    for c in contexts.values()
    for v in (*c.plans, *([c.outcome] if c.outcome else []))
}
yearly_table = pd.DataFrame(
    {
        t("fiscal_year"): [str(y) for y in yearly["fiscal_year"]],
        t("plan_version"): [
            all_versions.get((int(y), s), s)
            for y, s in zip(yearly["fiscal_year"], yearly["scenario"], strict=True)
        ],
        t("col_amount"): [amount(v) for v in yearly["amount_sek"]],
    }
)
ui.show_table(
    yearly_table,
    yearly.assign(service_id=service_id),
    f"kostnad_per_ar_{service_id}",
    key="service_years",
    right=[t("col_amount")],
)

# --- Volume, unit cost and unit price ------------------------------------------------------------

volumes = queries.service_volume_monthly(principal, service_id)
has_volume = (
    volumes["driver_volume"].map(lambda v: v is not None and not pd.isna(v) and v != 0).any()
)
st.subheader(t("unit_cost_and_price"))
if not has_volume:
    st.caption(t("no_driver_volume"))
else:
    # Every figure is a column of rpt_service_unit_cost_monthly; the page pairs each outcome
    # month with the same month of the year's budget and formats.
    plan_by_month = {
        r.period_month: r
        for r in volumes.itertuples(index=False)
        if budget_scenarios.get(int(r.fiscal_year)) == r.scenario
    }
    unit_rows = []
    for r in volumes[volumes["scenario"] == OUTCOME].itertuples(index=False):
        plan = plan_by_month.get(r.period_month)
        unit_rows.append(
            {
                "period_month": r.period_month,
                "fiscal_year": r.fiscal_year,
                "outcome_volume": to_decimal(r.driver_volume),
                "planned_volume_per_month": to_decimal(plan.volume_per_month)
                if plan is not None
                else None,
                "cost_sek": to_decimal(r.cost_sek),
                "charged_sek": to_decimal(r.charged_sek),
                "unit_cost_sek": to_decimal(r.unit_cost_sek),
                "unit_price_sek": to_decimal(r.unit_price_sek),
                "price_source": r.price_source if isinstance(r.price_source, str) else None,
                "plan_unit_price_sek": to_decimal(plan.unit_price_sek)
                if plan is not None
                else None,
                "consumer_orgs": r.consumer_orgs,
            }
        )
    unit_frame = pd.DataFrame(unit_rows)
    left, right = st.columns(2)
    price_points = []
    volume_points = []
    for r in unit_rows:
        month = pd.Timestamp(r["period_month"])
        text = format_month(r["period_month"], lang)
        for key, value in (
            ("unit_cost", r["unit_cost_sek"]),
            ("unit_price", r["unit_price_sek"] or r["plan_unit_price_sek"]),
        ):
            if value is not None:
                price_points.append(
                    {
                        "month": month,
                        "month_text": text,
                        "series": key,
                        "series_label": t(f"series_{key}"),
                        "value": float(value),
                        "value_text": format_unit_price(value, lang),
                    }
                )
        for key, value in (
            ("outcome", r["outcome_volume"]),
            ("budget", r["planned_volume_per_month"]),
        ):
            if value is not None:
                volume_points.append(
                    {
                        "month": month,
                        "month_text": text,
                        "series": key,
                        "series_label": t(f"series_volume_{key}"),
                        "value": float(value),
                        "value_text": format_number(value, lang),
                    }
                )
    with left:
        st.markdown(f"**{t('unit_cost_vs_price')}**")
        if price_points:
            st.altair_chart(
                charts.monthly_lines(
                    pd.DataFrame(price_points),
                    value_title=t("chart_sek_per_unit"),
                    series_title=t("chart_series"),
                    month_title=t("col_month"),
                    lang=lang,
                    series=[("unit_cost", "unit_cost"), ("unit_price", "unit_price")],
                    height=240,
                ),
                width="stretch",
            )
    with right:
        st.markdown(
            f"**{t('volume_trend', driver=rule['driver_code'] if rule is not None else '')}**"
        )
        if volume_points:
            st.altair_chart(
                charts.monthly_lines(
                    pd.DataFrame(volume_points),
                    value_title=t("col_volume"),
                    series_title=t("chart_series"),
                    month_title=t("col_month"),
                    lang=lang,
                    series=[("budget", "budget"), ("outcome", "outcome")],
                    dashed=("budget",),
                    height=240,
                ),
                width="stretch",
            )
    unit_table = pd.DataFrame(
        {
            t("col_month"): [format_month(m, lang) for m in unit_frame["period_month"]],
            t("col_volume"): [format_number(v, lang) for v in unit_frame["outcome_volume"]],
            t("col_cost"): [amount(v) for v in unit_frame["cost_sek"]],
            t("col_unit_cost"): [format_unit_price(v, lang) for v in unit_frame["unit_cost_sek"]],
            t("col_unit_price"): [
                format_unit_price(p if p is not None else q, lang)
                for p, q in zip(
                    unit_frame["unit_price_sek"], unit_frame["plan_unit_price_sek"], strict=True
                )
            ],
        }
    )
    with st.expander(t("unit_table"), expanded=False):
        ui.show_table(
            unit_table,
            unit_frame.assign(service_id=service_id),
            f"enhetskostnad_{service_id}",
            key="service_units",
            right=[t("col_volume"), t("col_cost"), t("col_unit_cost"), t("col_unit_price")],
        )
    st.caption(t("unit_cost_help"))

# --- Who consumes it -----------------------------------------------------------------------------

st.subheader(t("who_consumes", year=year))
if principal.is_restricted:
    st.caption(t("restricted_orgs", orgs=", ".join(principal.org_list)))
consumers = queries.service_consumers(
    principal, service_id, year, budget.scenario if budget else None
)
group_labels = queries.org_group_labels(principal, lang)
consumers_table = pd.DataFrame(
    {
        t("col_org_code"): consumers["org_code"],
        t("col_org_name"): consumers["org_name"],
        t("col_org_group"): [
            group_labels.get(g, g) if isinstance(g, str) else "–" for g in consumers["org_group"]
        ],
        t("col_outcome_year"): [amount(v) for v in consumers["outcome_sek"]],
        t("col_budget_year"): [amount(v) for v in consumers["budget_sek"]],
        t("col_volume"): [format_number(v, lang) for v in consumers["outcome_volume"]],
        t("col_cost_centre_count"): [str(n) for n in consumers["cost_centres"]],
    }
)
ui.show_table(
    consumers_table,
    consumers.assign(service_id=service_id, fiscal_year=year),
    f"konsumenter_{service_id}_{year}",
    key="service_consumers",
    right=[
        t("col_outcome_year"),
        t("col_budget_year"),
        t("col_volume"),
        t("col_cost_centre_count"),
    ],
)

# --- Price settlement ----------------------------------------------------------------------------

st.subheader(t("price_settlement"))
if settlements.empty:
    st.caption(t("no_price_settlement"))
else:
    settlement_table = pd.DataFrame(
        {
            t("fiscal_year"): [str(y) for y in settlements["fiscal_year"]],
            t("col_driver"): settlements["driver_code"].fillna("–"),
            t("col_unit_price"): [
                format_unit_price(v, lang) for v in settlements["unit_price_sek"]
            ],
            t("col_price_source"): [
                t_price_source(v, int(y))
                for v, y in zip(
                    settlements["price_source"], settlements["fiscal_year"], strict=True
                )
            ],
            t("col_cost"): [amount(v) for v in settlements["cost_sek"]],
            t("col_charged"): [amount(v) for v in settlements["charged_sek"]],
            t("col_surplus_deficit"): [
                format_signed_amount(to_decimal(v), unit, lang)
                for v in settlements["surplus_deficit_sek"]
            ],
            t("col_carried_to"): [
                str(int(y)) if not pd.isna(y) else "–" for y in settlements["carried_to_year"]
            ],
            t("col_next_price"): [
                format_unit_price(v, lang) for v in settlements["next_year_unit_price_sek"]
            ],
            t("col_next_price_delivered"): [
                format_unit_price(v, lang)
                for v in settlements["next_year_published_unit_price_sek"]
            ],
        }
    )
    ui.show_table(
        settlement_table,
        settlements,
        f"prisavrakning_{service_id}",
        key="service_settlement",
        right=[
            t("col_unit_price"),
            t("col_cost"),
            t("col_charged"),
            t("col_surplus_deficit"),
            t("col_next_price"),
            t("col_next_price_delivered"),
        ],
    )
    st.caption(t("price_settlement_help"))

# --- History -------------------------------------------------------------------------------------

st.subheader(t("service_history"))
history_table = pd.DataFrame(
    {
        t("col_valid_from"): [format_date(d, lang, "short") for d in versions["valid_from"]],
        t("col_valid_to"): [
            format_date(d, lang, "short") if d is not None and not pd.isna(d) else t("still_valid")
            for d in versions["valid_to"]
        ],
        t("col_service"): versions["service_name_sv"],
        t("col_former_name"): versions["former_name_sv"].fillna("–"),
        t("col_service_area"): versions["service_area_name_sv"].fillna("–"),
        t("col_comment"): versions["comment_sv"].fillna("–"),
    }
)
ui.show_table(history_table, versions, f"historik_{service_id}", key="service_history")
if len(versions) > 1:
    changes = []
    for before, after in zip(
        versions.iloc[:-1].itertuples(), versions.iloc[1:].itertuples(), strict=True
    ):
        if before.service_name_sv != after.service_name_sv:
            changes.append(
                t(
                    "history_renamed",
                    old=before.service_name_sv,
                    new=after.service_name_sv,
                    date=format_date(after.valid_from, lang),
                )
            )
        if before.service_area_code != after.service_area_code:
            changes.append(
                t(
                    "history_moved",
                    old=before.service_area_name_sv or "–",
                    new=after.service_area_name_sv or "–",
                    date=format_date(after.valid_from, lang),
                )
            )
    for change in changes:
        st.markdown(f"- {change}")
lineage = queries.service_lineage(principal, service_id)
if not lineage.empty:
    st.markdown(f"**{t('like_for_like')}**")
    lineage_table = pd.DataFrame(
        {
            t("lineage_from"): [
                f"{n or s} ({s})"
                for s, n in zip(lineage["service_id"], lineage["service_name_sv"], strict=True)
            ],
            t("lineage_to"): [
                f"{n or s} ({s})"
                for s, n in zip(
                    lineage["comparable_service_id"],
                    lineage["comparable_service_name_sv"],
                    strict=True,
                )
            ],
            t("lineage_relation"): [
                t_optional(f"relation_{r}", str(r)) for r in lineage["relation"]
            ],
            t("lineage_weight"): [format_share(w, lang) for w in lineage["weight"]],
        }
    )
    ui.show_table(
        lineage_table,
        lineage,
        f"jamforbarhet_{service_id}",
        key="service_lineage",
        right=[t("lineage_weight")],
    )
like_for_like = queries.service_like_for_like(principal, service_id)
if not like_for_like.empty:
    own = like_for_like
    lfl_table = pd.DataFrame(
        {
            t("fiscal_year"): [str(y) for y in own["fiscal_year"]],
            t("plan_version"): own["plan_version"],
            t("lfl_amount"): [amount(v) for v in own["amount_sek"]],
            t("lfl_own_amount"): [amount(v) for v in own["own_amount_sek"]],
        }
    )
    st.markdown(f"**{t('lfl_heading')}**")
    ui.show_table(
        lfl_table,
        own,
        f"jamforbart_per_ar_{service_id}",
        key="service_like_for_like",
        right=[t("lfl_amount"), t("lfl_own_amount")],
    )
    st.caption(t("lfl_help"))

ui.snapshot_source_caption(ui.snapshot_modified_at(), lang)
