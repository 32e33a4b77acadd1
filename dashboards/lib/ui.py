"""Small pieces every page uses: CSV downloads, the snapshot message, the source line."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboards.lib import db
from dashboards.lib.auth import Principal
from dashboards.lib.format import Lang, format_datetime
from dashboards.lib.i18n import t


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for download: comma-separated, '.' decimals, exact SEK; UTF-8 with a BOM for Excel."""
    return df.to_csv(index=False).encode("utf-8-sig")


def download_csv(df: pd.DataFrame, file_stem: str, key: str) -> None:
    st.download_button(
        t("download_csv"),
        data=to_csv_bytes(df),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def show_snapshot_problem(exc: db.SnapshotUnavailable, principal: Principal | None) -> None:
    """The friendly version of a missing or unreadable snapshot; details for data engineers."""
    if isinstance(exc, db.SnapshotMissing):
        st.info(t("snapshot_missing"), icon=":material/hourglass_empty:")
        return
    st.error(t("snapshot_unreadable"), icon=":material/error:")
    if principal is not None and principal.role == "data_engineer":
        st.code(str(exc), language=None)


def snapshot_source_caption(published_at: datetime | None, lang: Lang) -> None:
    if published_at is not None:
        st.caption(t("snapshot_source", published=format_datetime(published_at, lang)))


def snapshot_modified_at() -> datetime | None:
    version = db.snapshot_version()
    return version.modified_at if version else None
