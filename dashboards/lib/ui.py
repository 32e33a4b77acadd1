"""Small pieces every page uses: tables with downloads, amounts, snapshot and missing-table notes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date as date_type
from datetime import datetime
from decimal import Decimal
from typing import Literal

import pandas as pd
import streamlit as st

from dashboards.lib import db
from dashboards.lib.auth import Principal
from dashboards.lib.format import (
    Lang,
    Unit,
    format_amount,
    format_datetime,
    format_signed_amount,
    sek_to_tkr,
    to_decimal,
)
from dashboards.lib.i18n import t
from pipelines.lib.exports import csv_bytes


def download_csv(df: pd.DataFrame | Callable[[], pd.DataFrame], file_stem: str, key: str) -> None:
    """A CSV download of `df`; a callable is only run when the button is clicked (big tables).

    Every CSV a page offers is made here, by `pipelines.lib.exports.csv_bytes` (exact SEK, no
    cell that a spreadsheet would run as a formula).
    """
    data: bytes | Callable[[], bytes]
    if callable(df):
        producer = df

        def data() -> bytes:
            return csv_bytes(producer())
    else:
        data = csv_bytes(df)
    st.download_button(
        t("download_csv"),
        data=data,
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def download_xlsx(df: pd.DataFrame | Callable[[], pd.DataFrame], file_stem: str, key: str) -> None:
    """The same table as `download_csv`, as an Excel workbook (`excel.table_workbook`: numbers
    as numbers, texts never formulas). Always made when the button is clicked, not on every
    rerun: a workbook costs far more than a CSV."""
    from dashboards.lib.excel import table_workbook

    def data() -> bytes:
        return table_workbook(df() if callable(df) else df)

    st.download_button(
        t("download_xlsx"),
        data=data,
        file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/table_view:",
        on_click="ignore",
    )


def show_table(
    display: pd.DataFrame,
    export: pd.DataFrame | Callable[[], pd.DataFrame],
    file_stem: str,
    key: str,
    *,
    right: Sequence[str] = (),
    height: int | Literal["auto"] | None = None,
) -> None:
    """A table as shown (formatted text) and its machine-readable CSV and Excel downloads
    under it.

    Every table of the dashboards goes through here, so every table is downloadable.
    """
    if height is None:
        # Short tables at their own height (no empty rows), long ones scroll inside 420 px.
        height = "auto" if len(display) <= 12 else 420
    st.dataframe(
        display,
        hide_index=True,
        height=height,
        column_config={
            col: st.column_config.TextColumn(col, alignment="right")
            for col in right
            if col in display.columns
        },
        key=f"table_{key}",
    )
    download_table(export, file_stem, key=f"download_{key}")


def download_table(
    export: pd.DataFrame | Callable[[], pd.DataFrame], file_stem: str, key: str
) -> None:
    """A table's downloads side by side: CSV (key `key`) and Excel (key `key`_xlsx)."""
    csv_column, xlsx_column, _ = st.columns([1, 1, 4])
    with csv_column:
        download_csv(export, file_stem, key=key)
    with xlsx_column:
        download_xlsx(export, file_stem, key=f"{key}_xlsx")


def amount_texts(values: Sequence[object], unit: Unit, lang: Lang) -> list[str]:
    return [format_amount(to_decimal(v), unit, lang) for v in values]  # type: ignore[arg-type]


def signed_texts(values: Sequence[object], unit: Unit, lang: Lang) -> list[str]:
    return [format_signed_amount(to_decimal(v), unit, lang) for v in values]  # type: ignore[arg-type]


def chart_value(amount_sek: object, unit: Unit) -> float:
    """An amount as a chart number in the displayed unit (charts need floats; tables do not)."""
    value = to_decimal(amount_sek)  # type: ignore[arg-type]
    if value is None:
        return 0.0
    return float(value) if unit == "sek" else float(sek_to_tkr(value) or Decimal(0))


def missing_table(table: str) -> None:
    """The honest message for a mart that this snapshot does not have yet."""
    st.info(t("table_missing", table=table), icon=":material/hourglass_empty:")


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


def format_frame(df: pd.DataFrame, unit: Unit, lang: Lang) -> tuple[pd.DataFrame, list[str]]:
    """A table of a report mart for display: money (`*_sek`) in the chosen unit, shares as
    percentages, dates and numbers in the language's format, headers translated when known.

    Returns (display frame, names of right-aligned columns). Used for marts whose exact
    columns are still settling; the CSV download keeps the raw values.
    """
    from dashboards.lib.format import format_date, format_number, format_share
    from dashboards.lib.i18n import t_optional

    shown: dict[str, list[str]] = {}
    right: list[str] = []
    for column in df.columns:
        header = t_optional(f"col_{column}", column)
        values = list(df[column])
        if column.endswith("_sek"):
            texts = amount_texts(values, unit, lang)
            right.append(header)
        elif column in ("share", "target", "value", "actual", "measured") or column.endswith(
            ("_share", "_pct", "_ratio")
        ):
            numeric = [to_decimal(v) if not isinstance(v, str) else None for v in values]  # type: ignore[arg-type]
            if all(n is None or abs(n) <= 1 for n in numeric) and any(
                n is not None for n in numeric
            ):
                texts = [format_share(n, lang) for n in numeric]
            else:
                texts = [format_number(n, lang, 2) for n in numeric]
            right.append(header)
        elif pd.api.types.is_datetime64_any_dtype(df[column]):
            texts = [
                "–" if pd.isna(v) else format_datetime(pd.Timestamp(v).to_pydatetime(), lang)
                for v in values
            ]
        elif all(isinstance(v, date_type) or v is None for v in values) and any(
            v is not None for v in values
        ):
            texts = [format_date(v, lang, "short") if v is not None else "–" for v in values]
        elif all(isinstance(v, bool) for v in values):
            texts = [t("yes") if v else t("no") for v in values]
        elif column.endswith("year") or column.endswith("_id"):
            texts = [
                "–"
                if v is None or (isinstance(v, float) and v != v)
                else str(int(v))
                if isinstance(v, int | float)
                else str(v)
                for v in values
            ]
        elif values and all(
            isinstance(v, int | float | Decimal) and not isinstance(v, bool)
            for v in values
            if v is not None
        ):
            texts = [
                format_number(
                    to_decimal(v),
                    lang,
                    0
                    if all(float(x).is_integer() for x in values if x is not None and x == x)
                    else 2,
                )
                for v in values
            ]  # type: ignore[arg-type]
            right.append(header)
        else:
            texts = [
                "–" if v is None or (isinstance(v, float) and v != v) else str(v) for v in values
            ]
        shown[header] = texts
    return pd.DataFrame(shown), right
