"""The invoice basis (fakturaunderlag) as an Excel workbook (openpyxl), exact to the öre.

One sheet *Fakturaunderlag* with a heading block (organisation, period, snapshot), one row per
charge and a total row written as a value (a formula would have no value until Excel computes
it, and a reader of the file should see the same total as the page); one sheet *Per tjänst*
with the sums per service. Amounts are numbers with a two-decimal format, not text. Every text
cell is written as text, never as a formula (`pipelines.lib.exports`): names and ledger texts
come from the cities' files.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboards.lib.format import Lang
from dashboards.lib.i18n import t
from pipelines.lib.exports import append_xlsx_row

SEK_FORMAT = "#,##0.00"
VOLUME_FORMAT = "#,##0.###"
SHARE_FORMAT = "0.000000"

# (column in the invoice-basis frame, heading key, number format or None)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("period_month", "xl_period", "yyyy-mm"),
    ("cost_centre_code", "xl_cost_centre", None),
    ("cost_centre_name", "xl_cost_centre_name", None),
    ("service_area_name_sv", "xl_service_area", None),
    ("service_id", "xl_service_id", None),
    ("service_name_sv", "xl_service", None),
    ("allocation_method", "xl_method", None),
    ("driver_code", "xl_driver", None),
    # Empty on support-cost rows (see queries.invoice_basis), which name their support service.
    ("driver_volume", "xl_volume", VOLUME_FORMAT),
    ("support_service_id", "xl_support_service", None),
    ("share", "xl_share", SHARE_FORMAT),
    ("unit_price_sek", "xl_unit_price", SEK_FORMAT),
    ("amount_sek", "xl_amount", SEK_FORMAT),
    ("rule_id", "xl_rule", None),
)
AMOUNT_INDEX = [c for c, _, _ in COLUMNS].index("amount_sek")


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, Decimal):
        # Excel stores doubles; two-decimal SEK amounts are exact enough there (and re-read
        # by the tests with rounding to the öre).
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _table_format(column: str, values: pd.Series) -> str | None:
    """The number format of a downloaded table's column: SEK amounts, shares, dates."""
    if column.endswith("_sek"):
        return SEK_FORMAT
    if column.endswith(("_share", "share")):
        return SHARE_FORMAT
    sample = next((v for v in values if v is not None and v == v), None)
    if isinstance(sample, pd.Timestamp | datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(sample, date):
        return "yyyy-mm-dd"
    return None


def table_workbook(frame: pd.DataFrame, sheet_title: str = "fordela") -> bytes:
    """Any table a page shows as an Excel workbook: its machine-readable columns (as the CSV
    download), amounts and volumes as numbers, dates as dates, texts as text (never formulas),
    the header bold and frozen, a filter on every column."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    columns = [str(c) for c in frame.columns]
    append_xlsx_row(ws, columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for record in frame.itertuples(index=False, name=None):
        append_xlsx_row(ws, [_cell(value) for value in record])
    last = len(frame) + 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        number_format = _table_format(column, frame.iloc[:, index - 1])
        if number_format and last > 1:
            for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index):
                cell.number_format = number_format
        ws.column_dimensions[letter].width = max(12, min(50, len(column) + 4))
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def invoice_workbook(
    rows: pd.DataFrame,
    *,
    org_code: str,
    org_name: str,
    fiscal_year: int,
    through_month: date,
    published_at: datetime | None,
    lang: Lang,
) -> bytes:
    """The workbook's bytes. `rows` is `queries.invoice_basis(...)`."""
    wb = Workbook()
    ws = wb.active
    ws.title = t("xl_sheet_basis", lang)
    bold = Font(bold=True)

    append_xlsx_row(ws, [t("xl_title", lang)])
    ws["A1"].font = Font(bold=True, size=14)
    append_xlsx_row(ws, [t("xl_organisation", lang), f"{org_code} {org_name}"])
    append_xlsx_row(ws, [t("xl_period_range", lang), f"{fiscal_year}-01 – {through_month:%Y-%m}"])
    append_xlsx_row(
        ws,
        [
            t("xl_source", lang),
            published_at.strftime("%Y-%m-%d %H:%M UTC") if published_at else "–",
        ],
    )
    ws.append([])
    header_row = ws.max_row + 1
    append_xlsx_row(ws, [t(key, lang) for _, key, _ in COLUMNS])
    for cell in ws[header_row]:
        cell.font = bold
    for record in rows.itertuples(index=False):
        data = record._asdict()
        append_xlsx_row(ws, [_cell(data.get(column)) for column, _, _ in COLUMNS])
    first_data, last_data = header_row + 1, ws.max_row
    total = sum((Decimal(v) for v in rows["amount_sek"] if v is not None), Decimal(0))
    total_cells: list[object] = [None] * len(COLUMNS)
    total_cells[0] = t("xl_total", lang)
    total_cells[AMOUNT_INDEX] = float(total)
    append_xlsx_row(ws, total_cells)
    total_row = ws.max_row
    for cell in ws[total_row]:
        cell.font = bold

    # Numbers and dates are right-aligned by Excel itself; only their formats are set.
    for index, (_, _, number_format) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if number_format:
            for (cell,) in ws.iter_rows(
                min_row=first_data, max_row=total_row, min_col=index, max_col=index
            ):
                cell.number_format = number_format
        ws.column_dimensions[letter].width = 14 if number_format else 24
    ws.freeze_panes = ws[f"A{header_row + 1}"]
    if last_data >= first_data:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(COLUMNS))}{last_data}"

    per_service = wb.create_sheet(t("xl_sheet_services", lang))
    append_xlsx_row(
        per_service, [t("xl_service_id", lang), t("xl_service", lang), t("xl_amount", lang)]
    )
    for cell in per_service[1]:
        cell.font = bold
    if len(rows):
        sums = rows.groupby(["service_id", "service_name_sv"], dropna=False, sort=True)[
            "amount_sek"
        ].agg(lambda s: sum((Decimal(v) for v in s), Decimal(0)))
        for (service_id, name), amount in sums.items():
            append_xlsx_row(per_service, [service_id, name, float(amount)])
    append_xlsx_row(per_service, [t("xl_total", lang), None, float(total)])
    per_service[per_service.max_row][0].font = bold
    per_service[per_service.max_row][2].font = bold
    for row in range(2, per_service.max_row + 1):
        per_service[f"C{row}"].number_format = SEK_FORMAT
    per_service.column_dimensions["A"].width = 16
    per_service.column_dimensions["B"].width = 50
    per_service.column_dimensions["C"].width = 18

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_total(content: bytes) -> Decimal:
    """The total row's amount of a workbook made by `invoice_workbook` (for tests and checks)."""
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = [
        row for row in ws.iter_rows(values_only=True) if row and any(v is not None for v in row)
    ]
    if not rows or len(rows[-1]) <= AMOUNT_INDEX or rows[-1][AMOUNT_INDEX] is None:
        raise ValueError("no total row")
    return Decimal(str(rows[-1][AMOUNT_INDEX])).quantize(Decimal("0.01"))
