"""The minimal complete city of docs/input-formats.md, read from the doc itself, and ways to vary it.

`minimal_city()` returns the files exactly as the doc's section "A minimal complete city" lists
them (path -> CSV text), so the doc and the tests cannot drift apart. Tests vary the city with
`with_rows` / `replace_rows` / `set_cell` and deliver it with `write_city`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "input-formats.md"
_HEADER_ONLY = "(header only)"


def minimal_city(doc: Path = DOC) -> dict[str, str]:
    """path under landing/ -> file text, from the first code block of the doc's section."""
    text = doc.read_text(encoding="utf-8")
    section = text.split("## A minimal complete city", 1)[1]
    block = section.split("```", 2)[1]
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in block.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            path, content = line.split(maxsplit=1)
            current = files.setdefault(path, [])
        else:
            content = line.strip()
        assert current is not None, f"a row before the first file: {line!r}"
        current.append(content.replace(_HEADER_ONLY, "").strip())
    return {path: "\n".join(lines) + "\n" for path, lines in files.items()}


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def header_of(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


def to_text(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def with_rows(
    city: dict[str, str], path: str, *rows: str, header: str | None = None
) -> dict[str, str]:
    """A copy of the city with CSV lines appended to a file (created with `header` if new)."""
    changed = dict(city)
    text = changed.get(path) or (header or "") + "\n"
    changed[path] = text + "".join(row + "\n" for row in rows)
    return changed


def replace_rows(city: dict[str, str], path: str, *rows: str) -> dict[str, str]:
    """A copy of the city in which a file keeps its header and gets these rows instead."""
    changed = dict(city)
    header = changed[path].splitlines()[0]
    changed[path] = header + "\n" + "".join(row + "\n" for row in rows)
    return changed


def set_cell(city: dict[str, str], path: str, row: int, column: str, value: str) -> dict[str, str]:
    """A copy of the city with one value changed (`row` counts data rows from 0)."""
    changed = dict(city)
    header = header_of(changed[path])
    rows = rows_of(changed[path])
    rows[row][column] = value
    changed[path] = to_text(header, rows)
    return changed


def without(city: dict[str, str], *paths: str) -> dict[str, str]:
    return {p: t for p, t in city.items() if p not in paths}


def write_city(city: dict[str, str], landing: Path) -> None:
    for relative, text in city.items():
        path = landing / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


__all__ = [
    "minimal_city",
    "rows_of",
    "header_of",
    "to_text",
    "with_rows",
    "replace_rows",
    "set_cell",
    "without",
    "write_city",
]
