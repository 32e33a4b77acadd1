"""What a reader returns: canonical records with their source rows, row problems, file errors."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

Record = dict[str, str | None]


class ReaderError(Exception):
    """A file that cannot be read at all (the whole file is rejected).

    The message reads `<file> [<where>]: <what>; <fix>`; the parts are kept as attributes.
    """

    def __init__(
        self,
        file: str,
        what: str,
        fix: str,
        *,
        line: int | None = None,
        location: str | None = None,
    ) -> None:
        fix = fix if fix.endswith(".") else fix + "."
        self.file = file
        self.line = line
        self.what = what
        self.fix = fix
        self.location = (
            location if location is not None else (f"line {line}" if line is not None else None)
        )
        where = f"{file} {self.location}" if self.location else file
        super().__init__(f"{where}: {what}; {fix}")


class NoDataRows(ReaderError):
    """A readable file with a header and no data rows. A monthly file like that is a broken
    export (rejected); a register may be empty (the loader keeps `result`, with no rows)."""

    def __init__(self, file: str, what: str, fix: str, *, result: ReadResult) -> None:
        super().__init__(file, what, fix)
        self.result = result


EXCERPT_CHARS = 60


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A line or value quoted for a message: control characters shown, shortened with '…'."""
    shown = "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text[: limit * 2]
    )
    return (
        "'" + (shown[:limit] + "…" if len(shown) > limit or len(text) > limit * 2 else shown) + "'"
    )


def byte_excerpt(data: bytes, limit: int = 8) -> str:
    """The first bytes of a file quoted for a message (printable ASCII as is, others as \\xNN)."""
    shown = "".join(chr(b) if 32 <= b < 127 and b != 92 else f"\\x{b:02X}" for b in data[:limit])
    return "'" + shown + ("…" if len(data) > limit else "") + "'"


# Files that are not text, by their first bytes, and what to do with each.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive", "unpack it and deliver the files inside"),
    (b"PK\x05\x06", "an empty ZIP archive", "deliver the files themselves, not an archive"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Excel 97-2003 workbook (.xls) or another old Office document",
        "open it in Excel and save it as .xlsx (Excel-arbetsbok) or as 'CSV UTF-8 "
        "(kommaavgränsad)'",
    ),
    (b"%PDF", "a PDF document", "deliver the table as CSV or XLSX, not as a printout"),
    (b"\x1f\x8b", "a gzip archive", "unpack it and deliver the file inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and deliver the files inside"),
    (b"Rar!", "a RAR archive", "unpack it and deliver the files inside"),
)
_TEXT_SUFFIXES = {".csv": "CSV", ".txt": "text", ".se": "SIE", ".si": "SIE", ".sie": "SIE"}


def reject_binary(data: bytes, source: str, suffix: str) -> None:
    """Raise a `ReaderError` saying what a file is when a text file (CSV, SIE) is not text.

    An archive, a workbook or a document under a text name is named as what it is (an Excel
    workbook in a ZIP is recognised by its parts), with the fix. Bytes that are text pass.
    """
    kind = _TEXT_SUFFIXES.get(suffix.lower(), "text")
    for signature, what, fix in _SIGNATURES:
        if data.startswith(signature):
            if signature == b"PK\x03\x04":
                what, fix = _zip_contents(data, what, fix)
            raise ReaderError(
                source,
                f"this is not a {kind} file but {what} (it starts with {byte_excerpt(data)})",
                fix,
                line=1,
                location="line 1" if kind == "SIE" else "row 1",
            )


def reject_binary_file(path: Path, source: str) -> None:
    """`reject_binary` for a file on disk, reading all of it only when it is not text."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if any(head.startswith(signature) for signature, _, _ in _SIGNATURES):
        reject_binary(path.read_bytes(), source, path.suffix)


def _zip_contents(data: bytes, what: str, fix: str) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return what + ", cut short or damaged", fix
    if "xl/workbook.xml" in names:
        return (
            "an Excel workbook (.xlsx) with another name",
            "give it the ending .xlsx (the same name otherwise) and deliver it again",
        )
    listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{what} holding {listed or 'nothing'}", fix


@dataclass(frozen=True)
class RowProblem:
    """One reason one source row was not accepted. The caller quarantines the row."""

    row: int  # 1-based line (text files) or row (spreadsheets) in the source file
    column: str | None  # canonical column, or None when the problem is the whole row
    value: str | None  # the offending value as read
    check: str  # short machine name: number, date, voucher_balanced, field_count, ...
    message: str  # full sentence: file, row, column, value, what is wrong and what to do


@dataclass
class ReadResult:
    """Canonical rows of one file, plus the rows that could not be accepted and why.

    Invariant: `rows_read == len(records) + len(problem_rows)`; a row is either in `records`
    (with its source row in `row_numbers` at the same index) or has at least one `RowProblem`
    (and its values as read in `problem_records`), never both.
    """

    source: str
    table: str
    columns: list[str]
    records: list[Record] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)
    problem_records: dict[int, Record] = field(default_factory=dict)
    metadata: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def problem_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.row_problems})

    @property
    def rows_read(self) -> int:
        return len(self.records) + len(self.problem_rows)


def write_canonical_csv(
    result: ReadResult, path: Path, *, source_row_column: str | None = None
) -> Path:
    """Write the accepted records as canonical CSV (UTF-8, comma, `\\n`, empty for null).

    `source_row_column` adds a column with each record's row in the original file, so that the
    lineage survives the conversion (the canonical CSV's own line numbers are not the source's).
    """
    columns = list(result.columns) + ([source_row_column] if source_row_column else [])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for record, row in zip(result.records, result.row_numbers, strict=True):
            values = ["" if record.get(c) is None else record[c] for c in result.columns]
            if source_row_column:
                values.append(str(row))
            writer.writerow(values)
    return path
