"""CSV and XLSX reading: encodings, delimiters, headers, Swedish aliases, row problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from pipelines.lib.readers import (
    CONTRACT_COLUMNS,
    ReaderError,
    read_table,
    write_canonical_csv,
)

LEDGER = CONTRACT_COLUMNS["ledger"]
VOLUMES = CONTRACT_COLUMNS["volumes"]
LEDGER_HEADER = ",".join(LEDGER)
GOOD_ROW = "A,1,2017-03-15,2017-03,5460,I060-9001,IT-ARB,,Atea,10.00,Licens"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def error_of(path: Path, table: str = "ledger") -> str:
    with pytest.raises(ReaderError) as caught:
        read_table(path, table, CONTRACT_COLUMNS[table])
    return str(caught.value)


# -- encodings and delimiters --------------------------------------------------------------------


def test_windows_1252_is_detected_when_the_bytes_are_not_utf8(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "v.csv",
        "period;driver_code;cost_centre_code;quantity\n2017-03;MAILBOX;Hälsa-åäö;1\n".encode(
            "cp1252"
        ),
    )
    result = read_table(path, "volumes", VOLUMES)
    assert result.metadata["encoding"] == "cp1252"
    assert result.records[0]["cost_centre_code"] == "Hälsa-åäö"


def test_utf8_with_bom_does_not_leak_into_the_first_column_name(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "v.csv",
        "\ufeffperiod,driver_code,cost_centre_code,quantity\n2017-03,MAILBOX,N131-0001,1\n",
    )
    result = read_table(path, "volumes", VOLUMES)
    assert result.metadata["encoding"] == "utf-8-sig"
    assert result.records == [
        {
            "period": "2017-03",
            "driver_code": "MAILBOX",
            "cost_centre_code": "N131-0001",
            "quantity": "1",
        }
    ]


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path, "v.csv", b"period,driver_code,cost_centre_code,quantity\n2017-03,X\x81,N131,1\n"
    )
    assert error_of(path, "volumes") == (
        "v.csv row 2: the file is neither UTF-8 nor Windows-1252 (byte 0x81 cannot be read as "
        "utf-8/cp1252; the row reads '2017-03,X\ufffd,N131,1'); save it from Excel as 'CSV UTF-8 "
        "(kommaavgränsad)' and load it again."
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_is_found(tmp_path: Path, delimiter: str) -> None:
    lines = [delimiter.join(VOLUMES), delimiter.join(["2017-03", "MAILBOX", "N131-0001", '"1,5"'])]
    path = write(tmp_path, "v.csv", "\n".join(lines) + "\n")
    result = read_table(path, "volumes", VOLUMES)
    assert result.metadata["delimiter"] == delimiter
    assert result.records[0]["quantity"] == "1.5"


def test_semicolons_decimal_commas_and_swedish_headers(tmp_path: Path) -> None:
    content = (
        "Serie;Vernr;Bokföringsdatum;Period;Konto;Ansvar;Verksamhet;Projekt;Motpart;Belopp;Beskrivning\r\n"
        "A;7;2017-03-15;2017-03;5460;I060-9001;IT-ARB;VO-2;Atea;1\u00a0234\u00a0567,89;Licens; del 2\r\n"
    )
    result = read_table(write(tmp_path, "l.csv", content), "ledger", LEDGER)
    assert result.row_problems[0].check == "field_count"  # the unquoted ';' in the text
    content = content.replace("Licens; del 2", '"Licens; del 2"')
    result = read_table(write(tmp_path, "l.csv", content), "ledger", LEDGER)
    assert result.records == [
        {
            "voucher_series": "A",
            "voucher_number": "7",
            "voucher_date": "2017-03-15",
            "period": "2017-03",
            "account": "5460",
            "cost_centre_code": "I060-9001",
            "activity_code": "IT-ARB",
            "project_code": "VO-2",
            "counterparty": "Atea",
            "amount_sek": "1234567.89",
            "text": "Licens; del 2",
        }
    ]
    assert result.metadata["column_map"]["Belopp"] == "amount_sek"  # type: ignore[index]


def test_header_names_are_matched_ignoring_case_spaces_and_underscores(tmp_path: Path) -> None:
    path = write(
        tmp_path, "v.csv", " PERIOD ,Driver code,Cost-Centre_Code,Volym\n2017-03,MAILBOX,N131,2\n"
    )
    assert read_table(path, "volumes", VOLUMES).records[0]["quantity"] == "2"


# -- header problems -----------------------------------------------------------------------------


def test_missing_column_names_what_is_missing_and_what_was_found(tmp_path: Path) -> None:
    path = write(tmp_path, "v.csv", "period,driver_code,quantity\n2017-03,MAILBOX,1\n")
    assert error_of(path, "volumes") == (
        "v.csv row 1: missing column(s) cost_centre_code (header: period, driver_code, quantity); "
        "add the missing column(s); the volumes contract has exactly these columns: period, "
        "driver_code, cost_centre_code, quantity (see docs/input-formats.md)."
    )


def test_extra_column_says_which_to_remove(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "v.csv",
        "period,driver_code,cost_centre_code,quantity,Kommentar\n2017-03,MAILBOX,N131,1,x\n",
    )
    assert error_of(path, "volumes") == (
        "v.csv row 1: unexpected column(s) 'Kommentar' (field 5) (header: period, driver_code, "
        "cost_centre_code, quantity, Kommentar); remove the extra column(s); the volumes contract "
        "has exactly these columns: period, driver_code, cost_centre_code, quantity (see "
        "docs/input-formats.md)."
    )


def test_two_columns_with_the_same_meaning_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "v.csv",
        "period,driver_code,cost_centre_code,Antal,Volym\n2017-03,MAILBOX,N131,1,1\n",
    )
    message = error_of(path, "volumes")
    assert "'Antal' (field 4) and 'Volym' (field 5) are all read as quantity" in message
    assert "keep one column for quantity" in message


def test_values_under_an_empty_header_cell_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "v.csv",
        "period,driver_code,cost_centre_code,quantity,\n2017-03,MAILBOX,N131,1,\n2017-03,MAILBOX,N132,1,oops\n",
    )
    assert error_of(path, "volumes") == (
        "v.csv row 3: field 5 has values (here 'oops') but no header; give it a header from the "
        "contract or remove the column (see docs/input-formats.md)."
    )


def test_a_file_without_any_contract_header_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "v.csv", "a,b,c\n1,2,3\n")
    assert error_of(path, "volumes") == (
        "v.csv: no header row found in the first 30 rows: none of the volumes columns (period, "
        "driver_code, cost_centre_code, quantity) appear; add the header row "
        "(docs/input-formats.md) or check that this is a volumes file."
    )


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n \r\n"])
def test_an_empty_file_is_rejected(tmp_path: Path, content: bytes) -> None:
    assert error_of(write(tmp_path, "v.csv", content), "volumes") == (
        "v.csv: the file is empty; export it again or remove it."
    )


def test_a_header_only_file_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "v.csv", ";;;\nperiod;driver_code;cost_centre_code;quantity\n;;;\n")
    assert error_of(path, "volumes") == (
        "v.csv: the file has a header (row 2) but no data rows; export it again with the rows of "
        "the period, or remove the file."
    )


# -- rows ------------------------------------------------------------------------------------------


def test_row_problems_keep_their_rows_out_of_the_records(tmp_path: Path) -> None:
    content = "\n".join(
        [
            "Rapport: Volymer 2017-03",
            "",
            ",".join(VOLUMES),
            "2017-03,MAILBOX,N131,1",
            "2017-03,MAILBOX,N132,tio",
            "mars,MAILBOX,N133,x",
            "2017-03,MAILBOX,N134",
            "2017-03,MAILBOX,N135,1,2",
            "",
            '2017-03,MAILBOX,N136,"3,5"',
            ",,,",
            "",
        ]
    )
    result = read_table(write(tmp_path, "volumes_2017-03.csv", content), "volumes", VOLUMES)
    assert result.row_numbers == [4, 10]
    assert [(p.row, p.column, p.value, p.check) for p in result.row_problems] == [
        (5, "quantity", "tio", "number"),
        (6, "period", "mars", "period"),
        (6, "quantity", "x", "number"),
        (7, None, None, "field_count"),
        (8, None, "2", "field_count"),
    ]
    assert result.row_problems[0].message == (
        "volumes_2017-03.csv row 5, column 'quantity' (field 4): 'tio' is not a number; write "
        "numbers like 1234.50, 1234,50 or 1 234,50 (no currency or unit)."
    )
    assert result.row_problems[3].message == (
        "volumes_2017-03.csv row 7: the row '2017-03,MAILBOX,N134' has 3 fields but the header "
        "has 4; the row is cut short or a line break splits it; export the file again."
    )
    assert result.row_problems[4].message == (
        "volumes_2017-03.csv row 8: the row has 5 fields but the header has 4 "
        "('2017-03,MAILBOX,N135,1,2'); a value probably contains the delimiter comma without "
        "quotes; quote that value or export the file again."
    )
    assert result.problem_records[6] == {
        "period": "mars",
        "driver_code": "MAILBOX",
        "cost_centre_code": "N133",
        "quantity": "x",
    }
    assert result.problem_rows == [5, 6, 7, 8]
    assert result.rows_read == 6 == len(result.records) + len(result.problem_rows)
    assert result.metadata["header_row"] == 3
    assert result.warnings == [
        "volumes_2017-03.csv: header found on row 3; the rows above it were skipped "
        "('Rapport: Volymer 2017-03')"
    ]


def test_a_quoted_line_break_keeps_the_row_number_of_the_next_rows(tmp_path: Path) -> None:
    content = (
        LEDGER_HEADER
        + "\n"
        + GOOD_ROW.replace("Licens", '"Licens\nrad 2"')
        + "\n"
        + GOOD_ROW
        + "\n"
    )
    result = read_table(write(tmp_path, "l.csv", content), "ledger", LEDGER)
    assert result.row_numbers == [2, 4]
    assert result.records[0]["text"] == "Licens\nrad 2"


def test_display_name_is_used_in_messages(tmp_path: Path) -> None:
    path = write(tmp_path, "l.csv", LEDGER_HEADER + "\n" + GOOD_ROW.replace("10.00", "x") + "\n")
    result = read_table(path, "ledger", LEDGER, display_name="ledger/l.csv")
    assert result.row_problems[0].message.startswith("ledger/l.csv row 2, column 'amount_sek'")


def test_unknown_suffixes_are_rejected(tmp_path: Path) -> None:
    assert error_of(write(tmp_path, "l.xls", b"x")) == (
        "l.xls: a file ending in '.xls' is an Excel 97-2003 workbook (this one starts with 'x'), "
        "which fordela does not read; open it in Excel and save it as .xlsx (Excel-arbetsbok), "
        "then deliver that file."
    )
    assert "deliver it as .csv, .xlsx or SIE 4 (.se)" in error_of(write(tmp_path, "l.json", b"{}"))


def test_a_txt_file_with_sie_content_is_read_as_sie(tmp_path: Path) -> None:
    content = '#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#VER A 1 20170301 "x"\r\n{\r\n#TRANS 5460 {} 5\r\n#TRANS 2440 {} -5\r\n}\r\n'
    result = read_table(write(tmp_path, "export.txt", content), "ledger", LEDGER)
    assert result.metadata["format"] == "sie4" and result.row_numbers == [6, 7]


def test_write_canonical_csv_round_trips_through_the_reader(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "l.csv",
        (
            "Serie;Vernr;Datum;Period;Konto;Ansvar;Verksamhet;Projekt;Motpart;Belopp;Text\n"
            'A;1;20170315;201703;5460;I060-9001;IT-ARB;;"Atea, AB";1 234,5;Rad "ett"\n'
        ),
    )
    result = read_table(source, "ledger", LEDGER)
    out = write_canonical_csv(
        result, tmp_path / "out" / "ledger_2017-03.csv", source_row_column="_source_row"
    )
    text = out.read_text(encoding="utf-8")
    assert text == (
        LEDGER_HEADER + ",_source_row\n"
        'A,1,2017-03-15,2017-03,5460,I060-9001,IT-ARB,,"Atea, AB",1234.5,"Rad ""ett""",2\n'
    )
    plain = write_canonical_csv(result, tmp_path / "plain.csv")
    assert read_table(plain, "ledger", LEDGER).records == result.records


# -- XLSX ------------------------------------------------------------------------------------------


def workbook(
    tmp_path: Path, rows: Sequence[Sequence[object]], *, title: str = "Blad1", name: str = "v.xlsx"
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for values in rows:
        sheet.append(values)
    path = tmp_path / name
    book.save(path)
    return path


def test_xlsx_header_below_title_rows_and_typed_cells(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [
            ["Rapport: Huvudbok 2017-03"],
            [],
            [
                "Serie",
                "Verifikationsnummer",
                "Datum",
                "Period",
                "Konto",
                "Ansvar",
                "Verksamhet",
                "Projekt",
                "Motpart",
                "Belopp",
                "Text",
            ],
            [
                "A",
                12,
                dt.date(2017, 3, 15),
                dt.date(2017, 3, 1),
                5460,
                "I060-9001",
                "IT-ARB",
                None,
                "Atea",
                1234.5,
                "Licens",
            ],
            [
                "A",
                12,
                dt.datetime(2017, 3, 15),
                "2017-03",
                2440,
                None,
                None,
                None,
                "Atea",
                -1234.5,
                None,
            ],
            [None, None, None],
        ],
        title="Huvudbok",
    )
    result = read_table(path, "ledger", LEDGER)
    assert result.metadata | {"column_map": None} == {
        "format": "xlsx",
        "encoding": None,
        "delimiter": None,
        "sheet": "Huvudbok",
        "header_row": 3,
        "column_map": None,
    }
    assert result.row_numbers == [4, 5]
    assert result.records[0] == {
        "voucher_series": "A",
        "voucher_number": "12",
        "voucher_date": "2017-03-15",
        "period": "2017-03",
        "account": "5460",
        "cost_centre_code": "I060-9001",
        "activity_code": "IT-ARB",
        "project_code": None,
        "counterparty": "Atea",
        "amount_sek": "1234.5",
        "text": "Licens",
    }
    assert result.records[1]["amount_sek"] == "-1234.5" and result.records[1]["text"] is None


def test_xlsx_row_problem_names_sheet_row_and_column_letter(tmp_path: Path) -> None:
    path = workbook(tmp_path, [VOLUMES, ["2017-03", "MAILBOX", "N131", "många"]], title="Volymer")
    result = read_table(path, "volumes", VOLUMES)
    assert result.records == []
    assert result.row_problems[0].message == (
        "v.xlsx sheet 'Volymer' row 2, column 'quantity' (column D): 'många' is not a number; "
        "write numbers like 1234.50, 1234,50 or 1 234,50 (no currency or unit)."
    )


def test_xlsx_picks_the_sheet_with_the_contract_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Info"
    first.append(["Den här filen innehåller volymer"])
    data = book.create_sheet("Data")
    data.append(["Period", "Drivare", "Ansvar", "Antal"])
    data.append(["2017-03", "WORKPLACE", "N131-0001", 17])
    path = tmp_path / "v.xlsx"
    book.save(path)
    result = read_table(path, "volumes", VOLUMES)
    assert result.metadata["sheet"] == "Data"
    assert result.records == [
        {
            "period": "2017-03",
            "driver_code": "WORKPLACE",
            "cost_centre_code": "N131-0001",
            "quantity": "17",
        }
    ]


def test_xlsx_extra_column_names_its_letter(tmp_path: Path) -> None:
    path = workbook(tmp_path, [[*VOLUMES, "Kommentar"], ["2017-03", "MAILBOX", "N131", 1, "x"]])
    assert error_of(path, "volumes").startswith(
        "v.xlsx sheet 'Blad1' row 1: unexpected column(s) 'Kommentar' (column E)"
    )


def test_a_file_that_is_not_a_workbook_is_rejected(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "v.xlsx", b"not a zip file"), "volumes")
    assert message.startswith("v.xlsx: the file cannot be opened as an Excel workbook (")
    assert message.endswith("open it in Excel and save it again as .xlsx.")
