"""What a reader returns: canonical records with their source rows, row problems, file errors."""

from __future__ import annotations

import csv
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
        self.location = location if location is not None else (
            f"line {line}" if line is not None else None
        )
        where = f"{file} {self.location}" if self.location else file
        super().__init__(f"{where}: {what}; {fix}")


class NoDataRows(ReaderError):
    """A readable file with a header and no data rows. A monthly file like that is a broken
    export (rejected); a register may be empty (the loader keeps `result`, with no rows)."""

    def __init__(self, file: str, what: str, fix: str, *, result: ReadResult) -> None:
        super().__init__(file, what, fix)
        self.result = result


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
