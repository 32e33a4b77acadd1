"""Every file of the bad-input corpus gives exactly the expected outcome, and rows add up."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.lib.readers import CONTRACT_COLUMNS, ReaderError, read_table

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad_inputs"


@dataclass(frozen=True)
class Accepted:
    """A file that is read: how many rows, which rows are problems, what the metadata says."""

    row_numbers: list[int]
    problems: list[tuple[int, str | None, str]]  # row, column, check
    metadata: dict[str, object]
    first: dict[str, str | None] | None = None  # the first record, when it matters


@dataclass(frozen=True)
class Rejected:
    """A file that is rejected as a whole: its exact message."""

    message: str


EXPECTED: dict[str, Accepted | Rejected] = {
    "ledger_2017-03_cp1252.csv": Accepted(
        [2, 3],
        [],
        {"encoding": "cp1252", "delimiter": ";", "header_row": 1},
        {
            "voucher_series": "A",
            "voucher_number": "101",
            "voucher_date": "2017-03-15",
            "period": "2017-03",
            "account": "5410",
            "cost_centre_code": "I060-9001",
            "activity_code": "IT-ARB",
            "project_code": None,
            "counterparty": "Atea Sverige AB",
            "amount_sek": "1234.50",
            "text": "Förbrukningsinventarier åäö ÅÄÖ",
        },
    ),
    "ledger_2017-03_bom.csv": Accepted(
        [2, 3],
        [],
        {"encoding": "utf-8-sig", "delimiter": ",", "header_row": 1},
    ),
    "volumes_2017-03_semicolon_decimal_comma.csv": Accepted(
        [2, 3, 4],
        [],
        {"encoding": "utf-8", "delimiter": ";"},
        {
            "period": "2017-03",
            "driver_code": "WORKPLACE",
            "cost_centre_code": "N131-0001",
            "quantity": "1234.5",
        },
    ),
    "volumes_2017-03_utf16_tab.txt": Accepted(
        [2, 3],
        [],
        {"encoding": "utf-16", "delimiter": "\t"},
    ),
    "ledger_2017-03_title_rows.xlsx": Accepted(
        [5, 6],
        [],
        {"format": "xlsx", "sheet": "Huvudbok", "header_row": 4},
        {
            "voucher_series": "A",
            "voucher_number": "201",
            "voucher_date": "2017-03-15",
            "period": "2017-03",
            "account": "5460",
            "cost_centre_code": "I060-9001",
            "activity_code": "IT-ARB",
            "project_code": None,
            "counterparty": "Atea Sverige AB",
            "amount_sek": "1234.5",
            "text": "Licenser",
        },
    ),
    "ledger_2017-03_non_numeric_amount.csv": Accepted(
        [2, 4],
        [(3, "amount_sek", "number")],
        {"format": "csv"},
    ),
    "ledger_2017-03_unbalanced.se": Accepted(
        [15, 16],
        [(20, "amount_sek", "voucher_balanced"), (21, "amount_sek", "voucher_balanced")],
        {"format": "sie4", "encoding": "cp437", "vouchers": 2},
    ),
    "ledger_2017-03_rtrans_btrans.se": Accepted(
        [15, 17, 19],
        [],
        {"rtrans_twins_skipped": 1, "removed_rows": 1},
    ),
    "ledger_2017-03_object_lists.se": Accepted(
        [17, 18, 19],
        [],
        {"format": "sie4"},
        {
            "voucher_series": "B",
            "voucher_number": "7",
            "voucher_date": "2017-03-31",
            "period": "2017-03",
            "account": "5460",
            "cost_centre_code": "I060-9001",
            "activity_code": "IT-ARB",
            "project_code": "VO-2",
            "counterparty": None,
            "amount_sek": "300.25",
            "text": 'Periodisering "mars"',
        },
    ),
    "ledger_2017-03_cp437_names.se": Accepted(
        [21, 22],
        [],
        {"encoding": "cp437", "company": "Intraservice Göteborgs Stad"},
    ),
    "ledger_2017-03_sie_non_numeric_amount.se": Accepted(
        [20, 21],
        [(15, "amount_sek", "number"), (16, None, "voucher_incomplete")],
        {},
    ),
    "ledger_2017-03_truncated.se": Rejected(
        "ledger_2017-03_truncated.se: file ends inside voucher A 2 opened at line 18; the export "
        "was cut off, export it again."
    ),
    "ledger_2017-03_wrong_format.se": Rejected(
        "ledger_2017-03_wrong_format.se line 3: #FORMAT is 'UTF8', but SIE 4 files are written in "
        "PC8 (codepage 437); export the file again with the character set PC8 / IBM 437, as the "
        "SIE standard requires."
    ),
    "ledger_2017-03_unknown_record_in_voucher.se": Rejected(
        "ledger_2017-03_unknown_record_in_voucher.se line 16: unexpected record '#KONTO' inside "
        "voucher A 4 (opened at line 13); only #TRANS, #RTRANS and #BTRANS may appear between { "
        "and }; the export is damaged or was changed by hand; export it again from the ledger "
        "system."
    ),
    "ledger_2017-03_empty.csv": Rejected(
        "ledger_2017-03_empty.csv: the file is empty; export it again or remove it."
    ),
    "ledger_2017-03_empty_sheet.xlsx": Rejected(
        "ledger_2017-03_empty_sheet.xlsx: the workbook has no data; export it again or remove it."
    ),
    "ledger_2017-03_header_only.csv": Rejected(
        "ledger_2017-03_header_only.csv: the file has a header (row 1) but no data rows; export it "
        "again with the rows of the period, or remove the file."
    ),
    "ledger_2017-03_missing_column.csv": Rejected(
        "ledger_2017-03_missing_column.csv row 1: missing column(s) text (header: voucher_series, "
        "voucher_number, voucher_date, period, account, cost_centre_code, activity_code, "
        "project_code, counterparty, amount_sek); add the missing column(s); the ledger contract "
        "has exactly these columns: voucher_series, voucher_number, voucher_date, period, account, "
        "cost_centre_code, activity_code, project_code, counterparty, amount_sek, text (see "
        "docs/input-formats.md)."
    ),
    "ledger_2017-03_extra_column.csv": Rejected(
        "ledger_2017-03_extra_column.csv row 1: unexpected column(s) 'Kommentar' (field 12) "
        "(header: voucher_series, voucher_number, voucher_date, period, account, "
        "cost_centre_code, activity_code, project_code, counterparty, amount_sek, text, "
        "Kommentar); remove the extra column(s); the ledger contract has exactly these columns: "
        "voucher_series, voucher_number, voucher_date, period, account, cost_centre_code, "
        "activity_code, project_code, counterparty, amount_sek, text (see docs/input-formats.md)."
    ),
}


def corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.suffix != ".py")


def table_of(name: str) -> str:
    return name.split("_", 1)[0]


def test_every_corpus_file_has_an_expected_outcome() -> None:
    assert corpus_files() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_outcome(name: str) -> None:
    table = table_of(name)
    expected = EXPECTED[name]
    if isinstance(expected, Rejected):
        with pytest.raises(ReaderError) as caught:
            read_table(CORPUS / name, table, CONTRACT_COLUMNS[table])
        assert str(caught.value) == expected.message
        return
    result = read_table(CORPUS / name, table, CONTRACT_COLUMNS[table])
    assert result.row_numbers == expected.row_numbers
    assert [(p.row, p.column, p.check) for p in result.row_problems] == expected.problems
    for problem in result.row_problems:
        assert problem.message.startswith(f"{name} ")
        assert f" {problem.row}" in problem.message
    assert {k: result.metadata.get(k) for k in expected.metadata} == expected.metadata
    if expected.first is not None:
        assert result.records[0] == expected.first
    # The invariant the caller relies on: every row read is either a record or a problem row.
    assert result.rows_read == len(result.records) + len({p.row for p in result.row_problems})
    assert not set(result.row_numbers) & set(result.problem_rows)
    assert sorted(result.problem_records) == result.problem_rows
    assert all(list(r) == CONTRACT_COLUMNS[table] for r in result.records)


def test_the_corpus_script_reproduces_the_committed_text_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, data in module.text_files().items():
        assert (CORPUS / name).read_bytes() == data, f"run make_corpus.py again ({name})"
