"""Månadsbokslut / Month close (management, data engineers, the service centre): which months are
closed, who closed them and when, the restatements with their causes, the internal-invoice export
of each closed month to download, and the audit of every close, reopen and export."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from dashboards.lib import filters, queries, ui
from dashboards.lib.auth import require_principal
from dashboards.lib.format import Unit, format_datetime, format_month
from dashboards.lib.i18n import current_language, t
from dashboards.lib.queries import as_date

principal = require_principal()
lang = current_language()
unit: Unit = "sek" if filters.current_unit() == "sek" else "tkr"

st.title(t("page_month_close_title"))
if principal.role not in queries.CLOSE_ROLES:
    # The page is not registered for other roles; this is the second lock.
    st.error(t("close_role_only"))
    st.stop()
if not queries.has_close_tables(principal):
    ui.missing_table("marts.rpt_period_close_monthly")
    st.stop()


def when(value: object) -> str:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return "–"
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return format_datetime(value, lang) if isinstance(value, datetime) else str(value)


def text(value: object) -> str:
    return "–" if value is None or pd.isna(value) else str(value)  # type: ignore[arg-type]


st.caption(t("month_close_intro"))
months = queries.close_months(principal)
if months.empty:
    st.info(t("no_cost_rows"))
    st.stop()
closed = months[months["status"] == "closed"]
pending = queries.restatements(principal)

metric_cols = st.columns(4)
metric_cols[0].metric(t("close_months_closed"), f"{len(closed)} / {len(months)}", border=True)
metric_cols[1].metric(
    t("close_latest_closed"),
    format_month(as_date(closed["period_month"].iloc[-1]), lang) if len(closed) else "–",
    border=True,
)
# Summed over what the principal may see, in the query (fct_restatement).
pending_total = queries.pending_restatements_total(principal).iloc[0]
metric_cols[2].metric(
    t("close_pending_restatements"),
    ui.amount_texts([pending_total["amount_sek"]], unit, lang)[0]
    if pending_total["row_count"]
    else "–",
    border=True,
    help=t("close_pending_help"),
)
metric_cols[3].metric(t("close_reopens"), str(int(months["reopen_count"].sum())), border=True)

tabs = st.tabs(
    [
        t("close_tab_months"),
        t("close_tab_restatements"),
        t("close_tab_export"),
        t("close_tab_audit"),
    ]
)

# --- Months --------------------------------------------------------------------------------------

with tabs[0]:
    table = pd.DataFrame(
        {
            t("col_month"): [format_month(as_date(m), lang) for m in months["period_month"]],
            t("close_status"): [t(f"close_status_{s}") for s in months["status"]],
            t("close_closed_by"): [text(v) for v in months["closed_by"]],
            t("close_closed_at"): [when(v) for v in months["closed_at"]],
            t("close_charged"): ui.amount_texts(list(months["charged_sek"]), unit, lang),
            t("close_restatements_in"): ui.signed_texts(
                list(months["restatements_booked_sek"]), unit, lang
            ),
            t("close_restated_later"): ui.signed_texts(
                list(months["restated_later_sek"]), unit, lang
            ),
            t("close_reopened"): [str(int(v)) for v in months["reopen_count"]],
            t("close_reopen_reason"): [text(v) for v in months["last_reopen_reason"]],
            t("close_exported_at"): [when(v) for v in months["last_exported_at"]],
        }
    )
    ui.show_table(
        table,
        months,
        "manadsbokslut",
        key="close_months",
        right=[t("close_charged"), t("close_restatements_in"), t("close_restated_later")],
    )
    st.caption(t("close_months_help"))

# --- Restatements ----------------------------------------------------------------------------------

with tabs[1]:
    if pending.empty:
        st.info(t("close_no_restatements"))
    else:
        cause = pending["cause_sv" if lang == "sv" else "cause_en"]
        shown = pd.DataFrame(
            {
                t("close_booked_in"): [
                    format_month(as_date(m), lang) for m in pending["period_month"]
                ],
                t("close_restated_month"): [
                    format_month(as_date(m), lang) for m in pending["restated_month"]
                ],
                t("close_state"): [
                    t("close_booked") if b else t("close_pending") for b in pending["is_booked"]
                ],
                t("organisation"): [
                    f"{c} {text(n)}"
                    for c, n in zip(pending["consumer_org_code"], pending["org_name"], strict=True)
                ],
                t("col_cost_centre"): list(pending["consumer_cost_centre_code"]),
                t("col_service"): [
                    f"{s} {text(n)}"
                    for s, n in zip(pending["service_id"], pending["service_name_sv"], strict=True)
                ],
                t("col_amount"): ui.signed_texts(list(pending["amount_sek"]), unit, lang),
                t("close_cause"): [text(c) for c in cause],
            }
        )
        ui.show_table(
            shown, pending, "omforingar", key="close_restatements", right=[t("col_amount")]
        )
        st.caption(t("close_restatements_help"))

# --- Export --------------------------------------------------------------------------------------

with tabs[2]:
    closed_months: list[date] = [as_date(m) for m in closed["period_month"]]
    if not closed_months:
        st.info(t("close_nothing_closed"))
    else:
        chosen = st.selectbox(
            t("col_month"),
            list(reversed(closed_months)),
            format_func=lambda m: format_month(m, lang),
            key="close_export_month",
        )
        assert chosen is not None
        files = queries.export_files(principal, chosen)
        if not files:
            st.warning(t("close_export_missing", month=f"{chosen:%Y-%m}"))
        sie = [f for f in files if f.path.suffix == ".si"]
        for found in sie:
            st.download_button(
                t("close_download_sie", name=found.name),
                data=found.path.read_bytes(),
                file_name=found.name,
                mime=found.mime,
                key=f"close_dl_{found.name}",
                icon=":material/download:",
                on_click="ignore",
            )
        basis = [f for f in files if f.path.suffix != ".si"]
        if basis:
            with st.expander(t("close_invoice_basis_files", n=len(basis) // 2)):
                for found in basis:
                    st.download_button(
                        found.name,
                        data=found.path.read_bytes(),
                        file_name=found.name,
                        mime=found.mime,
                        key=f"close_dl_{found.name}",
                        on_click="ignore",
                    )
        lines = queries.invoice_lines(principal, chosen)
        st.markdown(
            f"**{t('close_export_lines')}** — "
            + t(
                "close_export_lines_help",
                n=len(lines),
                vouchers=lines["voucher_number"].nunique() if len(lines) else 0,
            )
        )
        display, right = ui.format_frame(
            lines.drop(columns=["cause_en" if lang == "sv" else "cause_sv"]), unit, lang
        )
        ui.show_table(
            display, lines, f"internfakturor_{chosen:%Y-%m}", key="close_lines", right=right
        )

# --- Audit ---------------------------------------------------------------------------------------

with tabs[3]:
    audit = queries.close_audit(principal)
    if audit is None:
        ui.missing_table("ops.period_closes")
    else:
        shown = pd.DataFrame(
            {
                t("close_acted_at"): [when(v) for v in audit["acted_at"]],
                t("col_month"): [format_month(as_date(m), lang) for m in audit["period_month"]],
                t("close_action"): [t(f"close_action_{a}") for a in audit["action"]],
                t("close_acted_by"): [text(v) for v in audit["acted_by"]],
                t("close_reason"): [text(v) for v in audit["reason"]],
                t("run_id"): [text(v) for v in audit["run_id"]],
            }
        )
        ui.show_table(shown, audit, "bokslutslogg", key="close_audit")
