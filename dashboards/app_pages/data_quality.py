"""Datakvalitet / Data quality & pipeline (data engineers): runs, freshness per source, GX and
dbt check results, quarantined rows with reasons, file errors, reconciliation to the published
figures."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboards.lib import filters, queries, ui
from dashboards.lib.auth import require_principal
from dashboards.lib.format import Unit, format_datetime, format_number, format_signed_number
from dashboards.lib.i18n import current_language, t

principal = require_principal()
lang = current_language()
unit: Unit = "sek" if filters.current_unit() == "sek" else "tkr"

st.title(t("page_data_quality_title"))
if principal.role != "data_engineer":
    # The page is not registered for other roles; this is the second lock.
    st.error(t("pipeline_role_only"))
    st.stop()


def when(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or pd.isna(value):  # type: ignore[arg-type]
        return "–"
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return format_datetime(value, lang) if isinstance(value, datetime) else str(value)


log = queries.publish_log(principal)
published_at = None
if log is not None and len(log):
    published_at = log["published_at"].iloc[0]
checks_latest = queries.check_results(principal)
quarantine_summary = queries.quarantine_summary(principal)
file_errors = queries.ops_table(principal, "file_errors")

metric_cols = st.columns(4)
metric_cols[0].metric(
    t("published_at"),
    format_datetime(pd.Timestamp(published_at).to_pydatetime(), lang, "short").split(" ")[0]
    if published_at is not None
    else "–",
    border=True,
    help=t("dq_published_help", published=when(published_at)),
)
if checks_latest is not None:
    failed = int((~checks_latest["passed"].astype(bool)).sum())
    metric_cols[1].metric(
        t("dq_checks_latest_run"),
        f"{len(checks_latest) - failed} / {len(checks_latest)}",
        delta=t("dq_failed_n", n=failed) if failed else t("dq_all_passed"),
        delta_color="inverse" if failed else "normal",
        border=True,
    )
if quarantine_summary is not None:
    metric_cols[2].metric(
        t("dq_quarantined_rows"),
        format_number(int(quarantine_summary["row_count"].sum()), lang),
        border=True,
    )
if file_errors is not None:
    open_errors = (
        file_errors[file_errors["resolved_at"].isna()]
        if "resolved_at" in file_errors.columns
        else file_errors
    )
    metric_cols[3].metric(t("dq_open_file_errors"), str(len(open_errors)), border=True)

tabs = st.tabs(
    [
        t("dq_tab_runs"),
        t("dq_tab_freshness"),
        t("dq_tab_checks"),
        t("dq_tab_quarantine"),
        t("dq_tab_file_errors"),
        t("dq_tab_reconciliation"),
    ]
)

# --- Runs ----------------------------------------------------------------------------------------

with tabs[0]:
    runs = queries.ops_table(principal, "pipeline_runs")
    if runs is not None:
        display, right = ui.format_frame(runs, unit, lang)
        ui.show_table(display, runs, "pipeline_runs", key="dq_runs", right=right)
    else:
        st.caption(t("dq_runs_from_checks"))
        derived = queries.runs_from_checks(principal)
        if derived is None:
            ui.missing_table("ops.pipeline_runs")
        else:
            runs_table = pd.DataFrame(
                {
                    t("run_id"): derived["run_id"],
                    t("dq_first_check"): [when(v) for v in derived["first_check_at"]],
                    t("dq_last_check"): [when(v) for v in derived["last_check_at"]],
                    t("dq_checks"): [str(v) for v in derived["checks"]],
                    t("dq_failed_col"): [str(v) for v in derived["failed_checks"]],
                    t("dq_failed_blocking"): [str(v) for v in derived["failed_blocking"]],
                    t("dq_status"): [
                        t("dq_status_published")
                        if not pd.isna(p)
                        else (t("dq_status_blocked") if b else t("dq_status_not_published"))
                        for p, b in zip(
                            derived["published_at"], derived["failed_blocking"], strict=True
                        )
                    ],
                    t("published_at"): [when(v) for v in derived["published_at"]],
                }
            )
            ui.show_table(runs_table, derived, "pipeline_runs_from_checks", key="dq_runs_derived")
    if log is not None and len(log):
        st.markdown(f"**{t('publish_log')}**")
        ui.show_table(
            pd.DataFrame(
                {
                    t("published_at"): [when(v) for v in log["published_at"]],
                    t("run_id"): log["run_id"].fillna("–"),
                    t("snapshot_file"): log["snapshot_file"].fillna("–"),
                }
            ),
            log,
            "publish_log",
            key="dq_publish_log",
        )

# --- Freshness per source ------------------------------------------------------------------------

with tabs[1]:
    landed = queries.ops_table(principal, "landed_files")
    if landed is None:
        ui.missing_table("ops.landed_files")
    elif landed.empty:
        st.info(t("no_rows"))
    else:
        reference = (
            pd.Timestamp(published_at) if published_at is not None else landed["loaded_at"].max()
        )
        rows = []
        for table_name, files in landed.groupby("table_name", sort=True):
            active = files[files["status"] == "active"] if "status" in files.columns else files
            last_loaded = files["loaded_at"].max()
            partitions = (
                sorted(str(p) for p in active["partition_key"].dropna().unique())
                if "partition_key" in active.columns
                else []
            )
            age = (
                (reference - last_loaded) if pd.notna(last_loaded) and pd.notna(reference) else None
            )
            rows.append(
                {
                    "table_name": table_name,
                    "active_files": len(active),
                    "superseded_files": len(files) - len(active),
                    "rows_read": int(active["rows_read"].sum())
                    if "rows_read" in active.columns
                    else None,
                    "rows_quarantined": int(active["rows_quarantined"].fillna(0).sum())
                    if "rows_quarantined" in active.columns
                    else None,
                    "first_partition": partitions[0] if partitions else None,
                    "last_partition": partitions[-1] if partitions else None,
                    "last_loaded_at": last_loaded,
                    "age_hours": round(age.total_seconds() / 3600, 1) if age is not None else None,
                }
            )
        freshness = pd.DataFrame(rows)
        fresh_table = pd.DataFrame(
            {
                t("dq_source"): freshness["table_name"],
                t("dq_active_files"): [str(v) for v in freshness["active_files"]],
                t("dq_superseded_files"): [str(v) for v in freshness["superseded_files"]],
                t("dq_rows_read"): [format_number(v, lang) for v in freshness["rows_read"]],
                t("dq_rows_quarantined"): [
                    format_number(v, lang) for v in freshness["rows_quarantined"]
                ],
                t("dq_periods"): [
                    f"{a} – {b}" if a else "–"
                    for a, b in zip(
                        freshness["first_partition"], freshness["last_partition"], strict=True
                    )
                ],
                t("dq_last_loaded"): [when(v) for v in freshness["last_loaded_at"]],
                t("dq_age_hours"): [format_number(v, lang, 1) for v in freshness["age_hours"]],
            }
        )
        ui.show_table(
            fresh_table,
            freshness,
            "farskhet_per_kalla",
            key="dq_freshness",
            right=[
                t("dq_active_files"),
                t("dq_superseded_files"),
                t("dq_rows_read"),
                t("dq_rows_quarantined"),
                t("dq_age_hours"),
            ],
        )
        st.caption(t("dq_freshness_help"))
        with st.expander(t("dq_landed_files"), expanded=False):
            display, right = ui.format_frame(landed, unit, lang)
            ui.show_table(display, landed, "landade_filer", key="dq_landed", right=right)

# --- Checks --------------------------------------------------------------------------------------

with tabs[2]:
    c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
    source = c1.selectbox(
        t("dq_check_source"),
        # config: configuration checks at ingest; quarantine: quarantine_within_limit
        ["", "gx", "dbt", "config", "quarantine"],
        format_func=lambda s: t("dq_all") if not s else s.upper() if s == "gx" else s,
        key="dq_source",
    )
    failed_only = c2.toggle(t("dq_failed_only"), key="dq_failed_only")
    all_runs = c3.toggle(t("dq_all_runs"), key="dq_all_runs")
    search = c4.text_input(t("dq_search_checks"), key="dq_check_search")
    checks = queries.check_results(
        principal, source=source, failed_only=failed_only, search=search, all_runs=all_runs
    )
    if checks is None:
        ui.missing_table("ops.check_results")
    else:
        check_table = pd.DataFrame(
            {
                t("dq_result"): [
                    "✅ " + t("dq_passed") if p else "❌ " + t("dq_failed")
                    for p in checks["passed"]
                ],
                t("dq_check_source"): checks["source"],
                t("dq_severity"): checks["severity"],
                t("dq_asset"): checks["asset_key"],
                t("dq_check"): checks["check_name"],
                t("dq_expectation"): checks["expectation"].fillna("–"),
                t("dq_column"): checks["column_name"].fillna("–"),
                t("dq_unexpected"): [
                    f"{format_number(u, lang)} / {format_number(e, lang)}"
                    if e is not None and not pd.isna(e)
                    else format_number(u, lang)
                    for u, e in zip(
                        checks["unexpected_count"], checks["element_count"], strict=True
                    )
                ],
                t("dq_samples"): checks["sample_values"].fillna(""),
                t("dq_checked_at"): [when(v) for v in checks["checked_at"]],
            }
        )
        ui.show_table(
            check_table, checks, "kontrollresultat", key="dq_checks", right=[t("dq_unexpected")]
        )
        st.caption(t("dq_rows_shown", n=len(checks)))

# --- Quarantine ----------------------------------------------------------------------------------

with tabs[3]:
    if quarantine_summary is None:
        ui.missing_table("ops.quarantine")
    else:
        summary_table = pd.DataFrame(
            {
                t("dq_source"): quarantine_summary["table_name"],
                t("dq_stage"): quarantine_summary["stage"],
                t("dq_check"): quarantine_summary["check_name"],
                t("col_rows"): [format_number(v, lang) for v in quarantine_summary["row_count"]],
                t("dq_files"): [str(v) for v in quarantine_summary["file_count"]],
                t("dq_last_quarantined"): [
                    when(v) for v in quarantine_summary["last_quarantined_at"]
                ],
            }
        )
        ui.show_table(
            summary_table,
            quarantine_summary,
            "karantan_sammanfattning",
            key="dq_quarantine_summary",
            right=[t("col_rows"), t("dq_files")],
        )
        q1, q2 = st.columns([1, 2])
        tables = sorted(str(x) for x in quarantine_summary["table_name"].unique())
        table_name = q1.selectbox(
            t("dq_source"),
            [""] + tables,
            format_func=lambda s: s or t("dq_all"),
            key="dq_quarantine_table",
        )
        q_search = q2.text_input(t("dq_search_quarantine"), key="dq_quarantine_search")
        quarantined = queries.quarantine_rows(principal, table_name=table_name, search=q_search)
        if quarantined is not None:
            q_table = pd.DataFrame(
                {
                    t("dq_source"): quarantined["table_name"],
                    t("dq_file"): quarantined["source_file"],
                    t("dq_row"): [str(v) for v in quarantined["source_row"]],
                    t("dq_check"): quarantined["check_name"],
                    t("dq_column"): quarantined["column_name"].fillna("–"),
                    t("dq_value"): quarantined["value"].fillna(""),
                    t("dq_reason"): quarantined["message"],
                }
            )
            ui.show_table(
                q_table, quarantined, "karantan", key="dq_quarantine", right=[t("dq_row")]
            )
            st.caption(t("dq_rows_shown", n=len(quarantined)))

# --- File errors ---------------------------------------------------------------------------------

with tabs[4]:
    if file_errors is None:
        ui.missing_table("ops.file_errors")
    elif file_errors.empty:
        st.success(t("dq_no_file_errors"))
    else:
        display, right = ui.format_frame(file_errors, unit, lang)
        ui.show_table(display, file_errors, "filfel", key="dq_file_errors", right=right)

# --- Reconciliation to the published figures -----------------------------------------------------

with tabs[5]:
    summary = queries.reconciliation_summary(principal)
    if summary.empty:
        st.info(t("dq_no_reference_pack"), icon=":material/info:")
    else:
        summary_view = pd.DataFrame(
            {
                t("plan_version"): summary["plan_version"],
                t("dq_recon_lines"): [str(v) for v in summary["lines"]],
                t("dq_recon_equal"): [str(v) for v in summary["equal_lines"]],
                t("dq_recon_known"): [str(v) for v in summary["known_inconsistencies"]],
                t("dq_recon_unexplained"): [str(v) for v in summary["unexplained_lines"]],
            }
        )
        ui.show_table(
            summary_view, summary, "avstamning_sammanfattning", key="dq_reconciliation_summary"
        )
        r1, r2 = st.columns(2)
        versions = [str(v) for v in summary["plan_version"]]
        recon_version = r1.selectbox(
            t("plan_version"),
            [""] + versions,
            format_func=lambda v: v or t("dq_all"),
            key="dq_recon_version",
        )
        differences_only = r2.toggle(
            t("dq_recon_differences_only"), value=True, key="dq_recon_differences"
        )
        reconciliation = queries.reconciliation_published(
            principal, plan_version=recon_version, differences_only=differences_only
        )
        if reconciliation is not None:
            description = (
                "difference_description_en" if lang == "en" else "difference_description_sv"
            )
            recon_table = pd.DataFrame(
                {
                    t("plan_version"): reconciliation["plan_version"],
                    t("dq_recon_source"): reconciliation["source"],
                    t("dq_recon_line"): reconciliation["label_sv"].fillna(
                        reconciliation["line_key"]
                    ),
                    t("dq_recon_published"): [
                        format_number(v, lang) for v in reconciliation["published_tkr"]
                    ],
                    t("dq_recon_warehouse"): [
                        format_number(v, lang) for v in reconciliation["warehouse_tkr"]
                    ],
                    t("dq_recon_difference"): [
                        format_signed_number(v, lang) for v in reconciliation["difference_tkr"]
                    ],
                    t("dq_recon_inconsistency"): reconciliation[description].fillna("–"),
                    t("dq_recon_explained"): [
                        t("dq_recon_not_in_plan")
                        if not in_plan
                        else ("✅" if e else ("❌" if d else "–"))
                        for e, d, in_plan in zip(
                            reconciliation["is_explained"],
                            reconciliation["difference_tkr"],
                            reconciliation["is_version_in_plan"],
                            strict=True,
                        )
                    ],
                }
            )
            ui.show_table(
                recon_table,
                reconciliation,
                "avstamning_publicerat",
                key="dq_reconciliation",
                right=[t("dq_recon_published"), t("dq_recon_warehouse"), t("dq_recon_difference")],
            )
            st.caption(t("dq_reconciliation_help"))

ui.snapshot_source_caption(ui.snapshot_modified_at(), lang)
