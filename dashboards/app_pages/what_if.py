"""Simulering / What-if: change a service's key, driver, price, volume or cost and see the impact
per organisation before anything is decided. Computed in memory, never written anywhere."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboards.lib import charts, filters, queries, ui
from dashboards.lib.auth import require_principal
from dashboards.lib.format import (
    Unit,
    format_amount,
    format_share,
    format_signed_amount,
    format_unit_price,
    unit_label,
)
from dashboards.lib.i18n import current_language, t, t_method
from dashboards.lib.whatif import Change

principal = require_principal()
lang = current_language()
unit: Unit = "sek" if filters.current_unit() == "sek" else "tkr"


def amount(value: Decimal | None) -> str:
    return format_amount(value, unit, lang)


st.title(t("page_what_if_title"))
st.info(t("what_if_intro"), icon=":material/science:")

contexts = queries.year_contexts(principal)
years = sorted(y for y, c in contexts.items() if c.plans)
if not years:
    st.info(t("no_plan_versions"))
    st.stop()
year_col, plan_col, service_col = st.columns([1, 1, 2])
year = filters.select(
    "year",
    t("fiscal_year"),
    years,
    default=queries.default_fiscal_year(years, contexts),
    container=year_col,
)
assert year is not None
ctx = contexts[year]
plans = {v.scenario: v.plan_version for v in ctx.plans}
scenario = plan_col.selectbox(
    t("plan_version"),
    list(plans),
    index=list(plans).index(ctx.budget.scenario)
    if ctx.budget and ctx.budget.scenario in plans
    else 0,
    format_func=lambda s: plans[s],
    key="whatif_plan",
)
services = queries.whatif_services(principal, year, scenario)
if services.empty:
    st.info(t("no_rows"))
    st.stop()
names = dict(zip(services["service_id"], services["service_name_sv"], strict=True))
service_id = filters.select(
    "service",
    t("col_service"),
    list(names),
    format_func=lambda s: f"{names.get(s, s)} ({s})",
    container=service_col,
)
assert service_id is not None

base = queries.whatif_base(principal, year, scenario, service_id)
method = base.allocation_method or ""
facts = st.columns([1, 1, 2], vertical_alignment="center")
facts[0].metric(t("whatif_pool", version=plans[scenario]), amount(base.pool_sek), border=True)
facts[1].metric(t("whatif_consumers"), str(base.consumer_count), border=True)
facts[2].markdown(
    t(
        "allocation_line",
        version=plans[scenario],
        method=t_method(method),
        driver=base.driver_code or "–",
        rule=base.rule_id or "–",
    )
    + (
        "  \n" + t("whatif_current_price", price=format_unit_price(base.unit_price_sek, lang))
        if base.unit_price_sek is not None
        else ""
    )
)

# --- The change ----------------------------------------------------------------------------------

st.subheader(t("whatif_change"))
left, right = st.columns(2)
with left:
    basis_options = ["current", "driver", "equal"]
    basis = st.radio(
        t("whatif_basis"),
        basis_options,
        format_func=lambda b: t(f"whatif_basis_{b}"),
        key="whatif_basis",
        horizontal=True,
    )
    driver_code = None
    if basis == "driver":
        drivers = queries.whatif_drivers(principal, year, scenario)
        driver_code = (
            st.selectbox(t("col_driver"), drivers, key="whatif_driver") if drivers else None
        )
    pool_pct = st.number_input(
        t("whatif_pool_change"),
        min_value=-100,
        max_value=500,
        value=0,
        step=1,
        key="whatif_pool_pct",
    )
with right:
    new_price = None
    if method == "price_list" and basis == "current" and base.unit_price_sek is not None:
        price_input = st.number_input(
            t("whatif_unit_price", current=format_unit_price(base.unit_price_sek, lang)),
            min_value=0.0,
            value=float(round(base.unit_price_sek, 2)),
            step=1.0,
            key="whatif_price",
        )
        if Decimal(str(price_input)).quantize(Decimal("0.01")) != base.unit_price_sek.quantize(
            Decimal("0.01")
        ):
            new_price = Decimal(str(price_input))
    volume_orgs = list(base.rows["org_code"])
    volume_pct: dict[str, Decimal] = {}
    if volume_orgs and (basis == "driver" or method in ("driver_share", "price_list")):
        org_names = dict(zip(base.rows["org_code"], base.rows["org_name"], strict=True))
        volume_org = st.selectbox(
            t("whatif_volume_org"),
            volume_orgs,
            format_func=lambda c: f"{c} {org_names.get(c, '')}",
            key="whatif_volume_org",
        )
        change_pct = st.number_input(
            t("whatif_volume_change"),
            min_value=-100,
            max_value=500,
            value=0,
            step=5,
            key="whatif_volume_pct",
        )
        if volume_org and change_pct:
            volume_pct[str(volume_org)] = Decimal(str(change_pct))
    elif method == "fixed_key" and basis == "current":
        st.caption(t("whatif_fixed_key_no_volume"))

change = Change(
    basis=basis,  # type: ignore[arg-type]
    driver_code=driver_code,
    pool_change_pct=Decimal(str(pool_pct)),
    unit_price_sek=new_price,
    volume_change_pct=volume_pct,
)
if basis == "driver" and not driver_code:
    st.info(t("no_rows"))
    st.stop()
result = queries.simulate_service(principal, year, scenario, service_id, change)

# --- The impact ----------------------------------------------------------------------------------

st.subheader(t("whatif_impact"))
rows = result.rows
impact = st.columns(4)
impact[0].metric(
    t("whatif_pool_after"),
    amount(result.pool_after_sek),
    delta=format_signed_amount(result.pool_change_sek, unit, lang)
    if result.pool_change_sek
    else None,
    delta_color="off",
    border=True,
)
impact[1].metric(t("whatif_charged_after"), amount(result.charged_after_sek), border=True)
impact[2].metric(
    t("whatif_surplus_deficit"),
    format_signed_amount(result.surplus_deficit_sek, unit, lang),
    border=True,
    help=t("whatif_surplus_help"),
)
impact[3].metric(
    t("whatif_your_change") if principal.is_restricted else t("whatif_consumers_after"),
    format_signed_amount(result.visible_difference_sek, unit, lang)
    if principal.is_restricted
    else str(result.consumer_count_after),
    border=True,
)
if principal.is_restricted:
    st.caption(t("restricted_orgs", orgs=", ".join(principal.org_list)))
if change.is_neutral:
    st.caption(t("whatif_neutral"))

table = pd.DataFrame(
    {
        t("col_org_code"): rows["org_code"],
        t("col_org_name"): rows["org_name"],
        t("whatif_current"): [amount(v) for v in rows["current_sek"]],
        t("whatif_simulated"): [amount(v) for v in rows["simulated_sek"]],
        t("col_variance"): [format_signed_amount(v, unit, lang) for v in rows["difference_sek"]],
        t("whatif_share_before"): [format_share(v, lang, 2) for v in rows["current_share"]],
        t("whatif_share_after"): [format_share(v, lang, 2) for v in rows["simulated_share"]],
    }
)
ui.show_table(
    table,
    rows.assign(
        fiscal_year=year,
        scenario=scenario,
        service_id=service_id,
        basis=basis,
        driver_code=driver_code,
        pool_change_pct=change.pool_change_pct,
        unit_price_sek=new_price,
    ),
    f"simulering_{service_id}_{year}_{scenario}",
    key="whatif_result",
    right=[
        t("whatif_current"),
        t("whatif_simulated"),
        t("col_variance"),
        t("whatif_share_before"),
        t("whatif_share_after"),
    ],
)
changed = rows[[v != 0 for v in rows["difference_sek"]]].copy()
if not changed.empty:
    changed["abs"] = [abs(v) for v in changed["difference_sek"]]
    top = changed.sort_values("abs", ascending=False).head(20)
    bars = pd.DataFrame(
        {
            "category": [f"{c} {n}" for c, n in zip(top["org_code"], top["org_name"], strict=True)],
            "value": [ui.chart_value(v, unit) for v in top["difference_sek"]],
            "value_text": [format_signed_amount(v, unit, lang) for v in top["difference_sek"]],
        }
    )
    st.markdown(f"**{t('whatif_largest_changes')}**")
    st.altair_chart(
        charts.diverging_bars(
            bars,
            category_title=t("col_org_name"),
            value_title=t("chart_amount", unit=unit_label(unit, lang)),
            lang=lang,
        ),
        width="stretch",
    )
st.caption(t("whatif_not_saved"))
