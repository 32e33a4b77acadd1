"""Every file of the bad-input corpus gives exactly the expected outcome, and rows add up.

The loader reads a canonical CSV with DuckDB (the fast path, `fast_read_csv`) and everything else
with the readers; both must accept and reject the same files with the same rows, so every file
of both corpora goes through both here.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipelines.lib.landing import fast_read_csv
from pipelines.lib.readers import (
    CONTRACT_COLUMNS,
    ReaderError,
    ReadResult,
    read_table,
    write_canonical_csv,
)

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad_inputs"
LOADER_CORPUS = Path(__file__).resolve().parents[1] / "data" / "ingest"
LEDGER_HEADER_TEXT = (
    "voucher_series, voucher_number, voucher_date, period, account, cost_centre_code, "
    "activity_code, project_code, counterparty, amount_sek, text"
)


@dataclass(frozen=True)
class Accepted:
    """A file that is read: how many rows, which rows are problems, what the metadata says."""

    row_numbers: list[int]
    problems: list[tuple[int, str | None, str]]  # row, column, check
    metadata: dict[str, object]
    first: dict[str, str | None] | None = None  # the first record, when it matters
    fast: bool = False  # the loader's fast path (DuckDB) reads it, with the same rows
    messages: dict[int, str] | None = None  # exact messages of row problems, by row


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
    "ledger_2017-03_long_text.csv": Accepted([2, 3], [], {"format": "csv"}, fast=True),
    # A report's print line under the table is quarantined, quoted, with the fix.
    "ledger_2017-03_print_line.csv": Accepted(
        [2, 3],
        [(5, None, "field_count")],
        {"encoding": "cp1252", "delimiter": ";"},
        messages={
            5: "ledger_2017-03_print_line.csv row 5: the last line 'Utskriven 2017-12-02 av NN' has "
            "1 field but the header has 11: it is not a row of the table (a report footer such as a "
            "print date?); remove the line from the file, or export the table without page footers."
        },
    ),
    # --- rejected: what the file is, where, what was found, the fix ------------------------------
    "ledger_2017-03_old_excel.xls": Rejected(
        "ledger_2017-03_old_excel.xls: a file ending in '.xls' is an Excel 97-2003 workbook (this "
        "one starts with '\\xD0\\xCF\\x11\\xE0\\xA1\\xB1\\x1A\\xE1…'), which fordela does not read; "
        "open it in Excel and save it as .xlsx (Excel-arbetsbok), then deliver that file."
    ),
    "ledger_2017-03_utf16_no_bom.csv": Rejected(
        "ledger_2017-03_utf16_no_bom.csv row 1: the file is UTF-16 text (little-endian) without "
        "the byte-order mark that marks it as such; its first line reads "
        "'voucher_series,voucher_number,voucher_date,period,account,co…'; save it from Excel as "
        "'CSV UTF-8 (kommaavgränsad)' (or as 'Unicode-text', which writes the mark) and load it "
        "again."
    ),
    "volumes_2017-03_utf16_cut_short.txt": Rejected(
        "volumes_2017-03_utf16_cut_short.txt row 3: the file is UTF-16 (it starts with the "
        "byte-order mark) but byte 212 cannot be read: it is cut short or damaged (row 3 reads "
        "'2017-03\\tLAN_PORT\\tN131-0001\\t\ufffd'); export it again and deliver the whole file."
    ),
    "ledger_2017-03_zip_renamed.csv": Rejected(
        "ledger_2017-03_zip_renamed.csv row 1: this is not a CSV file but a ZIP archive holding "
        "ledger_2017-03.csv, ledger_2017-04.csv (it starts with "
        "'PK\\x03\\x04\\x14\\x00\\x00\\x00…'); unpack it and deliver the files inside."
    ),
    "ledger_2017-03_xlsx_renamed.csv": Rejected(
        "ledger_2017-03_xlsx_renamed.csv row 1: this is not a CSV file but an Excel workbook "
        "(.xlsx) with another name (it starts with 'PK\\x03\\x04\\x14\\x00\\x00\\x00…'); give it "
        "the ending .xlsx (the same name otherwise) and deliver it again."
    ),
    "volumes_2017-03_binary.csv": Rejected(
        "volumes_2017-03_binary.csv row 3: the file holds zero bytes, which no text export has: "
        "it is binary or damaged (row 3 reads '\\x00\\x00\\x00\\rIHDR\\x00\\x00\\x01\\x00‰PNG'); "
        "export the table again as CSV or XLSX."
    ),
    "ledger_2017-03_cut_short.csv": Rejected(
        "ledger_2017-03_cut_short.csv row 4: the file ends in the middle of row 4, which reads "
        "'A,112,2017-03-22,2017-03,5460,I060-9' (6 of 11 fields): the file was cut short (a copy "
        "or an export that stopped); export it again and deliver the whole file."
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
    for row, message in (expected.messages or {}).items():
        assert message in [p.message for p in result.row_problems if p.row == row]


def _all_corpus_files() -> list[Path]:
    return sorted(
        p for folder in (CORPUS, LOADER_CORPUS) for p in folder.iterdir() if p.suffix != ".py"
    )


def _table_of_path(path: Path) -> str:
    prefix = path.name.split("_", 1)[0]
    return {"cost": "cost_centres", "plan": "plan_amounts"}.get(prefix, prefix)


def _fast_rows(fast: object) -> tuple[list[dict[str, str | None]], list[int]]:
    rows = fast.to_pylist()  # type: ignore[attr-defined]
    return [{k: v for k, v in r.items() if k != "_source_row"} for r in rows], [
        r["_source_row"] for r in rows
    ]


@pytest.mark.parametrize("path", _all_corpus_files(), ids=lambda p: p.name)
def test_fast_path_and_reader_accept_and_reject_the_same_files(path: Path, tmp_path: Path) -> None:
    table = _table_of_path(path)
    columns = CONTRACT_COLUMNS[table]
    fast = fast_read_csv(table, path)
    result: ReadResult | None
    try:
        result = read_table(path, table, columns)
    except ReaderError:
        result = None
    expected = EXPECTED.get(path.name)
    if expected is not None:
        assert (fast is not None) == (isinstance(expected, Accepted) and expected.fast)
    if fast is not None:
        # What DuckDB reads, the reader reads identically (and finds nothing wrong with).
        assert result is not None and not result.row_problems
        assert _fast_rows(fast) == (result.records, result.row_numbers)
    if result is None or not result.records:
        return
    # The accepted rows written canonically: the fast path reads exactly the reader's rows.
    canonical = write_canonical_csv(result, tmp_path / path.with_suffix(".csv").name)
    again = read_table(canonical, table, columns)
    assert again.records == result.records and not again.row_problems
    fast_again = fast_read_csv(table, canonical)
    if fast_again is not None:
        assert _fast_rows(fast_again) == (again.records, again.row_numbers)


def test_the_corpus_script_reproduces_the_committed_text_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, data in module.text_files().items():
        assert (CORPUS / name).read_bytes() == data, f"run make_corpus.py again ({name})"
