"""Read CSV (as Swedish Excel and ledger systems write it) and XLSX into canonical rows.

What is tolerated, because real exports do it: UTF-8 with or without BOM, Windows-1252 and
UTF-16 ("Unicode text") encodings; `,` `;` or tab delimiters; title rows above the header;
Swedish header names (`Belopp`, `Konto`, `Ansvar`, ...; see `columns.ALIASES`); decimal
commas and space thousands separators; Excel-typed numbers and dates; trailing empty rows and
columns. What is not: a header that does not match the contract exactly (missing, unknown or
duplicated columns reject the file), and values that are not what their column holds (the row
is returned as a row problem for the caller to quarantine).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from pipelines.lib.readers.columns import header_key, header_lookup, optional_columns
from pipelines.lib.readers.common import NoDataRows, ReaderError, ReadResult, Record, RowProblem
from pipelines.lib.readers.values import ValueProblem, format_number, normalise_cell

HEADER_SCAN_ROWS = 30
_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_CONTRACT = "docs/input-formats.md"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: object) -> str | None:
    """A cell as text for messages and quarantine (typed Excel values in canonical form)."""
    if _blank(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        try:
            return format_number(value, "")
        except ValueProblem:
            return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return]
    return str(value)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class _Layout:
    """Where the table sits in the file and how to name places in it in messages."""

    source: str  # file name as shown to the user
    place: str  # "" or "sheet 'Huvudbok' " (precedes "row N")
    header_row: int
    header_cells: list[object]
    spreadsheet: bool  # columns named by letter (XLSX) rather than number (CSV)

    def ref(self, index: int) -> str:
        return f"column {column_letter(index)}" if self.spreadsheet else f"field {index + 1}"

    def row(self, number: int) -> str:
        return f"{self.place}row {number}"


def _header_score(cells: list[object], lookup: dict[str, str]) -> int:
    return len({lookup[k] for c in cells if isinstance(c, str) and (k := header_key(c)) in lookup})


def _find_header(
    rows: Iterable[tuple[int, list[object]]], lookup: dict[str, str]
) -> tuple[int, int, list[object]] | None:
    """(score, row number, cells) of the row naming most contract columns, first one on ties."""
    best: tuple[int, int, list[object]] | None = None
    for number, cells in rows:
        score = _header_score(cells, lookup)
        if score and (best is None or score > best[0]):
            best = (score, number, cells)
    return best


def _no_header(source: str, table: str, expected: list[str], where: str) -> ReaderError:
    return ReaderError(
        source,
        f"no header row found in the first {HEADER_SCAN_ROWS} rows{where}: none of the {table} "
        f"columns ({', '.join(expected)}) appear",
        f"add the header row ({_CONTRACT}) or check that this is a {table} file",
    )


def _map_header(layout: _Layout, table: str, expected: list[str]) -> list[str | None]:
    """The canonical column of each header cell (None for an empty cell); strict on the set."""
    lookup = header_lookup(expected)
    columns: list[str | None] = []
    positions: dict[str, list[int]] = {}
    unknown: list[int] = []
    for index, cell in enumerate(layout.header_cells):
        text = _cell_text(cell)
        if text is None:
            columns.append(None)
            continue
        canonical = lookup.get(header_key(text))
        columns.append(canonical)
        if canonical is None:
            unknown.append(index)
        else:
            positions.setdefault(canonical, []).append(index)
    optional = optional_columns(table)
    missing = [c for c in expected if c not in positions and c not in optional]
    duplicated = {c: found for c, found in positions.items() if len(found) > 1}
    if not (missing or unknown or duplicated):
        return columns

    def named(index: int) -> str:
        return f"'{_cell_text(layout.header_cells[index])}' ({layout.ref(index)})"

    what: list[str] = []
    fix: list[str] = []
    exactly = f"the {table} contract has exactly these columns: {', '.join(expected)}"
    if leavable := [c for c in expected if c in optional]:
        exactly += f" ({', '.join(leavable)} may be left out)"
    if missing:
        what.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        what.append(f"unexpected column(s) {', '.join(named(i) for i in unknown)}")
    for canonical, found in duplicated.items():
        what.append(f"{' and '.join(named(i) for i in found)} are all read as {canonical}")
        fix.append(f"keep one column for {canonical}")
    if missing and unknown:
        fix.append(
            "rename or remove columns so that the header matches; " + exactly
            + " (Swedish names such as Belopp, Konto, Ansvar are also read)"
        )
    elif missing:
        fix.append("add the missing column(s); " + exactly)
    elif unknown:
        fix.append("remove the extra column(s); " + exactly)
    found_names = ", ".join(t for c in layout.header_cells if (t := _cell_text(c)) is not None)
    raise ReaderError(
        layout.source,
        "; ".join(what) + f" (header: {found_names})",
        "; ".join(fix) + f" (see {_CONTRACT}).",
        line=layout.header_row,
        location=layout.row(layout.header_row),
    )


def _build(
    layout: _Layout,
    table: str,
    expected: list[str],
    rows: Iterable[tuple[int, list[object]]],
    metadata: dict[str, object],
    warnings: list[str],
    delimiter: str | None = None,
) -> ReadResult:
    columns = _map_header(layout, table, expected)
    # Optional columns: one the file leaves out, or an empty cell of one, reads as its default.
    defaults = {c: d for c, d in optional_columns(table).items() if c in expected}
    width = len(columns)
    header_texts = [_cell_text(c) or "" for c in layout.header_cells]
    result = ReadResult(
        source=layout.source, table=table, columns=list(expected), metadata=metadata,
        warnings=warnings,
    )
    metadata["column_map"] = {
        header_texts[i]: c for i, c in enumerate(columns) if c is not None
    }
    for number, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        where = f"{layout.source} {layout.row(number)}"
        problems: list[RowProblem] = []
        if len(cells) > width and any(not _blank(c) for c in cells[width:]):
            extra = next(i for i in range(width, len(cells)) if not _blank(cells[i]))
            if delimiter is None:
                what = f"a value in {layout.ref(extra)}, right of the last header column"
                fix = "remove it or give the column a header that the contract knows"
            else:
                what = (
                    f"the row has {len(cells)} fields but the header has {width}; a value "
                    f"probably contains the delimiter {_DELIMITER_NAMES[delimiter]} without quotes"
                )
                fix = "quote that value or export the file again"
            problems.append(
                RowProblem(number, None, _cell_text(cells[extra]), "field_count", f"{where}: {what}; {fix}.")
            )
        elif delimiter is not None and len(cells) < width:
            problems.append(
                RowProblem(
                    number, None, None, "field_count",
                    f"{where}: the row has {len(cells)} fields but the header has {width}; the "
                    "row is cut short or a line break splits it; export the file again.",
                )
            )
        record: Record = {}
        raw: Record = {}
        for index, column in enumerate(columns):
            value = cells[index] if index < len(cells) else None
            if column is None:
                if not _blank(value):
                    raise ReaderError(
                        layout.source,
                        f"{layout.ref(index)} has values (here '{_cell_text(value)}') but no header",
                        f"give it a header from the contract or remove the column (see {_CONTRACT}).",
                        line=number,
                        location=layout.row(number),
                    )
                continue
            raw[column] = _cell_text(value)
            try:
                record[column] = normalise_cell(value, column)
            except ValueProblem as problem:
                problems.append(
                    RowProblem(
                        number, column, raw[column], problem.check,
                        f"{where}, column '{header_texts[index]}' ({layout.ref(index)}): "
                        f"{problem.what}; {problem.fix}.",
                    )
                )
        if problems:
            result.row_problems.extend(problems)
            result.problem_records[number] = {c: raw.get(c) for c in expected}
        else:
            for column, default in defaults.items():
                if record.get(column) is None:
                    record[column] = default
            result.records.append({c: record[c] for c in expected})
            result.row_numbers.append(number)
    if not result.records and not result.row_problems:
        raise NoDataRows(
            layout.source,
            f"the file has a header ({layout.row(layout.header_row)}) but no data rows",
            "export it again with the rows of the period, or remove the file.",
            result=result,
        )
    return result


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            failure = error
    line = data.count(b"\n", 0, failure.start) + 1
    raise ReaderError(
        source,
        f"the file is neither UTF-8 nor Windows-1252 (byte 0x{data[failure.start]:02X} cannot "
        f"be read as {'/'.join(encodings)})",
        "save it from Excel as 'CSV UTF-8 (kommaavgränsad)' and load it again.",
        line=line,
        location=f"row {line}",
    )


def _csv_rows(text: str, delimiter: str, source: str) -> Iterator[tuple[int, list[object]]]:
    """(line where the row starts, cells); blank lines are yielded as empty rows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, list(cells)
            line = reader.line_num + 1
    except csv.Error as error:
        raise ReaderError(
            source, f"the CSV cannot be read ({error})", "export the file again.",
            line=line, location=f"row {line}",
        ) from None


def _choose_delimiter(
    text: str, source: str, lookup: dict[str, str]
) -> tuple[str, tuple[int, int, list[object]] | None]:
    found: dict[str, tuple[int, int, list[object]] | None] = {}
    for delimiter in _DELIMITERS:
        try:
            head = [(n, c) for n, c in islice(_csv_rows(text, delimiter, source), 200) if c]
            found[delimiter] = _find_header(head[:HEADER_SCAN_ROWS], lookup)
        except ReaderError:
            found[delimiter] = None
    best = max((f[0] if f else 0) for f in found.values())
    tied = [d for d in _DELIMITERS if (found[d][0] if found[d] else 0) == best]  # type: ignore[index]
    if len(tied) == 1 or best == 0:
        return tied[0], found[tied[0]]
    # Several delimiters find the same header: let csv.Sniffer decide on the header line,
    # falling back to the delimiter that occurs most often in it.
    header_row = found[tied[0]][1]  # type: ignore[index]
    header_line = text.split("\n", header_row)[header_row - 1]
    try:
        sniffed = csv.Sniffer().sniff(header_line, delimiters="".join(tied)).delimiter
    except csv.Error:
        sniffed = ""
    delimiter = sniffed if sniffed in tied else max(tied, key=header_line.count)
    return delimiter, found[delimiter]


def read_csv(
    path: Path, table: str, expected_columns: list[str], *, display_name: str | None = None
) -> ReadResult:
    """Read one CSV/text export of a contract table (see the module docstring)."""
    source = display_name or path.name
    data = path.read_bytes()
    text, encoding = decode_text(data, source) if data else ("", "utf-8")
    if not text.strip():
        raise ReaderError(source, "the file is empty", "export it again or remove it.")
    lookup = header_lookup(expected_columns)
    delimiter, header = _choose_delimiter(text, source, lookup)
    if header is None:
        raise _no_header(source, table, expected_columns, "")
    _, header_row, header_cells = header
    layout = _Layout(source, "", header_row, header_cells, spreadsheet=False)
    warnings = _title_warning(source, header_row, text.split("\n", header_row)[: header_row - 1])
    metadata: dict[str, object] = {
        "format": "csv", "encoding": encoding, "delimiter": delimiter, "sheet": None,
        "header_row": header_row,
    }
    rows = ((n, c) for n, c in _csv_rows(text, delimiter, source) if n > header_row)
    return _build(layout, table, expected_columns, rows, metadata, warnings, delimiter)


def _title_warning(source: str, header_row: int, above: list[str]) -> list[str]:
    titles = [t.strip() for t in above if t.strip(" \t,;")]
    if header_row == 1:
        return []
    shown = "; ".join(f"'{t.strip(' ,;')}'" for t in titles[:3]) or "empty rows"
    return [f"{source}: header found on row {header_row}; the rows above it were skipped ({shown})"]


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def read_xlsx(
    path: Path,
    table: str,
    expected_columns: list[str],
    *,
    display_name: str | None = None,
    sheet: str | None = None,
) -> ReadResult:
    """Read one workbook: the sheet (visible, else any) whose header names most contract columns."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    source = display_name or path.name
    if path.stat().st_size == 0:
        raise ReaderError(source, "the file is empty", "export it again or remove it.")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises several types for a damaged or foreign file
        raise ReaderError(
            source,
            f"the file cannot be opened as an Excel workbook ({error})",
            "open it in Excel and save it again as .xlsx.",
        ) from None
    lookup = header_lookup(expected_columns)
    names = [sheet] if sheet else [
        m.name for m in workbook.sheets_metadata if m.visible == SheetVisibleEnum.Visible
    ] or list(workbook.sheet_names)
    best: tuple[int, int, list[object]] | None = None
    chosen: tuple[str, Iterator[list[object]], list[list[object]]] | None = None
    any_cells = False
    for name in names:
        rows_iter: Iterator[list[object]] = iter(
            workbook.get_sheet_by_name(name).iter_rows()  # type: ignore[arg-type]
        )
        head = list(islice(rows_iter, 200))
        numbered = [(i + 1, r) for i, r in enumerate(head) if not all(_blank(c) for c in r)]
        any_cells = any_cells or bool(numbered)
        found = _find_header(numbered[:HEADER_SCAN_ROWS], lookup)
        if found and (best is None or found[0] > best[0]):
            best, chosen = found, (name, rows_iter, head)
    if best is None or chosen is None:
        if not any_cells:
            raise ReaderError(source, "the workbook has no data", "export it again or remove it.")
        listed = ", ".join(f"'{n}'" for n in names)
        raise _no_header(source, table, expected_columns, f" of sheet(s) {listed}")
    _, header_row, header_cells = best
    name, rows_iter, head = chosen
    place = f"sheet '{name}' "
    layout = _Layout(source, place, header_row, header_cells, spreadsheet=True)
    above = [
        " ".join(t for c in r if (t := _cell_text(c)) is not None) for r in head[: header_row - 1]
    ]
    warnings = _title_warning(f"{source} {place.strip()}", header_row, above)
    metadata: dict[str, object] = {
        "format": "xlsx", "encoding": None, "delimiter": None, "sheet": name,
        "header_row": header_row,
    }
    rows = (
        (i + 1, r)
        for i, r in enumerate(chain(head, rows_iter))
        if i + 1 > header_row
    )
    return _build(layout, table, expected_columns, rows, metadata, warnings)
