"""Turn real exports (SIE 4, CSV from Swedish Excel, XLSX) into canonical rows of one table.

One entry point, `read_table`, dispatching on the file suffix. It returns a `ReadResult`:
accepted `records` (canonical columns, canonical text: ISO dates, `YYYY-MM` periods, `.`
decimals) each with its 1-based row/line in the source file, and `row_problems` for rows that
were not accepted (the caller quarantines them, with `problem_records` holding their values as
read). A file that cannot be read at all raises `ReaderError` naming file, place, what is wrong
and what to do.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.lib.readers.columns import ALIASES, CONTRACT_COLUMNS
from pipelines.lib.readers.common import (
    ReaderError,
    ReadResult,
    Record,
    RowProblem,
    byte_excerpt,
    reject_binary_file,
    write_canonical_csv,
)
from pipelines.lib.readers.sie4 import (
    DEFAULT_DIMENSIONS,
    SieDimensions,
    SieFile,
    SieObject,
    SieTrans,
    SieVoucher,
    read_sie4,
    to_read_result,
    vouchers_from_records,
    write_sie4,
)
from pipelines.lib.readers.tabular import read_csv, read_xlsx

__all__ = [
    "ALIASES",
    "CONTRACT_COLUMNS",
    "REJECTED_SUFFIXES",
    "DEFAULT_DIMENSIONS",
    "SIE_SUFFIXES",
    "SUFFIXES",
    "ReadResult",
    "ReaderError",
    "Record",
    "RowProblem",
    "SieDimensions",
    "SieFile",
    "SieObject",
    "SieTrans",
    "SieVoucher",
    "read_sie4",
    "read_table",
    "vouchers_from_records",
    "write_canonical_csv",
    "write_sie4",
]

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SIE_SUFFIXES = (".se", ".si", ".sie")
SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES + SIE_SUFFIXES
# Named by the contract but not read: such a file is rejected (and quarantined) with the fix.
REJECTED_SUFFIXES = (".xls",)


def _looks_like_sie(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith((b"#FLAGGA", b"#PROGRAM", b"#FORMAT", b"#SIETYP"))


def read_table(
    path: Path,
    table: str,
    expected_columns: list[str],
    *,
    display_name: str | None = None,
    sie_dimensions: SieDimensions = DEFAULT_DIMENSIONS,
) -> ReadResult:
    """Read one file of `table` into canonical records with exactly `expected_columns`.

    `.csv`/`.txt` (a `.txt` starting with SIE records is read as SIE), `.xlsx`/`.xlsm`, and
    `.se`/`.si`/`.sie` (SIE 4: `ledger`, or `accounts` from its chart of accounts).
    `display_name` is how the file is named in messages (default: its name), e.g. the path
    relative to the landing folder.
    """
    source = display_name or path.name
    suffix = path.suffix.lower()
    if suffix in SIE_SUFFIXES:
        reject_binary_file(path, source)
    if suffix in SIE_SUFFIXES or (suffix == ".txt" and _looks_like_sie(path)):
        sie = read_sie4(path, dimensions=sie_dimensions, display_name=source)
        return to_read_result(sie, table, expected_columns)
    if suffix in CSV_SUFFIXES:
        return read_csv(path, table, expected_columns, display_name=source)
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, table, expected_columns, display_name=source)
    with path.open("rb") as handle:
        start = byte_excerpt(handle.read(16))
    if suffix in REJECTED_SUFFIXES:
        raise ReaderError(
            source,
            f"a file ending in '{path.suffix}' is an Excel 97-2003 workbook (this one starts with "
            f"{start}), which fordela does not read",
            "open it in Excel and save it as .xlsx (Excel-arbetsbok), then deliver that file",
        )
    raise ReaderError(
        source,
        f"files ending in '{path.suffix}' cannot be read (it starts with {start})",
        "deliver it as .csv, .xlsx or SIE 4 (.se) (see docs/input-formats.md).",
    )
