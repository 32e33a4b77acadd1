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


def with_rows(city: dict[str, str], path: str, *rows: str, header: str | None = None) -> dict[str, str]:
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


def fit_to_contract(city: dict[str, str]) -> dict[str, str]:
    """The city as this branch's contract can load it.

    The contract (docs/input-formats.md) already has organisations.is_producer and open
    organisation groups; until the code that reads them is merged (the org groups register),
    the column is left out and the groups are mapped to the closed list. Once merged, this
    returns the city unchanged.
    """
    from expectations.organisations import CONTRACT
    from pipelines.lib.readers.columns import CONTRACT_COLUMNS

    path = "organisations/organisations.csv"
    columns = CONTRACT_COLUMNS["organisations"]
    header = [c for c in header_of(city[path]) if c in columns]
    rows = rows_of(city[path])
    closed = next(
        (r.values for r in CONTRACT.rules if r.kind == "allowed" and r.column == "org_group"), None
    )
    if closed:
        for row in rows:
            if row["org_group"] not in closed:
                row["org_group"] = closed[0]
    changed = dict(city)
    changed[path] = to_text(header, rows)
    return changed


def doc_is_loadable() -> str | None:
    """Why the doc's city cannot be delivered verbatim in this branch yet (None: it can)."""
    from expectations.organisations import CONTRACT
    from pipelines.lib.readers.columns import CONTRACT_COLUMNS

    if "is_producer" not in CONTRACT_COLUMNS["organisations"]:
        return "organisations.is_producer is not read yet (org groups register not merged)"
    if any(r.kind == "allowed" and r.column == "org_group" for r in CONTRACT.rules):
        return "org_group is still a closed list (org groups register not merged)"
    reference = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "reference"
    if reference.is_dir() and any(reference.glob("published_*.csv")):
        return "the published figures are still seeds that every city is reconciled with (reference pack not merged)"
    return None


__all__ = [
    "minimal_city", "rows_of", "header_of", "to_text", "with_rows", "replace_rows", "set_cell",
    "without", "write_city", "fit_to_contract", "doc_is_loadable",
]
