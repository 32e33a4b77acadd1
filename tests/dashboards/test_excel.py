"""Every table's Excel download (`dashboards.lib.excel.table_workbook`): what a controller opens
in Excel is the table's exact figures as numbers, not texts and never formulas."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pandas as pd
from openpyxl import load_workbook

from dashboards.lib.excel import SEK_FORMAT, table_workbook


def test_a_table_workbook_keeps_numbers_dates_and_texts_as_they_are() -> None:
    frame = pd.DataFrame(
        {
            "org_code": ["N131", '=HYPERLINK("x")', None],
            "period_month": [date(2017, 1, 1), date(2017, 2, 1), date(2017, 3, 1)],
            "amount_sek": [Decimal("1234567.89"), Decimal("-0.01"), None],
            "share": [Decimal("0.333333"), Decimal("0.5"), Decimal("0")],
            "row_count": [3, 2, 1],
        }
    )
    sheet = load_workbook(io.BytesIO(table_workbook(frame, "Tabell"))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Tabell"
    assert rows[0] == ("org_code", "period_month", "amount_sek", "share", "row_count")
    assert len(rows) == 4
    # Amounts are numbers, to the öre, in a SEK format; the empty amount stays empty.
    assert [Decimal(str(r[2])) if r[2] is not None else None for r in rows[1:]] == [
        Decimal("1234567.89"),
        Decimal("-0.01"),
        None,
    ]
    assert sheet["C2"].number_format == SEK_FORMAT and sheet["C2"].data_type == "n"
    assert sheet["B2"].is_date and sheet["B2"].value.date() == date(2017, 1, 1)
    assert [r[4] for r in rows[1:]] == [3, 2, 1]
    # A delivered text that starts like a formula is text with Excel's quote prefix.
    assert sheet["A3"].data_type == "s" and sheet["A3"].quotePrefix
    assert sheet["A3"].value == '=HYPERLINK("x")'
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E4"


def test_an_empty_table_is_its_header() -> None:
    frame = pd.DataFrame({"service_id": pd.Series([], dtype=object), "amount_sek": []})
    sheet = load_workbook(io.BytesIO(table_workbook(frame))).worksheets[0]
    assert list(sheet.iter_rows(values_only=True)) == [("service_id", "amount_sek")]
