"""Min organisation / My organisation: the consumer statement of one organisation.

What the organisation and each of its cost centres pays per service, month and year to date,
against budget; "Varför betalar vi detta?" from any amount to its drivers (and, with the
engine's explanation, its ledger vouchers); the invoice basis as Excel and CSV.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboards.lib import charts, excel, explain, filters, queries, ui
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


st.title(t("page_my_org_title"))

contexts = queries.year_contexts(principal)
years = sorted(y for y, c in contexts.items() if c.outcome is not None or c.budget is not None)
if not years:
    st.info(t("no_cost_rows"))
    st.stop()

org_col, year_col, month_col = st.columns([2, 1, 1])
year = filters.select(
    "year",
    t("fiscal_year"),
    years,
    default=queries.default_fiscal_year(years, contexts),
    container=year_col,
)
assert year is not None
ctx = contexts[year]
organisations = queries.organisations_for_year(principal, year)
if organisations.empty:
    st.info(t("no_orgs_for_you", year=year))
    st.stop()
org_names = dict(zip(organisations["org_code"], organisations["org_name"], strict=True))
org_code = filters.select(
    "org",
    t("organisation"),
    list(org_names),
    default=principal.org_list[0] if principal.is_restricted else None,
    format_func=lambda code: f"{code} {org_names.get(code, '')}",
    container=org_col,
    help=t("org_picker_help", n=len(org_names)),
)
assert org_code is not None
org_name = org_names[org_code]

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
budget = ctx.budget
budget_scenario = budget.scenario if budget else None
if through is None:
    st.info(t("no_outcome_year", year=year))
    st.stop()

st.caption(
    t(
        "statement_caption",
        org=f"{org_code} {org_name}",
        budget=budget.plan_version if budget else "–",
        month=format_month(through, lang),
    )
)
if principal.is_restricted:
    st.caption(t("restricted_orgs", orgs=", ".join(principal.org_list)))

# --- Key figures ---------------------------------------------------------------------------------

by_service = queries.statement_by_service(principal, org_code, year, through, budget_scenario)
# The organisation's row of rpt_org_statement_monthly: the key figures are its columns.
totals = queries.statement_totals(principal, org_code, year, through, budget_scenario)
key = totals.iloc[0] if len(totals) else None
month_outcome = key["month_outcome_sek"] if key is not None else None
ytd_outcome = key["ytd_outcome_sek"] if key is not None else None
ytd_budget = key["ytd_budget_sek"] if key is not None else None
year_budget = key["year_budget_sek"] if key is not None else None
ytd_variance = key["variance_ytd_sek"] if key is not None else None

metric_cols = st.columns(4)
metric_cols[0].metric(
    t("metric_outcome_month", month=format_month(through, lang)), amount(month_outcome), border=True
)
metric_cols[1].metric(
    t("metric_outcome_to_date"),
    amount(ytd_outcome),
    delta=format_signed_amount(to_decimal(ytd_variance), unit, lang)
    if budget and ytd_variance is not None
    else None,
    delta_color="inverse",
    border=True,
    help=t("metric_delta_help"),
)
metric_cols[2].metric(
    t("metric_budget_to_date"), amount(ytd_budget) if budget else "–", border=True
)
metric_cols[3].metric(
    t("metric_budget_year", version=budget.plan_version if budget else "–"),
    amount(year_budget) if budget else "–",
    border=True,
)

# --- Invoice basis downloads ---------------------------------------------------------------------

file_stem = f"fakturaunderlag_{org_code}_{year}-01_{through:%Y-%m}"
published_at = ui.snapshot_modified_at()
# The files are built when a button is clicked (a big organisation has tens of thousands of
# rows); the callables capture the choices, never widget state.
basis_org: str = str(org_code)
basis_year: int = int(year)
basis_month: date = through


def _invoice_rows() -> pd.DataFrame:
    return queries.invoice_basis(principal, basis_org, basis_year, basis_month)


def _invoice_xlsx() -> bytes:
    return excel.invoice_workbook(
        _invoice_rows(),
        org_code=basis_org,
        org_name=org_name,
        fiscal_year=basis_year,
        through_month=basis_month,
        published_at=published_at,
        lang=lang,
    )


st.markdown(f"**{t('invoice_basis')}** — {t('invoice_basis_help')}")
dl_xlsx, dl_csv, _ = st.columns([1, 1, 3])
dl_xlsx.download_button(
    t("download_xlsx"),
    data=_invoice_xlsx,
    file_name=f"{file_stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_invoice_xlsx",
    icon=":material/table_view:",
    on_click="ignore",
)
with dl_csv:
    ui.download_csv(_invoice_rows, file_stem, key="download_invoice_csv")

# --- Per service ---------------------------------------------------------------------------------

st.subheader(t("per_service"))
filter_left, filter_right = st.columns(2)
with filter_left:
    search = st.text_input(t("filter_service"), key="statement_search")
cost_centres = queries.statement_by_cost_centre(principal, org_code, year, through, budget_scenario)
cc_names = dict(
    zip(cost_centres["cost_centre_code"], cost_centres["cost_centre_name"], strict=True)
)
with filter_right:
    cc_choice = st.selectbox(
        t("filter_cost_centre"),
        [""] + list(cc_names),
        format_func=lambda c: t("all_cost_centres") if c == "" else f"{c} {cc_names.get(c) or ''}",
        key="statement_cost_centre",
    )
if cc_choice not in cc_names:
    cc_choice = ""
shown = (
    by_service
    if not search and not cc_choice
    else queries.statement_by_service(
        principal,
        org_code,
        year,
        through,
        budget_scenario,
        cost_centre=cc_choice or "",
        search=search,
    )
)
sentences = (
    queries.org_variance_sentences(principal, org_code, year, through, budget_scenario, lang)
    if budget_scenario and not cc_choice
    else None
)
service_table = pd.DataFrame(
    {
        t("col_service_area"): shown["service_area_name_sv"].fillna("–"),
        t("col_service"): shown["service_name_sv"],
        t("col_month_amount"): [amount(v) for v in shown["month_outcome_sek"]],
        t("col_outcome_to_date"): [amount(v) for v in shown["ytd_outcome_sek"]],
        t("col_budget_to_date"): [amount(v) for v in shown["ytd_budget_sek"]],
        t("col_variance"): [
            format_signed_amount(to_decimal(v), unit, lang) for v in shown["variance_ytd_sek"]
        ],
        t("col_budget_year"): [amount(v) for v in shown["year_budget_sek"]],
        **(
            {
                t("col_explanation"): [
                    (sentences or {}).get(str(s), "–") for s in shown["service_id"]
                ]
            }
            if sentences
            else {}
        ),
    }
)
ui.show_table(
    service_table,
    shown.assign(
        org_code=org_code,
        fiscal_year=year,
        through_month=through,
        budget_scenario=budget_scenario,
        cost_centre_code=cc_choice or None,
        explanation=[(sentences or {}).get(str(s)) for s in shown["service_id"]],
    ),
    f"min_organisation_per_tjanst_{org_code}_{through:%Y-%m}",
    key="statement_services",
    right=[
        t("col_month_amount"),
        t("col_outcome_to_date"),
        t("col_budget_to_date"),
        t("col_variance"),
        t("col_budget_year"),
    ],
)
# The outcome to date of what the table lists: the organisation's or the chosen cost centre's
# (marts' columns); a search shows part of it, so only the count.
if search:
    st.caption(t("rows_services_shown_count", n=len(shown)))
else:
    cc_row = cost_centres[cost_centres["cost_centre_code"] == cc_choice] if cc_choice else None
    shown_total = (
        (cc_row["ytd_outcome_sek"].iloc[0] if len(cc_row) else None)
        if cc_row is not None
        else ytd_outcome
    )
    st.caption(t("rows_services_shown", n=len(shown), total=amount(shown_total)))

# --- Per month -----------------------------------------------------------------------------------

monthly = queries.statement_monthly(principal, org_code, year, budget_scenario)
monthly = monthly.sort_values(["scenario", "period_month"]).reset_index(drop=True)

if not monthly.empty:
    trend_title, trend_view = st.columns([3, 2], vertical_alignment="bottom")
    trend_title.subheader(t("per_month"))
    view = trend_view.segmented_control(
        t("chart_view"),
        ["cumulative", "monthly"],
        default="cumulative",
        format_func=lambda v: t(f"chart_view_{v}"),
        key="statement_trend_view",
        label_visibility="collapsed",
    )
    # In the month or to date: both are columns of rpt_org_statement_monthly.
    monthly["amount_sek"] = monthly["amount_sek" if view == "monthly" else "amount_ytd_sek"]
    series_labels = {
        "outcome": ctx.outcome.plan_version if ctx.outcome else "",
        "budget": budget.plan_version if budget else "",
    }
    trend = pd.DataFrame(
        [
            {
                "month": pd.Timestamp(r.period_month),
                "month_text": format_month(r.period_month, lang),
                "series": "outcome" if r.scenario == OUTCOME else "budget",
                "series_label": series_labels["outcome" if r.scenario == OUTCOME else "budget"],
                "value": ui.chart_value(r.amount_sek, unit),
                "value_text": amount(r.amount_sek),
            }
            for r in monthly.itertuples(index=False)
        ]
    )
    st.altair_chart(
        charts.monthly_lines(
            trend,
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

# --- Per cost centre -----------------------------------------------------------------------------

st.subheader(t("per_cost_centre"))
cc_table = pd.DataFrame(
    {
        t("col_cost_centre"): cost_centres["cost_centre_code"],
        t("col_cost_centre_name"): cost_centres["cost_centre_name"].fillna("–"),
        t("col_month_amount"): [amount(v) for v in cost_centres["month_outcome_sek"]],
        t("col_outcome_to_date"): [amount(v) for v in cost_centres["ytd_outcome_sek"]],
        t("col_budget_to_date"): [amount(v) for v in cost_centres["ytd_budget_sek"]],
        t("col_budget_year"): [amount(v) for v in cost_centres["year_budget_sek"]],
    }
)
ui.show_table(
    cc_table,
    cost_centres.assign(org_code=org_code, fiscal_year=year, through_month=through),
    f"min_organisation_per_kostnadsstalle_{org_code}_{through:%Y-%m}",
    key="statement_cost_centres",
    right=[
        t("col_month_amount"),
        t("col_outcome_to_date"),
        t("col_budget_to_date"),
        t("col_budget_year"),
    ],
)

# --- Close and restatements ---------------------------------------------------------------------

if queries.has_close_tables(principal):
    st.subheader(t("close_my_section"))
    status = queries.month_status(principal, year)
    state = status[status["period_month"].map(queries.as_date) == through]
    month_label = format_month(through, lang)
    is_closed = bool(len(state)) and state["status"].iloc[0] == "closed"
    if is_closed:
        closed_at = state["closed_at"].iloc[0]
        st.success(
            t(
                "close_my_month_closed",
                month=month_label,
                by=state["closed_by"].iloc[0],
                at=format_date(pd.Timestamp(closed_at).date(), lang)
                if not pd.isna(closed_at)
                else "–",
            ),
            icon=":material/lock:",
        )
    else:
        st.info(t("close_my_month_open", month=month_label), icon=":material/lock_open:")
    org_restatements = queries.restatements(principal, org_code)
    org_restatements = org_restatements[
        org_restatements["period_month"].map(lambda m: queries.as_date(m).year) == year
    ]
    if len(org_restatements):
        st.markdown(f"**{t('close_my_restatements')}**")
        cause = org_restatements["cause_sv" if lang == "sv" else "cause_en"]
        ui.show_table(
            pd.DataFrame(
                {
                    t("close_booked_in"): [
                        format_month(queries.as_date(m), lang)
                        for m in org_restatements["period_month"]
                    ],
                    t("close_restated_month"): [
                        format_month(queries.as_date(m), lang)
                        for m in org_restatements["restated_month"]
                    ],
                    t("close_state"): [
                        t("close_booked") if b else t("close_pending")
                        for b in org_restatements["is_booked"]
                    ],
                    t("col_cost_centre"): list(org_restatements["consumer_cost_centre_code"]),
                    t("col_service"): list(
                        org_restatements["service_name_sv"].fillna(org_restatements["service_id"])
                    ),
                    t("col_amount"): ui.signed_texts(
                        list(org_restatements["amount_sek"]), unit, lang
                    ),
                    t("close_cause"): [str(c) if not pd.isna(c) else "–" for c in cause],
                }
            ),
            org_restatements,
            f"omforingar_{org_code}_{year}",
            key="statement_restatements",
            right=[t("col_amount")],
        )
    if is_closed:
        lines = queries.invoice_lines(principal, through, org_code)
        st.markdown(f"**{t('close_my_lines', month=month_label)}**")
        display, right = ui.format_frame(
            lines.drop(columns=["cause_en" if lang == "sv" else "cause_sv"]), unit, lang
        )
        ui.show_table(
            display,
            lines,
            f"internfaktura_{org_code}_{through:%Y-%m}",
            key="statement_lines",
            right=right,
        )
        for index, found in enumerate(queries.org_export_files(principal, through, org_code)):
            st.download_button(
                found.name,
                data=found.path.read_bytes(),
                file_name=found.name,
                mime=found.mime,
                key=f"statement_export_{index}",
                icon=":material/download:",
                on_click="ignore",
            )
    else:
        st.caption(t("close_my_no_lines", month=month_label))

# --- Every organisation (management, data engineers, controllers of several) ---------------------

if len(org_names) > 1:
    st.subheader(t("all_orgs_heading", year=year))
    summary = queries.organisations_summary(principal, year, through, budget_scenario)
    group_labels = queries.org_group_labels(principal, lang)
    summary_table = pd.DataFrame(
        {
            t("col_org_code"): summary["org_code"],
            t("col_org_name"): summary["org_name"],
            t("col_org_group"): [group_labels.get(g, g) for g in summary["org_group"]],
            t("col_outcome_to_date"): [amount(v) for v in summary["ytd_outcome_sek"]],
            t("col_budget_to_date"): [amount(v) for v in summary["ytd_budget_sek"]],
            t("col_budget_year"): [amount(v) for v in summary["year_budget_sek"]],
        }
    )
    if not principal.is_restricted:
        # Översikt's headlines are the whole cost; these rows what organisations were charged.
        # The unallocated pool and a price-list deficit or surplus get their own lines, so the
        # columns sum to Översikt's figures (rpt_budget_reconciliation_monthly).
        closing = {
            column: queries.budget_reconciliation(principal, year, scenario, month)
            for column, scenario, month in (
                ("outcome", OUTCOME, through),
                ("budget_to_date", budget_scenario, through),
                ("budget_year", budget_scenario, None),
            )
            if scenario is not None
        }

        def closing_value(column: str, line: str) -> Decimal | None:
            frame = closing.get(column)
            return to_decimal(frame.iloc[0][line]) if frame is not None and len(frame) else None

        extra = [
            (t(key), line)
            for key, line in (
                ("line_unallocated", "unallocated_sek"),
                ("line_price_list_deficit", "price_list_deficit_sek"),
            )
            # a line that is 0 (or absent) everywhere is left out
            if any(closing_value(c, line) for c in closing)
        ] + [(t("col_total"), "total_sek")]
        summary_table = pd.concat(
            [
                summary_table,
                pd.DataFrame(
                    {
                        t("col_org_code"): ["" for _ in extra],
                        t("col_org_name"): [label for label, _ in extra],
                        t("col_org_group"): ["–" for _ in extra],
                        t("col_outcome_to_date"): [
                            amount(closing_value("outcome", line)) for _, line in extra
                        ],
                        t("col_budget_to_date"): [
                            amount(closing_value("budget_to_date", line)) for _, line in extra
                        ],
                        t("col_budget_year"): [
                            amount(closing_value("budget_year", line)) for _, line in extra
                        ],
                    }
                ),
            ],
            ignore_index=True,
        )
    ui.show_table(
        summary_table,
        summary.assign(fiscal_year=year, through_month=through, budget_scenario=budget_scenario),
        f"organisationer_{year}_{through:%Y-%m}",
        key="statement_all_orgs",
        right=[t("col_outcome_to_date"), t("col_budget_to_date"), t("col_budget_year")],
    )
    st.caption(t("all_orgs_caption", n=len(summary), year=year))

# --- Why do we pay this? -------------------------------------------------------------------------

VOUCHERS_SHOWN = 100


def show_vouchers(
    frame: pd.DataFrame,
    result: explain.ChargeExplanation,
    cc_code: str,
    service_id: str,
    month: object,
) -> None:
    """The ledger rows behind the service's pool of the month, with this cost centre's part."""
    has_part = "part_sek" in frame.columns
    shown = frame.head(VOUCHERS_SHOWN)
    table = pd.DataFrame(
        {
            t("col_voucher"): [
                f"{s or ''} {n or ''}".strip()
                for s, n in zip(shown["voucher_series"], shown["voucher_number"], strict=True)
            ],
            t("col_date"): [
                format_date(d, lang, "short") if d is not None else "–"
                for d in shown["voucher_date"]
            ],
            t("col_account"): shown["account"].astype(str),
            t("col_cost_centre"): shown["cost_centre_code"].fillna("–"),
            t("col_text"): shown["text"].fillna(""),
            t("col_counterparty"): shown["counterparty"].fillna(""),
            t("col_amount"): [amount(v) for v in shown["amount_sek"]],
            **({t("col_your_part"): [amount(v) for v in shown["part_sek"]]} if has_part else {}),
            t("dq_file"): shown["source_file"],
            t("dq_row"): [str(r) for r in shown["source_row"]],
        }
    )
    ui.show_table(
        table,
        frame,
        f"verifikationer_{cc_code}_{service_id}_{month:%Y-%m}",
        key="why_vouchers",
        right=[t("col_amount"), t("col_your_part"), t("dq_row")],
    )
    st.caption(
        t("vouchers_caption", shown=len(shown), n=len(frame), total=amount(result.ledger_rows_sek))
        + (
            " " + t("vouchers_part_caption", part=amount(result.ledger_part_sek))
            if has_part
            else ""
        )
    )


def show_driver_rows(frame: pd.DataFrame, cc_code: str, service_id: str, month: object) -> None:
    """The landed volume rows behind the cost centre's driver volume (file and row)."""
    table = pd.DataFrame(
        {
            t("plan_version"): [
                t("series_outcome") if s == OUTCOME else t("series_budget")
                for s in frame["scenario"]
            ],
            t("col_driver"): frame["driver_code"],
            t("col_cost_centre"): frame["cost_centre_code"],
            t("col_month"): [
                format_month(m, lang) if m is not None and not pd.isna(m) else t("whole_year")
                for m in frame["period_month"]
            ],
            t("col_volume"): [
                format_number(q, lang, 3 if q is not None and q != int(q) else 0)
                for q in frame["quantity"]
            ],
            t("dq_file"): frame["source_file"],
            t("dq_row"): [str(r) for r in frame["source_row"]],
        }
    )
    ui.show_table(
        table,
        frame,
        f"drivarrader_{cc_code}_{service_id}_{month:%Y-%m}",
        key="why_driver_rows",
        right=[t("col_volume"), t("dq_row")],
    )


st.subheader(t("why_heading"))
st.caption(t("why_intro"))
charged = by_service[[bool(to_decimal(v)) for v in by_service["ytd_outcome_sek"]]]
if charged.empty:
    st.info(t("no_rows"))
else:
    service_names = dict(zip(charged["service_id"], charged["service_name_sv"], strict=True))
    s_col, m_col, c_col = st.columns([2, 1, 2])
    service_id = filters.select(
        "service",
        t("col_service"),
        list(service_names),
        format_func=lambda s: f"{service_names.get(s, s)} ({s})",
        container=s_col,
    )
    assert service_id is not None
    drill_months = [m for m in months if m <= through]
    drill_month = m_col.selectbox(
        t("col_month"),
        drill_months[::-1],
        format_func=lambda m: format_month(m, lang),
        key="why_month",
    )
    per_cc = queries.charges_per_cost_centre(
        principal, org_code, year, OUTCOME, drill_month, service_id
    )
    if per_cc.empty:
        st.info(t("why_nothing_that_month"))
    else:
        per_cc_amounts = dict(zip(per_cc["cost_centre_code"], per_cc["amount_sek"], strict=True))
        # The organisation's amount for the service in the month: rpt_org_statement_monthly.
        month_rows = queries.statement_by_service(
            principal, org_code, year, drill_month, budget_scenario
        )
        month_row = month_rows[month_rows["service_id"] == service_id]
        st.markdown(
            t(
                "why_amount_line",
                org=f"{org_code} {org_name}",
                service=service_names.get(service_id, service_id),
                month=format_month(drill_month, lang),
                amount=amount(month_row["month_outcome_sek"].iloc[0] if len(month_row) else None),
                n=len(per_cc),
            )
        )
        cc_code = filters.select(
            "cc",
            t("col_cost_centre"),
            list(per_cc_amounts),
            format_func=lambda c: f"{c} {cc_names.get(c) or ''} — {amount(per_cc_amounts[c])}",
            container=c_col,
        )
        assert cc_code is not None
        result = explain.explain_charge(
            principal,
            fiscal_year=year,
            scenario=OUTCOME,
            period_month=drill_month,
            service_id=service_id,
            cost_centre_code=cc_code,
            lang=lang,
        )
        if result is None:
            st.info(t("no_rows"))
        else:
            facts = result.facts
            method = str(facts.get("allocation_method") or "")
            volume = facts.get("driver_volume")
            share = facts.get("share")
            price = facts.get("unit_price_sek")
            details = [f"{t('col_method')}: **{t_method(method)}**"]
            if facts.get("driver_code"):
                details.append(f"{t('col_driver')}: **{facts['driver_code']}**")
            if volume is not None and not pd.isna(volume):
                details.append(f"{t('col_volume')}: **{format_number(volume, lang)}**")
            if share is not None and not pd.isna(share):
                details.append(f"{t('col_share')}: **{format_share(share, lang, decimals=3)}**")
            if price is not None and not pd.isna(price):
                details.append(f"{t('col_unit_price')}: **{format_unit_price(price, lang)}**")
            amount_col, detail_col = st.columns([1, 3])
            amount_col.metric(t("why_amount"), amount(result.amount_sek), border=True)
            detail_col.markdown(" · ".join(details))
            detail_col.caption(t("why_rule", rule=facts.get("rule_id") or "–"))
            if facts.get("rule_source"):
                detail_col.caption(t("why_rule_source", source=facts["rule_source"]))

            components = result.components
            comp_table = pd.DataFrame(
                {
                    t("col_component"): list(components["component"]) + [t("xl_total")],
                    t("col_basis"): list(components["basis"]) + [""],
                    t("col_amount"): [amount(v) for v in components["amount_sek"]]
                    + [amount(result.components_total)],
                }
            )
            ui.show_table(
                comp_table,
                components.assign(
                    cost_centre_code=cc_code,
                    service_id=service_id,
                    period_month=drill_month,
                ),
                f"forklaring_{cc_code}_{service_id}_{drill_month:%Y-%m}",
                key="why_components",
                right=[t("col_amount")],
            )
            if result.components_total == result.amount_sek:
                st.caption(t("why_sums", amount=amount(result.amount_sek)))
            else:
                st.warning(t("why_does_not_sum"))
            for name, frame in result.tables.items():
                st.markdown(f"**{t_optional(f'why_table_{name}', name)}**")
                if name == "vouchers":
                    show_vouchers(frame, result, cc_code, service_id, drill_month)
                elif name == "driver_rows":
                    show_driver_rows(frame, cc_code, service_id, drill_month)
                else:
                    display, right_cols = ui.format_frame(frame, unit, lang)
                    ui.show_table(
                        display,
                        frame,
                        f"forklaring_{name}_{cc_code}_{service_id}_{drill_month:%Y-%m}",
                        key=f"why_{name}",
                        right=right_cols,
                    )
            if result.note:
                st.caption(result.note)

ui.snapshot_source_caption(published_at, lang)
