"""Register landed files by content hash and load their rows, with lineage, into the warehouse.

Layout inside the warehouse:

- `ops.landed_files`: one row per distinct file content ever landed (hash, path, logical key,
  rows read, status `active` or `superseded`, and which file superseded it).
- `landed.<table>`: every row of every version of every file, text as in the file, plus the
  lineage columns `_source_file`, `_source_row`, `_file_hash`, `_loaded_at`.
- `raw.<table>`: a view of `landed.<table>` restricted to active files. dbt reads only these.

The same content landed twice (even under another name) changes nothing. A file with the same
logical key (same table and name, or the same name with a `.v2` / `_korr` / `_rattelse`
suffix) but other content supersedes the earlier one, which stays queryable in `landed.*`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class TableSpec:
    """Where the files of one raw table are found in the landing folder."""

    table: str
    kind: str
    pattern: str


TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("organisations", "organisations", "organisations*.csv"),
    TableSpec("cost_centres", "organisations", "cost_centres*.csv"),
    TableSpec("service_areas", "services", "service_areas*.csv"),
    TableSpec("services", "services", "services*.csv"),
    TableSpec("service_lineage", "services", "service_lineage*.csv"),
    TableSpec("drivers", "volumes", "drivers*.csv"),
    TableSpec("accounts", "ledger", "accounts*.csv"),
    TableSpec("mapping_rules", "ledger", "mapping_rules*.csv"),
    TableSpec("plan_amounts", "plan", "plan_amounts*.csv"),
    TableSpec("service_methods", "plan", "service_methods*.csv"),
    TableSpec("allocation_keys", "plan", "allocation_keys*.csv"),
    TableSpec("planned_volumes", "plan", "planned_volumes*.csv"),
    TableSpec("price_list", "plan", "price_list*.csv"),
    TableSpec("initiatives", "plan", "initiatives*.csv"),
    TableSpec("initiative_plan", "plan", "initiative_plan*.csv"),
    TableSpec("ledger", "ledger", "ledger_*.csv"),
    TableSpec("volumes", "volumes", "volumes_*.csv"),
)
SPECS_BY_TABLE = {spec.table: spec for spec in TABLE_SPECS}

_CORRECTION_SUFFIX = re.compile(r"([._-](v\d+|korr\w*|rattelse\w*|rättelse\w*|correction\w*))+$", re.I)
_LINEAGE_COLUMNS = ("_source_file", "_source_row", "_file_hash", "_loaded_at")


class LandingError(Exception):
    """A landed file that cannot be loaded; the message names the file and what to do."""


@dataclass(frozen=True)
class FileLoad:
    """What happened to one file during a load."""

    relative_path: str
    file_hash: str
    status: str  # loaded | unchanged | superseding
    rows_read: int
    superseded: str | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def logical_key(table: str, path: Path) -> str:
    """Files with the same logical key are versions of one another (a correction supersedes)."""
    return f"{table}:{_CORRECTION_SUFFIX.sub('', path.stem).lower()}"


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists ops")
    con.execute("create schema if not exists landed")
    con.execute("create schema if not exists raw")
    con.execute(
        """
        create table if not exists ops.landed_files (
            file_hash varchar primary key,
            table_name varchar not null,
            relative_path varchar not null,
            logical_key varchar not null,
            size_bytes bigint not null,
            rows_read bigint not null,
            loaded_at timestamp not null,
            status varchar not null,
            superseded_by varchar
        )
        """
    )


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [row[0] for row in rows]


def _file_columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    rows = con.execute(
        "describe select * from read_csv(?, all_varchar = true, header = true)", [str(path)]
    ).fetchall()
    return [row[0] for row in rows]


def load_file(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, path: Path, landing_dir: Path
) -> FileLoad:
    """Load one file into `landed.<table>` unless its content is already registered."""
    relative = path.relative_to(landing_dir).as_posix()
    digest = file_sha256(path)
    known = con.execute(
        "select relative_path from ops.landed_files where file_hash = ?", [digest]
    ).fetchone()
    if known:
        return FileLoad(relative, digest, "unchanged", 0)

    if path.stat().st_size == 0:
        raise LandingError(f"{relative}: the file is empty; export it again or remove it.")
    columns = _file_columns(con, path)
    target = f"landed.{spec.table}"
    if _table_exists(con, "landed", spec.table):
        expected = [c for c in _columns(con, "landed", spec.table) if c not in _LINEAGE_COLUMNS]
        missing = [c for c in expected if c not in columns]
        extra = [c for c in columns if c not in expected]
        if missing or extra:
            raise LandingError(
                f"{relative}: header does not match the {spec.table} contract "
                f"(missing: {missing or 'none'}; unexpected: {extra or 'none'}); "
                "see docs/input-formats.md and correct the header row."
            )

    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    select = (
        "select *, ? as _source_file, (row_number() over () + 1)::bigint as _source_row, "
        "? as _file_hash, ?::timestamp as _loaded_at "
        "from read_csv(?, all_varchar = true, header = true)"
    )
    params = [relative, digest, loaded_at, str(path)]
    if _table_exists(con, "landed", spec.table):
        con.execute(f"insert into {target} by name {select}", params)
    else:
        con.execute(f"create table {target} as {select}", params)
    rows_read = con.execute(
        f"select count(*) from {target} where _file_hash = ?", [digest]
    ).fetchone()[0]

    key = logical_key(spec.table, path)
    previous = con.execute(
        "select file_hash from ops.landed_files where logical_key = ? and status = 'active'", [key]
    ).fetchall()
    for (old_hash,) in previous:
        con.execute(
            "update ops.landed_files set status = 'superseded', superseded_by = ? "
            "where file_hash = ?",
            [digest, old_hash],
        )
    con.execute(
        "insert into ops.landed_files values (?, ?, ?, ?, ?, ?, ?, 'active', null)",
        [digest, spec.table, relative, key, path.stat().st_size, rows_read, loaded_at],
    )
    status = "superseding" if previous else "loaded"
    return FileLoad(relative, digest, status, rows_read, previous[0][0] if previous else None)


def refresh_raw_view(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """`raw.<table>`: the active versions only, the interface dbt reads."""
    if not _table_exists(con, "landed", table):
        return
    con.execute(
        f"""
        create or replace view raw.{table} as
        select * from landed.{table}
        where _file_hash in (
            select file_hash from ops.landed_files
            where table_name = '{table}' and status = 'active'
        )
        """
    )


def load_table(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, landing_dir: Path
) -> list[FileLoad]:
    """Load every file of one table found in the landing folder, in name order."""
    ensure_schemas(con)
    folder = landing_dir / spec.kind
    files = sorted(folder.glob(spec.pattern)) if folder.exists() else []
    results = []
    con.execute("begin transaction")
    try:
        for path in files:
            results.append(load_file(con, spec, path, landing_dir))
        refresh_raw_view(con, spec.table)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return results


def table_row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    if not _table_exists(con, "landed", table):
        return 0
    return int(con.execute(f"select count(*) from raw.{table}").fetchone()[0])
