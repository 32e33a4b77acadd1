"""Om data / About the data: when the snapshot was published and what tables it holds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards.lib import db, queries, ui
from dashboards.lib.auth import require_principal
from dashboards.lib.format import format_datetime, format_number
from dashboards.lib.i18n import current_language, t

principal = require_principal()
lang = current_language()

st.title(t("page_about_data"))
st.write(t("about_intro"))

log = queries.publish_log(principal)
version = db.snapshot_version()
if log is not None and not log.empty and not pd.isna(log["published_at"].iloc[0]):
    latest = log.iloc[0]
    published = format_datetime(latest["published_at"].to_pydatetime(), lang)
    facts = {
        t("published_at"): published,
        t("snapshot_file"): str(latest["snapshot_file"] or "–"),
        t("run_id"): str(latest["run_id"] or "–"),
    }
else:
    facts = {t("published_at"): format_datetime(version.modified_at if version else None, lang)}
    st.caption(t("published_unknown"))
for column, (label, value) in zip(st.columns(len(facts)), facts.items(), strict=True):
    column.metric(label, value)

st.subheader(t("tables"))
tables = queries.snapshot_tables(principal)
counts = [
    queries.table_row_count(principal, schema, table)
    for schema, table in zip(tables["schema_name"], tables["table_name"], strict=True)
]
table_view = pd.DataFrame(
    {
        t("col_schema"): tables["schema_name"],
        t("col_table"): tables["table_name"],
        t("col_rows"): [format_number(n, lang) for n in counts],
    }
)
st.dataframe(
    table_view,
    hide_index=True,
    column_config={t("col_rows"): st.column_config.TextColumn(t("col_rows"), alignment="right")},
)
ui.download_table(
    pd.DataFrame(
        {
            "schema_name": tables["schema_name"],
            "table_name": tables["table_name"],
            "row_count": counts,
        }
    ),
    "snapshot_tables",
    key="download_snapshot_tables",
)

if log is not None and len(log) > 0:
    st.subheader(t("publish_log"))
    log_view = log.assign(
        published_at=[
            format_datetime(None if pd.isna(ts) else ts.to_pydatetime(), lang)
            for ts in log["published_at"]
        ]
    )
    st.dataframe(log_view, hide_index=True)
    ui.download_table(log, "publish_log", key="download_publish_log")
