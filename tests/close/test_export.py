"""The internal-invoice export on hand-made invoice lines: vouchers, balance, CP437, invoice basis."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from pipelines.lib.close.export import pc8_text, set_aside_export, sie_name, write_export
from pipelines.lib.readers import CONTRACT_COLUMNS, read_sie4, read_table

MONTH = date(2031, 3, 1)

# (voucher, kind, restated month, org, org name, cc, cc name, service, service name, activity,
#  debit, credit, credit cc, cause, amount)
LINES = [
    (
        1,
        "charge",
        None,
        "SKO",
        "Skolförvaltningen",
        "SKO-1",
        "Skola gemensamt",
        "IT-DRIFT",
        "IT-drift åäö",
        "IT-DRIFT",
        "6951",
        "3591",
        "SSC-IT",
        None,
        "1000.00",
    ),
    (
        1,
        "charge",
        None,
        "SKO",
        "Skolförvaltningen",
        "SKO-2",
        "Skola Östra",
        "IT-DRIFT",
        "IT-drift åäö",
        "IT-DRIFT",
        "6951",
        "3591",
        "SSC-IT",
        None,
        "250.25",
    ),
    (
        1,
        "charge",
        None,
        "SKO",
        "Skolförvaltningen",
        "SKO-1",
        "Skola gemensamt",
        "HR-LON",
        "Lön – bas",
        "HR-LON",
        "6950",
        "3590",
        "SSC-HR",
        None,
        "-40.10",
    ),
    (
        2,
        "charge",
        None,
        "ÄLV",
        "Älvdalens förvaltning – stöd",
        "ÄLV-1",
        "=SUMMA(A1)",
        "IT-DRIFT",
        "IT-drift åäö",
        "IT-DRIFT",
        "6951",
        "3591",
        "SSC-IT",
        None,
        "99.99",
    ),
    (
        3,
        "restatement",
        date(2031, 1, 1),
        "SKO",
        "Skolförvaltningen",
        "SKO-1",
        "Skola gemensamt",
        "IT-DRIFT",
        "IT-drift åäö",
        "IT-DRIFT",
        "6951",
        "3591",
        "SSC-IT",
        "ledger/ledger_2031-01_korr.csv ersatte ledger/ledger_2031-01.csv",
        "12.34",
    ),
]


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    connection.execute("create schema marts")
    connection.execute(
        """
        create table marts.fct_invoice_line (
            period_month date, fiscal_year integer, close_id varchar, voucher_number integer,
            line_kind varchar, restated_month date, consumer_org_code varchar, org_name varchar,
            consumer_cost_centre_code varchar, cost_centre_name varchar, service_id varchar,
            service_name_sv varchar, activity_code varchar, debit_account varchar,
            debit_account_name varchar, debit_account_class varchar, credit_account varchar,
            credit_account_name varchar, credit_account_class varchar,
            credit_cost_centre_code varchar, credit_cost_centre_name varchar, cause_sv varchar,
            cause_en varchar, amount_sek decimal(18, 2)
        )
        """
    )
    for (
        voucher,
        kind,
        restated,
        org,
        org_name,
        cc,
        cc_name,
        service,
        service_name,
        activity,
        debit,
        credit,
        credit_cc,
        cause,
        amount,
    ) in LINES:
        connection.execute(
            "insert into marts.fct_invoice_line values (?, 2031, 'c1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, 'Köpta tjänster', 'cost', ?, 'Interna intäkter', 'revenue', ?, 'Servicecenter', ?, "
            "?, ?)",
            [
                MONTH,
                voucher,
                kind,
                restated,
                org,
                org_name,
                cc,
                cc_name,
                service,
                service_name,
                activity,
                debit,
                credit,
                credit_cc,
                cause,
                cause,
                amount,
            ],
        )
    connection.execute(
        "create table marts.dim_cost_centre (cost_centre_code varchar, org_code varchar)"
    )
    connection.execute(
        "insert into marts.dim_cost_centre values ('SSC-IT', 'SSC'), ('SSC-HR', 'SSC')"
    )
    connection.execute("create table marts.dim_organisation (org_code varchar, org_name varchar)")
    connection.execute("insert into marts.dim_organisation values ('SSC', 'Servicecenter Väst')")
    yield connection
    connection.close()


def test_every_voucher_balances_and_debits_are_the_lines(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    export = write_export(con, MONTH, "c1", tmp_path / "exports", series="IF")
    assert export.sie == tmp_path / "exports" / "2031-03" / sie_name(MONTH)
    assert export.vouchers == 3
    result = read_table(export.sie, "ledger", CONTRACT_COLUMNS["ledger"])
    assert not result.row_problems and not result.warnings
    by_voucher: dict[str, Decimal] = defaultdict(Decimal)
    debits: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for record in result.records:
        assert record["voucher_series"] == "IF" and record["voucher_date"] == "2031-03-31"
        amount = Decimal(str(record["amount_sek"]))
        by_voucher[str(record["voucher_number"])] += amount
        if record["account"] in ("6950", "6951"):
            debits[(str(record["cost_centre_code"]), str(record["activity_code"]))] += amount
    assert by_voucher == {"1": 0, "2": 0, "3": 0}
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in LINES:
        expected[(line[5], line[9])] += Decimal(line[14])
    assert debits == expected
    # Credits: one row per service and voucher, on the producing cost centre.
    credits = [
        (r["voucher_number"], r["account"], r["cost_centre_code"], r["amount_sek"])
        for r in result.records
        if r["account"] in ("3590", "3591")
    ]
    assert sorted(credits) == sorted(
        [
            ("1", "3590", "SSC-HR", "40.10"),
            ("1", "3591", "SSC-IT", "-1250.25"),
            ("2", "3591", "SSC-IT", "-99.99"),
            ("3", "3591", "SSC-IT", "-12.34"),
        ]
    )


def test_header_dimensions_and_swedish_text_in_cp437(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    export = write_export(con, MONTH, "c1", tmp_path / "exports")
    data = export.sie.read_bytes()
    text = data.decode("cp437")
    lines = text.split("\r\n")
    assert lines[:3] == ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4"]
    assert "#RAR 0 20310101 20311231" in lines
    assert '#FNAMN "Servicecenter Väst"' in lines
    assert {'#DIM 1 "Ansvar"', '#DIM 6 "Projekt"', '#DIM 20 "Verksamhet"'} <= set(lines)
    assert "#KTYP 6951 K" in lines and "#KTYP 3591 I" in lines
    # The en dash has no codepage 437 character: it becomes a hyphen; å, ä, ö, Ä, Ö stay.
    assert '#VER I 2 20310331 "Internfakturering 2031-03 ÄLV Älvdalens förvaltning - stöd"' in lines
    assert (
        '#VER I 3 20310331 "Omföring SKO Skolförvaltningen avser 2031-01: '
        'ledger/ledger_2031-01_korr.csv ersatte ledger/ledger_2031-01.csv"'
    ) in lines
    sie = read_sie4(export.sie)
    assert any(o.name == "Skola Östra" for o in sie.objects)
    assert {r["text"] for r in sie.records} == {"IT-drift åäö", "Lön - bas"}


def test_invoice_basis_per_organisation(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    export = write_export(con, MONTH, "c1", tmp_path / "exports")
    basis = export.directory / "fakturaunderlag"
    assert sorted(p.name for p in basis.iterdir()) == ["SKO.csv", "SKO.xlsx", "ÄLV.csv", "ÄLV.xlsx"]
    with (basis / "SKO.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["voucher"] for r in rows] == ["I 1", "I 1", "I 1", "I 3"]
    assert rows[-1]["line_kind"] == "restatement" and rows[-1]["restated_month"] == "2031-01"
    assert sum(Decimal(r["amount_sek"]) for r in rows) == Decimal("1222.49")
    with (basis / "ÄLV.csv").open(encoding="utf-8-sig", newline="") as handle:
        (alv,) = list(csv.DictReader(handle))
    # A text cell that a spreadsheet would run as a formula is written as text.
    assert alv["cost_centre_name"] == "'=SUMMA(A1)"
    alv_sheet = load_workbook(basis / "ÄLV.xlsx").worksheets[0]
    header = [c.value for c in alv_sheet[1]]
    cell = alv_sheet.cell(row=2, column=header.index("cost_centre_name") + 1)
    # In XLSX the text reads as delivered, in a text cell, never a formula.
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=SUMMA(A1)", "s", True)
    sheet = load_workbook(basis / "SKO.xlsx", read_only=True).worksheets[0]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "period" and values[-1][0] == "Summa"
    assert Decimal(str(values[-1][14])).quantize(Decimal("0.01")) == Decimal("1222.49")


def test_a_reexport_replaces_and_a_reopen_sets_aside(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    first = write_export(con, MONTH, "c1", exports)
    second = write_export(con, MONTH, "c1", exports)
    assert first.sie.read_bytes() == second.sie.read_bytes()
    moved = set_aside_export(exports, MONTH, "c1")
    assert moved == exports / "2031-03" / "reopened-c1"
    assert not second.sie.exists() and (moved / sie_name(MONTH)).exists()
    assert (moved / "fakturaunderlag" / "SKO.csv").exists()


def test_pc8_text_replaces_what_codepage_437_lacks() -> None:
    assert pc8_text("Gbg – Hisingen € ’x’") == "Gbg - Hisingen EUR 'x'"
    assert pc8_text("Åre, Öckerö, Älvsborg") == "Åre, Öckerö, Älvsborg"
    # ó is in codepage 437; ź decomposes to z; Ł has no decomposition.
    assert pc8_text("Łódź") == "?ódz"
