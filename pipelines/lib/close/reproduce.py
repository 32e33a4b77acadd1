"""Reproduce a closed month: write the input files recorded at its close as a landing folder.

Every file version ever loaded stays in `landed.<table>` (by content hash), so the inputs of a
close (`ops.close_inputs`) can be written back as canonical CSV, under their recorded names with
the suffix `.csv`. A pipeline run on that folder computes the month's charges as they were
closed. The files' hashes differ from the recorded ones (another format); their rows do not.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePosixPath

import duckdb

from pipelines.lib.close.state import CloseError, current_close_id, month_text
from pipelines.lib.readers import CONTRACT_COLUMNS, ReadResult, write_canonical_csv


def reproduce_month(con: duckdb.DuckDBPyConnection, month: date, into: Path) -> list[Path]:
    """Write the inputs of closed `month` under `into/landing/`; returns the files written."""
    close_id = current_close_id(con, month)
    if close_id is None:
        raise CloseError("reproduce", month_text(month), [f"{month_text(month)} is not closed"])
    landing = into / "landing"
    if landing.exists() and any(landing.rglob("*.*")):
        raise CloseError(
            "reproduce",
            month_text(month),
            [f"{landing} already holds files; reproduce into an empty folder"],
        )
    inputs = con.execute(
        "select table_name, relative_path, file_hash from ops.close_inputs where close_id = ? "
        "order by table_name, relative_path",
        [close_id],
    ).fetchall()
    written: list[Path] = []
    for table, relative, file_hash in inputs:
        columns = CONTRACT_COLUMNS[table]
        selected = ", ".join(f'"{c}"' for c in columns)
        rows = con.execute(
            f"select {selected}, _source_row from landed.{table} where _file_hash = ? "
            "order by _source_row",
            [file_hash],
        ).fetchall()
        result = ReadResult(source=relative, table=table, columns=list(columns))
        result.records = [dict(zip(columns, row[:-1], strict=True)) for row in rows]
        result.row_numbers = [int(row[-1]) for row in rows]
        target = landing / PurePosixPath(relative).with_suffix(".csv")
        written.append(write_canonical_csv(result, target))
    return written
