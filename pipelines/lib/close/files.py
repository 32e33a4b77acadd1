"""Human-facing table files of the month close (the invoice basis): one CSV and one XLSX.

Every CSV and XLSX the close writes goes through `write_table_files`, and every text cell through
`pipelines.lib.exports` (the one rule against formula injection for files people open).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pipelines.lib.exports import append_xlsx_row, neutralise

SEK_FORMAT = "#,##0.00"


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(neutralise(str(value)))


def _xlsx_cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, Decimal):
        # Excel holds doubles; two-decimal SEK amounts round-trip to the öre.
        return float(value)
    if isinstance(value, int | date):
        return value
    return str(value)  # written as a text cell by append_xlsx_row, quote-prefixed if it would run


def write_table_files(
    stem: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    sheet: str,
    amount_column: str | None = None,
) -> list[Path]:
    """Write `stem`.csv (UTF-8 with BOM, comma, `.` decimals) and `stem`.xlsx (a header, the
    rows, a total row of `amount_column` written as a value); returns both paths."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    csv_path = stem.with_suffix(".csv")
    csv_path.write_bytes(buffer.getvalue().encode("utf-8-sig"))

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet[:31]
    append_xlsx_row(ws, list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_xlsx_row(ws, [_xlsx_cell(v) for v in row])
    if amount_column is not None:
        index = list(header).index(amount_column)
        total = sum((Decimal(str(r[index])) for r in rows if r[index] is not None), Decimal(0))
        total_row: list[object] = [None] * len(header)
        total_row[0] = "Summa"
        total_row[index] = float(total)
        ws.append(total_row)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        letter = get_column_letter(index + 1)
        for number in range(2, ws.max_row + 1):
            ws[f"{letter}{number}"].number_format = SEK_FORMAT
    ws.freeze_panes = "A2"
    for number in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(number)].width = 18
    xlsx_path = stem.with_suffix(".xlsx")
    workbook.save(xlsx_path)
    return [csv_path, xlsx_path]
