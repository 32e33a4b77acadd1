"""Write the corpus of awkward and broken input files the reader tests use (outputs are committed).

Run `uv run python tests/data/bad_inputs/make_corpus.py` after changing a file here. Files are
written from this script rather than by hand because their bytes matter: encodings (Windows-1252,
codepage 437, UTF-16), byte-order marks, no-break spaces and Excel workbooks.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

LEDGER_HEADER = (
    "voucher_series,voucher_number,voucher_date,period,account,cost_centre_code,activity_code,"
    "project_code,counterparty,amount_sek,text"
)
SWEDISH_LEDGER_HEADER = (
    "Serie;Vernr;Bokföringsdatum;Period;Konto;Ansvar;Verksamhet;Projekt;Motpart;Belopp;Beskrivning"
)
NBSP = "\u00a0"

SIE_HEAD = """#FLAGGA 0
#PROGRAM "Raindance" 5.2
#FORMAT PC8
#GEN 20170405
#SIETYP 4
#FNAMN "Intraservice Göteborgs Stad"
#RAR 0 20170101 20171231
#DIM 1 "Ansvar"
#DIM 6 "Projekt"
#DIM 20 "Verksamhet"
#KONTO 2440 "Leverantörsskulder"
#KONTO 5460 "Licenser och programvara"
"""


def text_files() -> dict[str, bytes]:
    crlf = "\r\n"
    return {
        # Swedish Excel "CSV (semikolonavgränsad)": Windows-1252, semicolons, decimal comma,
        # Swedish header names.
        "ledger_2017-03_cp1252.csv": crlf.join(
            [
                SWEDISH_LEDGER_HEADER,
                "A;101;2017-03-15;2017-03;5410;I060-9001;IT-ARB;;Atea Sverige AB;"
                f"1{NBSP}234,50;Förbrukningsinventarier åäö ÅÄÖ",
                "A;101;2017-03-15;2017-03;2440;;;;Atea Sverige AB;-1234,5;Leverantörsskuld",
                "",
            ]
        ).encode("cp1252"),
        # "CSV UTF-8 (kommaavgränsad)": a byte-order mark before the first header name.
        "ledger_2017-03_bom.csv": (
            "\ufeff"
            + "\n".join(
                [
                    LEDGER_HEADER,
                    "A,102,2017-03-16,2017-03,5460,I060-9001,IT-ARB,VO-2,Microsoft,999.90,Licens",
                    "A,102,2017-03-16,2017-03,2440,,,,Microsoft,-999.90,",
                    "",
                ]
            )
        ).encode("utf-8"),
        # Semicolons, decimal commas with no-break-space and space thousands separators.
        "volumes_2017-03_semicolon_decimal_comma.csv": "\n".join(
            [
                "Period;Drivare;Ansvar;Antal",
                f"2017-03;WORKPLACE;N131-0001;1{NBSP}234,5",
                "2017-03;STORAGE_GB;N131-0001;12 500,25",
                "2017-03;MAILBOX;N131-0002;-3",
                ";;;",
                "",
            ]
        ).encode("utf-8"),
        # Excel "Unicode text": UTF-16 with BOM, tab separated.
        "volumes_2017-03_utf16_tab.txt": "\r\n".join(
            [
                "period\tdriver_code\tcost_centre_code\tquantity",
                "2017-03\tWORKPLACE\tN131-0001\t17",
                "2017-03\tLAN_PORT\tN131-0001\t2,5",
                "",
            ]
        ).encode("utf-16"),
        "ledger_2017-03_missing_column.csv": "\n".join(
            [
                LEDGER_HEADER.removesuffix(",text"),
                "A,103,2017-03-17,2017-03,5460,I060-9001,IT-ARB,,Atea,10.00",
                "",
            ]
        ).encode("utf-8"),
        "ledger_2017-03_extra_column.csv": "\n".join(
            [
                LEDGER_HEADER + ",Kommentar",
                "A,104,2017-03-17,2017-03,5460,I060-9001,IT-ARB,,Atea,10.00,Licens,ok",
                "",
            ]
        ).encode("utf-8"),
        "ledger_2017-03_non_numeric_amount.csv": "\n".join(
            [
                LEDGER_HEADER,
                "A,105,2017-03-18,2017-03,5460,I060-9001,IT-ARB,,Atea,250.00,Licens",
                "A,105,2017-03-18,2017-03,5460,I060-9001,IT-ARB,,Atea,ett tusen,Licens",
                "A,105,2017-03-18,2017-03,2440,,,,Atea,-250.00,",
                "",
            ]
        ).encode("utf-8"),
        "ledger_2017-03_empty.csv": b"",
        "ledger_2017-03_header_only.csv": (LEDGER_HEADER + "\n").encode("utf-8"),
        # SIE 4 from here on: codepage 437, CR LF.
        "ledger_2017-03_truncated.se": sie(
            SIE_HEAD
            + """#VER A 1 20170315 "Faktura Atea"
{
#TRANS 5460 {1 "I060-9001" 20 "IT-ARB"} 1234.50
#TRANS 2440 {} -1234.50
}
#VER A 2 20170316 "Faktura Microsoft"
{
#TRANS 5460 {1 "I060-9001" 20 "IT-ARB"} 99.00
"""
        ),
        "ledger_2017-03_unbalanced.se": sie(
            SIE_HEAD
            + """#VER A 1 20170315 "Faktura Atea"
{
#TRANS 5460 {1 "I060-9001" 20 "IT-ARB"} 1234.50
#TRANS 2440 {} -1234.50
}
#VER A 2 20170316 "Faktura Microsoft"
{
#TRANS 5460 {1 "I060-9001" 20 "IT-ARB"} 100.00
#TRANS 2440 {} -90.00
}
"""
        ),
        # A changed voucher: a row added (#RTRANS and its #TRANS twin) and one removed (#BTRANS).
        "ledger_2017-03_rtrans_btrans.se": sie(
            SIE_HEAD
            + """#VER A 3 20170320 "Faktura Atea, ändrad" 20170322
{
#TRANS 5460 {1 "I060-9001" 20 "IT-ARB"} 600.00 20170320 "Licens"
#BTRANS 5460 {1 "I060-9002" 20 "IT-ARB"} 400.00 20170320 "Fel ansvar" 1 "anna"
#RTRANS 5460 {1 "I060-9003" 20 "IT-ARB"} 400.00 20170322 "Rätt ansvar" 1 "anna"
#TRANS 5460 {1 "I060-9003" 20 "IT-ARB"} 400.00 20170322 "Rätt ansvar" 1 "anna"
#TRANS 2440 {} -1000.00 20170320 "Leverantörsskuld"
}
"""
        ),
        # Object lists: several dimensions, an empty list, a dimension fordela does not use (2),
        # tabs between fields, quoted text with an escaped quote.
        "ledger_2017-03_object_lists.se": sie(
            SIE_HEAD
            + """#OBJEKT 1 "I060-9001" "IT-drift"
#OBJEKT 20 "IT-ARB" "IT-arbetsplats"
#VER "B" "7" 20170331 "Periodisering \\"mars\\""
{
#TRANS 5460 {1 "I060-9001" 6 "VO-2" 20 "IT-ARB" 2 "K17"} 300.25
#TRANS\t5460\t{20 IT-TEL 1 I060-9002}\t200.00\t20170331\t"Telefoni"
#TRANS 2440 {} -500.25 20170331 ""
}
"""
        ),
        "ledger_2017-03_cp437_names.se": sie(
            SIE_HEAD
            + """#KONTO 7010 "Lön till tjänstemän"
#KONTO 5410 "Förbrukningsinventarier"
#KTYP 7010 K
#KTYP 5410 K
#KTYP 2440 S
#KTYP 5460 K
#VER A 9 20170325 "Löner mars"
{
#TRANS 7010 {1 "I060-9001" 20 "HR-LON"} 50000.00
#TRANS 2440 {} -50000.00
}
"""
        ),
        "ledger_2017-03_wrong_format.se": sie(SIE_HEAD.replace("#FORMAT PC8", "#FORMAT UTF8")),
        # --- files that are not what their name says, or not whole ---------------------------
        # UTF-16 without the byte-order mark that Excel's "Unicode text" writes.
        "ledger_2017-03_utf16_no_bom.csv": "\r\n".join(
            [
                LEDGER_HEADER,
                "A,110,2017-03-20,2017-03,5460,I060-9001,IT-ARB,,Atea,10.00,Licens",
                "A,110,2017-03-20,2017-03,2440,,,,Atea,-10.00,Licens",
                "",
            ]
        ).encode("utf-16-le"),
        # "Unicode text" with its mark, but the copy stopped in the middle of a character.
        "volumes_2017-03_utf16_cut_short.txt": "\r\n".join(
            [
                "period\tdriver_code\tcost_centre_code\tquantity",
                "2017-03\tWORKPLACE\tN131-0001\t17",
                "2017-03\tLAN_PORT\tN131-0001\t2",
            ]
        ).encode("utf-16")[:-1],
        # A ZIP archive of two monthly files, renamed .csv.
        "ledger_2017-03_zip_renamed.csv": zipped(
            {
                "ledger_2017-03.csv": LEDGER_HEADER + "\n",
                "ledger_2017-04.csv": LEDGER_HEADER + "\n",
            }
        ),
        # Another binary file named .csv (the start of a PNG image: zero bytes, no text).
        "volumes_2017-03_binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 4,
        # The header of an OLE2 compound file, as Excel 97-2003 writes .xls (fordela reads .xlsx).
        "ledger_2017-03_old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        # The copy stopped in the middle of a row: the rows after it are missing.
        "ledger_2017-03_cut_short.csv": "\n".join(
            [
                LEDGER_HEADER,
                "A,111,2017-03-21,2017-03,5460,I060-9001,IT-ARB,,Atea,10.00,Licens",
                "A,111,2017-03-21,2017-03,2440,,,,Atea,-10.00,Licens",
                "A,112,2017-03-22,2017-03,5460,I060-9",
            ]
        ).encode("utf-8"),
        # A report printed to CSV: the print line under the table is not a row.
        "ledger_2017-03_print_line.csv": "\r\n".join(
            [
                SWEDISH_LEDGER_HEADER,
                "A;113;2017-03-23;2017-03;5460;I060-9001;IT-ARB;;Atea;10,00;Licens",
                "A;113;2017-03-23;2017-03;2440;;;;Atea;-10,00;Licens",
                "",
                "Utskriven 2017-12-02 av NN",
                "",
            ]
        ).encode("cp1252"),
        # A free text of 1 MB in an otherwise canonical file (the loader's fast path reads it).
        "ledger_2017-03_long_text.csv": "\n".join(
            [
                LEDGER_HEADER,
                "A,114,2017-03-24,2017-03,5460,I060-9001,IT-ARB,,Atea,10.00,"
                + ("Lång text " * (1 << 17)).strip(),
                "A,114,2017-03-24,2017-03,2440,,,,Atea,-10.00,Licens",
                "",
            ]
        ).encode("utf-8"),
        "ledger_2017-03_unknown_record_in_voucher.se": sie(
            SIE_HEAD
            + """#VER A 4 20170315 "Faktura"
{
#TRANS 5460 {} 10.00
#KONTO 5461 "Licenser"
#TRANS 2440 {} -10.00
}
"""
        ),
        "ledger_2017-03_sie_non_numeric_amount.se": sie(
            SIE_HEAD
            + """#VER A 5 20170315 "Faktura"
{
#TRANS 5460 {1 "I060-9001" 20 "IT-ARB"} 1234,50
#TRANS 2440 {} -1234.50
}
#VER A 6 20170316 "Faktura"
{
#TRANS 5460 {1 "I060-9001" 20 "IT-ARB"} 10.00
#TRANS 2440 {} -10.00
}
"""
        ),
    }


def zipped(files: dict[str, str]) -> bytes:
    """A ZIP archive with fixed dates, so that its bytes are the same on every run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2017, 4, 5, 12, 0, 0)), text)
    return buffer.getvalue()


def sie(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("cp437")


def workbooks() -> dict[str, openpyxl.Workbook]:
    # A ledger report as UBW/Agresso exports it: title rows, the header on row 4, typed cells,
    # formatted empty rows below the data.
    report = openpyxl.Workbook()
    sheet = report.active
    assert sheet is not None
    sheet.title = "Huvudbok"
    sheet["A1"] = "Rapport: Huvudbok 2017-03"
    sheet["A2"] = "Utskriven 2017-04-05"
    header = [
        "Serie", "Verifikationsnummer", "Datum", "Period", "Konto", "Ansvar", "Verksamhet",
        "Projekt", "Motpart", "Belopp", "Text",
    ]
    sheet.append([])
    sheet.append(header)  # row 4
    sheet.append(
        ["A", 201, dt.date(2017, 3, 15), "2017-03", 5460, "I060-9001", "IT-ARB", None,
         "Atea Sverige AB", 1234.5, "Licenser"]
    )
    sheet.append(
        ["A", 201, dt.datetime(2017, 3, 15), dt.date(2017, 3, 1), 2440, None, None, None,
         "Atea Sverige AB", -1234.5, None]
    )
    for row in range(7, 10):  # empty but formatted rows that Excel keeps in the sheet
        sheet.cell(row=row, column=10).number_format = "# ##0,00"
    empty = openpyxl.Workbook()
    # A real workbook, renamed .csv: named as what it is, with the fix (rename it .xlsx).
    renamed = openpyxl.Workbook()
    renamed_sheet = renamed.active
    assert renamed_sheet is not None
    renamed_sheet.append(LEDGER_HEADER.split(","))
    return {
        "ledger_2017-03_title_rows.xlsx": report,
        "ledger_2017-03_empty_sheet.xlsx": empty,
        "ledger_2017-03_xlsx_renamed.csv": renamed,
    }


def main() -> None:
    for name, data in text_files().items():
        (HERE / name).write_bytes(data)
    for name, workbook in workbooks().items():
        fixed = dt.datetime(2017, 4, 5, 12, 0)
        workbook.properties.created = fixed
        workbook.properties.modified = fixed
        workbook.save(HERE / name)


if __name__ == "__main__":
    main()
