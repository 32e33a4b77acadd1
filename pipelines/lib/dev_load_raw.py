"""Development-only loader: landing CSVs -> `raw.<table>` (all VARCHAR + lineage columns).

Temporary stand-in for the Dagster ingest assets, so that the dbt project can be built
against a landing folder without the rest of the pipeline. It follows the raw-table contract
of docs/input-formats.md: one table per file kind (`ledger_2017-03.csv` -> `raw.ledger`),
every column text exactly as in the file, plus `_source_file` (path relative to the landing
folder), `_source_row` (line number, header = 1), `_file_hash` (SHA-256) and `_loaded_at`.
CSV files are scanned by DuckDB as they are; SIE 4 (`.se`) and Excel (`.xlsx`) deliveries of a
contract table are read with `pipelines.lib.readers.read_table` into the same canonical text
(rows a reader rejects are skipped with a warning; the real ingest quarantines them).

    uv run python -m pipelines.lib.dev_load_raw /tmp/demo_landing /tmp/dbt_dev.duckdb
"""

from __future__ import annotations

import argparse
import hashlib
import re
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.lib.landing import ensure_schemas
from pipelines.lib.readers import CONTRACT_COLUMNS, SUFFIXES, read_table

# `ledger_2017-03.csv` (or `ledger_2017-03_korr.csv`) is a monthly part of one table.
_PERIOD_SUFFIX = re.compile(r"_\d{4}-\d{2}.*$")


def table_name(csv_path: Path) -> str:
    """The raw table a landed file belongs to."""
    return _PERIOD_SUFFIX.sub("", csv_path.stem)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_other_format(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, rel: str, view: str
) -> str:
    """A non-CSV delivery read into canonical text, registered as `view`; returns a select."""
    if table not in CONTRACT_COLUMNS:
        raise SystemExit(f"{rel}: only CSV is supported for table {table!r} by the dev loader")
    columns = CONTRACT_COLUMNS[table]
    result = read_table(path, table, columns, display_name=rel)
    if result.row_problems:
        print(
            f"warning: {rel}: {len(result.problem_rows)} rows skipped "
            f"(first: {result.row_problems[0].message})"
        )
    arrays = {c: pa.array([r[c] for r in result.records], pa.string()) for c in columns}
    arrays["_source_row"] = pa.array(result.row_numbers, pa.int64())
    con.register(view, pa.table(arrays))
    return (
        f"select * exclude (_source_row), {_sql_literal(rel)} as _source_file,"
        f" _source_row, {_sql_literal(_sha256(path))} as _file_hash from {view}"
    )


def load(landing: Path, warehouse: Path) -> dict[str, int]:
    """Replace every `raw.<table>` found under `landing`; returns rows per table."""
    files: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(landing.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUFFIXES:
            files[table_name(path)].append(path)
    if not files:
        raise SystemExit(f"{landing}: no input files found (expected <kind>/<file>.csv)")

    counts: dict[str, int] = {}
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists raw")
        # dbt also reads the ops tables the ingest and the month close keep (empty here).
        ensure_schemas(con)
        for table, paths in sorted(files.items()):
            parts = []
            for number, path in enumerate(paths):
                rel = path.relative_to(landing).as_posix()
                if path.suffix.lower() != ".csv":
                    parts.append(
                        _read_other_format(con, path, table, rel, f"_dev_{table}_{number}")
                    )
                    continue
                # One file per select: `row_number() over ()` on a single CSV scan follows the
                # file order (insertion order is preserved), which a partitioned window over a
                # multi-file scan does not promise.
                parts.append(
                    f"select *, {_sql_literal(rel)} as _source_file,"
                    f" cast(row_number() over () + 1 as bigint) as _source_row,"
                    f" {_sql_literal(_sha256(path))} as _file_hash"
                    f" from read_csv({_sql_literal(str(path))}, all_varchar = true,"
                    f" header = true, auto_detect = true)"
                )
            body = "\nunion all by name\n".join(f"({p})" for p in parts)
            con.execute(
                f"create or replace table raw.{table} as\n"
                f"select *, cast(now() at time zone 'UTC' as timestamp) as _loaded_at\n"
                f"from ({body})"
            )
            row = con.execute(f"select count(*) from raw.{table}").fetchone()
            counts[table] = int(row[0]) if row else 0
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("landing", type=Path, help="landing folder (<kind>/<file>.csv)")
    parser.add_argument("warehouse", type=Path, help="DuckDB file to write")
    args = parser.parse_args()
    started = time.perf_counter()
    counts = load(args.landing.resolve(), args.warehouse)
    for table, n in counts.items():
        print(f"raw.{table:<20} {n:>10} rows")
    print(f"loaded in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
