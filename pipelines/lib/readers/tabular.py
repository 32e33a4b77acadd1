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
from pipelines.lib.readers.common import (
    NoDataRows,
    ReaderError,
    ReadResult,
    Record,
    RowProblem,
    excerpt,
    reject_binary,
)
from pipelines.lib.readers.values import ValueProblem, format_number, normalise_cell

HEADER_SCAN_ROWS = 30
# Python's csv module refuses fields over 128 KiB; DuckDB (the fast path of the loader) reads
# lines up to 2 MB. A long free text is not a reason to reject a file, and both paths must
# accept the same files: the limit is raised far above either (process-wide, it only widens).
CSV_FIELD_LIMIT = 1 << 28
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
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
            "rename or remove columns so that the header matches; "
            + exactly
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
    last_line: int | None = None,
) -> ReadResult:
    """Records and row problems of the rows below the header. `last_line` is the file's last
    non-blank line (text files), where a short row is more likely a footer than a cut row."""
    columns = _map_header(layout, table, expected)
    # Optional columns: one the file leaves out, or an empty cell of one, reads as its default.
    defaults = {c: d for c, d in optional_columns(table).items() if c in expected}
    width = len(columns)
    header_texts = [_cell_text(c) or "" for c in layout.header_cells]
    result = ReadResult(
        source=layout.source,
        table=table,
        columns=list(expected),
        metadata=metadata,
        warnings=warnings,
    )
    metadata["column_map"] = {header_texts[i]: c for i, c in enumerate(columns) if c is not None}
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
                    f"the row has {len(cells)} fields but the header has {width} "
                    f"({excerpt(_row_text(cells, delimiter))}); a value probably contains the "
                    f"delimiter {_DELIMITER_NAMES[delimiter]} without quotes"
                )
                fix = "quote that value or export the file again"
            problems.append(
                RowProblem(
                    number,
                    None,
                    _cell_text(cells[extra]),
                    "field_count",
                    f"{where}: {what}; {fix}.",
                )
            )
        elif delimiter is not None and len(cells) < width:
            fields = f"{len(cells)} field{'' if len(cells) == 1 else 's'}"
            line = excerpt(_row_text(cells, delimiter))
            if number == last_line and len([c for c in cells if not _blank(c)]) == 1:
                what = (
                    f"the last line {line} has {fields} but the header has {width}: it is not a "
                    "row of the table (a report footer such as a print date?)"
                )
                fix = "remove the line from the file, or export the table without page footers"
            else:
                what = f"the row {line} has {fields} but the header has {width}"
                fix = "the row is cut short or a line break splits it; export the file again"
            problems.append(
                RowProblem(
                    number,
                    None,
                    None,
                    "field_count",
                    f"{where}: {what}; {fix}.",
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
                        number,
                        column,
                        raw[column],
                        problem.check,
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


def _row_text(cells: list[object], delimiter: str) -> str:
    """A CSV row as the file has it, near enough to quote in a message."""
    return delimiter.join(_cell_text(c) or "" for c in cells)


def _line_at(text: str, position: int) -> tuple[int, str]:
    """(1-based line number, that line) of a position in the text."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text.count("\n", 0, position) + 1, text[start : end if end >= 0 else len(text)].rstrip(
        "\r"
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 text without a byte-order mark.

    Text in UTF-16 has a zero byte beside every ASCII character, on the same side of each pair;
    neither UTF-8 nor Windows-1252 text has zero bytes.
    """
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if odd >= pairs * 0.3 and even <= pairs * 0.05:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd <= pairs * 0.05:
        return "utf-16-be"
    return None


def _reject_zero_bytes(text: str, source: str) -> None:
    line, content = _line_at(text, text.index("\x00"))
    raise ReaderError(
        source,
        f"the file holds zero bytes, which no text export has: it is binary or damaged (row "
        f"{line} reads {excerpt(content)})",
        "export the table again as CSV or XLSX",
        line=line,
        location=f"row {line}",
    )


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252.

    UTF-16 without a byte-order mark, text with zero bytes (a binary or damaged file) and bytes
    that are neither are rejected, quoting the line where it shows.
    """
    resave = "save it from Excel as 'CSV UTF-8 (kommaavgränsad)' and load it again"
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif unmarked := _utf16_without_bom(data):
        first = data[: 2 * 200].decode(unmarked, errors="replace").split("\n", 1)[0].rstrip("\r")
        endian = "little" if unmarked.endswith("le") else "big"
        raise ReaderError(
            source,
            f"the file is UTF-16 text ({endian}-endian) without the byte-order mark that marks it "
            f"as such; its first line reads {excerpt(first)}",
            "save it from Excel as 'CSV UTF-8 (kommaavgränsad)' (or as 'Unicode-text', which "
            "writes the mark) and load it again",
            line=1,
            location="row 1",
        )
    else:
        encodings = ["utf-8", "cp1252"]
    if encodings != ["utf-16"] and b"\x00" in data:
        _reject_zero_bytes(data.decode("cp1252", errors="replace"), source)
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            failure = error
            continue
        if "\x00" in text:
            _reject_zero_bytes(text, source)
        return text, encoding
    shown = data.decode(encodings[-1], errors="replace")
    line, content = _line_at(
        shown, len(data[: failure.start].decode(encodings[-1], errors="replace"))
    )
    if encodings == ["utf-16"]:
        what = (
            f"the file is UTF-16 (it starts with the byte-order mark) but byte {failure.start} "
            f"cannot be read: it is cut short or damaged (row {line} reads {excerpt(content)})"
        )
        fix = "export it again and deliver the whole file"
    else:
        what = (
            f"the file is neither UTF-8 nor Windows-1252 (byte 0x{data[failure.start]:02X} cannot "
            f"be read as {'/'.join(encodings)}; the row reads {excerpt(content)})"
        )
        fix = resave
    raise ReaderError(source, what, fix, line=line, location=f"row {line}")


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
            source,
            f"the CSV cannot be read ({error})",
            "export the file again.",
            line=line,
            location=f"row {line}",
        ) from None


def _choose_delimiter(
    text: str, source: str, lookup: dict[str, str]
) -> tuple[str, tuple[int, int, list[object]] | None]:
    found: dict[str, tuple[int, int, list[object]] | None] = {}
    errors: list[ReaderError] = []
    for delimiter in _DELIMITERS:
        try:
            head = [(n, c) for n, c in islice(_csv_rows(text, delimiter, source), 200) if c]
            found[delimiter] = _find_header(head[:HEADER_SCAN_ROWS], lookup)
        except ReaderError as error:
            found[delimiter] = None
            errors.append(error)
    best = max((f[0] if f else 0) for f in found.values())
    if best == 0 and errors:
        # No delimiter finds a header because the text cannot be parsed: say why.
        raise errors[0]
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
    reject_binary(data, source, path.suffix)
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
        "format": "csv",
        "encoding": encoding,
        "delimiter": delimiter,
        "sheet": None,
        "header_row": header_row,
    }
    below = ((n, c) for n, c in _csv_rows(text, delimiter, source) if n > header_row)
    rows = _unless_cut_short(below, text, source, delimiter, len(header_cells))
    last_line = text.rstrip().count("\n") + 1
    return _build(layout, table, expected_columns, rows, metadata, warnings, delimiter, last_line)


def _unless_cut_short(
    rows: Iterable[tuple[int, list[object]]], text: str, source: str, delimiter: str, width: int
) -> Iterator[tuple[int, list[object]]]:
    """The rows, but a file that ends in the middle of its last row is rejected as cut short.

    A file that ends without a line end, inside a quoted value or with fewer fields than the
    header, lost whatever came after: its rows cannot be trusted to be all of the period.
    """
    last: tuple[int, list[object]] | None = None
    for row in rows:
        if last is not None:
            yield last
        last = row
    if last is None:
        return
    number, cells = last
    if not text.endswith(("\n", "\r")) and not all(_blank(c) for c in cells):
        inside_quotes = text.count('"') % 2 == 1
        if inside_quotes or len(cells) < width:
            where = ", inside a quoted value" if inside_quotes else ""
            raise ReaderError(
                source,
                f"the file ends in the middle of row {number}{where}, which reads "
                f"{excerpt(_row_text(cells, delimiter))} ({len(cells)} of {width} fields): the "
                "file was cut short (a copy or an export that stopped)",
                "export it again and deliver the whole file",
                line=number,
                location=f"row {number}",
            )
    yield last


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
    names = (
        [sheet]
        if sheet
        else [m.name for m in workbook.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
        or list(workbook.sheet_names)
    )
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
        "format": "xlsx",
        "encoding": None,
        "delimiter": None,
        "sheet": name,
        "header_row": header_row,
    }
    rows = ((i + 1, r) for i, r in enumerate(chain(head, rows_iter)) if i + 1 > header_row)
    return _build(layout, table, expected_columns, rows, metadata, warnings)
