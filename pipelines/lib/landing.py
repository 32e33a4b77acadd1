"""Register landed files by content hash, read them, quarantine bad rows, and load the rest.

Layout inside the warehouse:

- `ops.landed_files`: one row per distinct file content ever loaded (hash, path, logical key,
  partition, format, rows read / staged / quarantined, status `active` or `superseded`, and
  which file superseded it). For every file, rows read = rows staged + rows quarantined.
- `landed.<table>`: every row the reader accepted, of every version of every file, as canonical
  text, plus the lineage columns `_source_file`, `_source_row`, `_file_hash`, `_loaded_at`.
- `ops.quarantine`: rows that could not be read (stage `read`) or break a rule of the table's
  contract in `expectations/` (stage `validate`), one row per problem, with a message.
- `raw.<table>`: a view of `landed.<table>` restricted to active files, without quarantined
  rows. dbt reads only these.
- `ops.file_errors`: files that could not be read at all. Such a file is moved to
  `data/quarantine/<kind>/` with a `<name>.reason.txt` beside it; the rest of the load goes on.

Every file is read by `pipelines.lib.readers.read_table` (CSV dialects, XLSX, SIE 4). The same
content landed twice (even under another name) changes nothing. A file with the same logical key
(same table and name, or the same name with a `.v2` / `_korr` / `_rattelse` suffix, or another
format of the same name) but other content supersedes the earlier one, which stays queryable
in `landed.*`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from expectations import CONTRACTS_BY_TABLE
from pipelines.lib.close.state import ensure_close_tables
from pipelines.lib.quality import ensure_quality_tables, plan_years, relation_exists, validate_rows
from pipelines.lib.readers import (
    CONTRACT_COLUMNS,
    REJECTED_SUFFIXES,
    SIE_SUFFIXES,
    ReaderError,
    ReadResult,
    read_table,
)
from pipelines.lib.readers.columns import (
    BOOLEAN_COLUMNS,
    DATE_COLUMNS,
    DECIMAL_COLUMNS,
    INTEGER_COLUMNS,
    PERIOD_COLUMNS,
    optional_columns,
)
from pipelines.lib.readers.common import NoDataRows

TABULAR_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
LEDGER_SUFFIXES = TABULAR_SUFFIXES + SIE_SUFFIXES


@dataclass(frozen=True)
class TableSpec:
    """Where the files of one raw table are found in the landing folder, and how they are cut."""

    table: str
    kind: str  # folder under data/landing/
    prefix: str  # file names start with this (case-insensitive)
    suffixes: tuple[str, ...] = TABULAR_SUFFIXES
    partitioned: bool = False  # one file per period, named <prefix>YYYY-MM

    @property
    def pattern(self) -> str:
        middle = "YYYY-MM" if self.partitioned else ""
        return f"{self.prefix}{middle}*.{{{','.join(s.lstrip('.') for s in self.suffixes)}}}"

    def matches(self, path: Path) -> bool:
        """A file of this table: its name, and a format it is read in or rejected with a fix
        (an old `.xls` workbook is taken up to be rejected and quarantined, not left aside)."""
        name = path.name.lower()
        return (
            path.is_file()
            and name.startswith(self.prefix)
            and path.suffix.lower() in (*self.suffixes, *REJECTED_SUFFIXES)
            and not name.startswith(("~$", "."))
        )


TABLE_SPECS: tuple[TableSpec, ...] = (
    # The optional group register first: organisations are validated against it.
    TableSpec("org_groups", "organisations", "org_groups"),
    TableSpec("organisations", "organisations", "organisations"),
    TableSpec("cost_centres", "organisations", "cost_centres"),
    TableSpec("service_areas", "services", "service_areas"),
    TableSpec("services", "services", "services"),
    TableSpec("service_lineage", "services", "service_lineage"),
    TableSpec("drivers", "volumes", "drivers"),
    # A SIE 4 file's #KONTO records are a chart of accounts too.
    TableSpec("accounts", "ledger", "accounts", LEDGER_SUFFIXES),
    TableSpec("mapping_rules", "ledger", "mapping_rules"),
    TableSpec("plan_amounts", "plan", "plan_amounts"),
    TableSpec("service_methods", "plan", "service_methods"),
    TableSpec("allocation_keys", "plan", "allocation_keys"),
    TableSpec("planned_volumes", "plan", "planned_volumes"),
    TableSpec("price_list", "plan", "price_list"),
    TableSpec("initiatives", "plan", "initiatives"),
    TableSpec("initiative_plan", "plan", "initiative_plan"),
    TableSpec("support_allocations", "plan", "support_allocations"),
    TableSpec("invoicing_accounts", "plan", "invoicing_accounts"),
    TableSpec("ledger", "ledger", "ledger_", LEDGER_SUFFIXES, partitioned=True),
    TableSpec("volumes", "volumes", "volumes_", TABULAR_SUFFIXES, partitioned=True),
    TableSpec("kpis", "plan", "kpis"),
    # The optional reference pack: printed figures to reconcile with, never allocated from.
    TableSpec("published_figures", "reference", "published_figures"),
    TableSpec("published_differences", "reference", "published_differences"),
)
SPECS_BY_TABLE = {spec.table: spec for spec in TABLE_SPECS}

_CORRECTION_SUFFIX = re.compile(
    r"([._-](v\d+|korr\w*|rattelse\w*|rättelse\w*|correction\w*))+$", re.I
)
_VERSION = re.compile(r"v(\d+)", re.I)
_PERIOD_IN_NAME = re.compile(r"(?<!\d)(\d{4})-?(0[1-9]|1[0-2])(?!\d)")
_LINEAGE_COLUMNS = ("_source_file", "_source_row", "_file_hash", "_loaded_at")
_CONTRACT_DOC = "docs/input-formats.md"


class LandingError(Exception):
    """The load broke an invariant (a bug, not a bad file); the message names the files."""


@dataclass(frozen=True)
class FileLoad:
    """What happened to one file during a load."""

    relative_path: str
    file_hash: str
    status: str  # loaded | superseding | unchanged | rejected
    rows_read: int = 0
    rows_staged: int = 0
    rows_quarantined: int = 0
    superseded: str | None = None
    partition: str | None = None
    format: str | None = None
    message: str | None = None  # why a file was rejected, or which file has the same content
    warnings: tuple[str, ...] = ()
    moved_to: str | None = None


@dataclass
class TableLoad:
    """What one load of one table did."""

    table: str
    files: list[FileLoad] = field(default_factory=list)
    quarantined_by_check: dict[str, int] = field(default_factory=dict)
    skipped_rules: list[str] = field(default_factory=list)
    rows_active: int = 0
    open_errors: list[str] = field(default_factory=list)  # unresolved file errors of this table

    def __iter__(self) -> Iterator[FileLoad]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def with_status(self, *statuses: str) -> list[FileLoad]:
        return [f for f in self.files if f.status in statuses]

    @property
    def rejected(self) -> list[FileLoad]:
        return self.with_status("rejected")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def logical_key(table: str, path: Path) -> str:
    """Files with the same logical key are versions of one another (a correction supersedes)."""
    return f"{table}:{_CORRECTION_SUFFIX.sub('', path.stem).lower()}"


def period_of(spec: TableSpec, path: Path) -> str | None:
    """`YYYY-MM` from a partitioned file's name (`ledger_2017-03.csv`, `ledger_201703_korr.se`)."""
    match = _PERIOD_IN_NAME.search(path.stem[len(spec.prefix) :])
    return f"{match[1]}-{match[2]}" if match else None


def _version_rank(path: Path) -> tuple[int, int]:
    """Originals first, then corrections in version order (v2 before v10)."""
    found = _CORRECTION_SUFFIX.search(path.stem)
    if not found:
        return (0, 0)
    version = _VERSION.search(found.group(0))
    return (1, int(version[1]) if version else 1)


def landing_files(spec: TableSpec, landing_dir: Path) -> list[Path]:
    """The files of one table in the landing folder, originals before their corrections."""
    folder = landing_dir / spec.kind
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if spec.matches(p)]
    return sorted(found, key=lambda p: (logical_key(spec.table, p), _version_rank(p), p.name))


def spec_for(path: Path, landing_dir: Path) -> TableSpec | None:
    """The table a file in the landing folder belongs to, or None if no contract matches."""
    try:
        kind = path.relative_to(landing_dir).parts[0]
    except (ValueError, IndexError):
        return None
    return next((s for s in TABLE_SPECS if s.kind == kind and s.matches(path)), None)


def unrecognised_files(landing_dir: Path) -> list[Path]:
    """Files in the landing folder that no contract claims (they are never loaded)."""
    if not landing_dir.is_dir():
        return []
    return sorted(
        p
        for p in landing_dir.rglob("*")
        if p.is_file() and not p.name.startswith(".") and spec_for(p, landing_dir) is None
    )


def configured_open_years(value: str | None = None) -> frozenset[int] | None:
    """Open fiscal years from `FORDELA_OPEN_YEARS` (`2031-2032` or `2031,2032`); None if unset."""
    text = (value if value is not None else os.environ.get("FORDELA_OPEN_YEARS", "")).strip()
    if not text:
        return None
    years: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        years.update(range(int(first), int(last or first) + 1))
    return frozenset(years)


# --------------------------------------------------------------------------------------------
# Warehouse tables
# --------------------------------------------------------------------------------------------

LANDED_FILES_DDL = """
create table if not exists ops.landed_files (
    file_hash varchar not null,       -- SHA-256 of the content; one row per table and content
    table_name varchar not null,
    relative_path varchar not null,   -- path relative to data/landing/ when first loaded
    logical_key varchar not null,     -- <table>:<name without correction suffix>
    size_bytes bigint not null,
    rows_read bigint not null,        -- data rows in the file
    loaded_at timestamp not null,
    status varchar not null,          -- active | superseded
    superseded_by varchar,            -- file_hash of the version that replaced it
    partition_key varchar,            -- YYYY-MM for ledger and volumes
    file_format varchar,              -- csv | xlsx | sie4
    rows_staged bigint,               -- rows visible in raw.<table> while the file is active
    rows_quarantined bigint           -- rows in ops.quarantine (read or validate)
)
"""

FILE_ERRORS_DDL = """
create table if not exists ops.file_errors (
    file_hash varchar not null,
    source_file varchar not null,     -- path relative to data/landing/ as delivered
    table_name varchar not null,
    logical_key varchar,
    message varchar not null,         -- file, place, what is wrong, what to do
    moved_to varchar,                 -- where the file now is, relative to the data folder
    error_at timestamp not null,
    resolved_at timestamp,            -- set when a new version loaded or the file was removed
    resolution varchar
)
"""


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists ops")
    con.execute("create schema if not exists landed")
    con.execute("create schema if not exists raw")
    con.execute(LANDED_FILES_DDL)
    # Warehouses created before these columns existed.
    for column, kind in (
        ("partition_key", "varchar"),
        ("file_format", "varchar"),
        ("rows_staged", "bigint"),
        ("rows_quarantined", "bigint"),
    ):
        con.execute(f"alter table ops.landed_files add column if not exists {column} {kind}")
    con.execute(FILE_ERRORS_DDL)
    ensure_quality_tables(con)
    # The close tables are dbt sources: they exist (empty) before the first build.
    ensure_close_tables(con)


def _ensure_landed_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    columns = ", ".join(f'"{c}" varchar' for c in CONTRACT_COLUMNS[table])
    con.execute(
        f"create table if not exists landed.{table} ({columns}, _source_file varchar, "
        "_source_row bigint, _file_hash varchar, _loaded_at timestamp)"
    )
    # A warehouse landed before a column joined the contract: rows already landed read the
    # column's default (an optional column's, else empty), as a file that leaves it out does.
    existing = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'landed' and table_name = ?",
            [table],
        ).fetchall()
    }
    defaults = optional_columns(table)
    for column in CONTRACT_COLUMNS[table]:
        if column not in existing:
            default = f" default {_sql_text(defaults[column])}" if column in defaults else ""
            con.execute(f'alter table landed.{table} add column "{column}" varchar{default}')


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return relation_exists(con, schema, table)


# --------------------------------------------------------------------------------------------
# One file
# --------------------------------------------------------------------------------------------


@dataclass
class _Rejection:
    spec: TableSpec
    path: Path
    relative: str
    digest: str
    message: str
    known: bool  # an unresolved error for this content already exists


# Canonical text per column kind: a value matching these is exactly what the reader would make
# of it, so a file whose every value matches can be loaded by DuckDB directly.
_CANONICAL = {
    **{c: r"^-?\d+(\.\d+)?$" for c in DECIMAL_COLUMNS},
    **{c: r"^(0|-?[1-9]\d*)$" for c in INTEGER_COLUMNS},
    **{c: r"^[1-9]\d{3}-\d{2}-\d{2}$" for c in DATE_COLUMNS},
    **{c: r"^\d{4}-(0[1-9]|1[0-2])$" for c in PERIOD_COLUMNS},
    **{c: r"^(true|false)$" for c in BOOLEAN_COLUMNS},
}
# A first or last character that Python's str.strip() might remove (anything but visible ASCII,
# letters and digits): such a value goes through the reader.
_EDGE = r"^[^!-~\p{L}\p{N}]|[^!-~\p{L}\p{N}]$"


def fast_read_csv(table: str, path: Path) -> pa.Table | None:
    """The rows of a canonical CSV, read by DuckDB; None if the file is not canonical.

    Canonical: UTF-8 without BOM, `\\n` line ends, comma, exactly the contract header on line 1
    (optional columns may be left out), one line per row, no blank rows, and every value already
    in the form the reader would give it (see `_CANONICAL`). Anything else returns None and the
    caller uses `read_table`, which handles every dialect and reports row problems. The result is
    the same either way (tested), optional columns included (left out or empty: their default);
    this is only faster: DuckDB instead of Python for the bulk of the rows.

    It runs on a private in-memory connection, so that a file DuckDB cannot parse never
    disturbs the caller's transaction.
    """
    if path.suffix.lower() != ".csv":
        return None
    columns = CONTRACT_COLUMNS[table]
    optional = optional_columns(table)
    data = path.read_bytes()
    first_line, newline, _ = data.partition(b"\n")
    # A zero byte makes the reader reject the file as binary; DuckDB would read it as text.
    if not newline or b"\r" in data or b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    header = first_line.decode("utf-8").split(",")
    present = [c for c in columns if c in header or c not in optional]
    if header != present:
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in present) + "}"
    quoted = [f'"{c}"' for c in present]
    bad = " or ".join(
        [f"regexp_matches({q}, '{_EDGE}')" for q in quoted]
        + [
            f"not regexp_matches({q}, '{_CANONICAL[c]}')"
            for c, q in zip(present, quoted, strict=True)
            if c in _CANONICAL
        ]
        # An empty date (valid_to) is fine: null either way.
        + [
            f"({q} is not null and try_strptime({q}, '%Y-%m-%d') is null)"
            for c, q in zip(present, quoted, strict=True)
            if c in DATE_COLUMNS
        ]
        + [f"coalesce({', '.join(quoted)}) is null"]
    )
    # In contract order; an optional column left out, or empty, reads as its default.
    selected = ", ".join(
        f'coalesce("{c}", {_sql_text(optional[c])}) as "{c}"'
        if c in optional and c in present
        else f'{_sql_text(optional[c])} as "{c}"'
        if c in optional
        else f'"{c}"'
        for c in columns
    )
    with duckdb.connect() as scratch:
        try:
            scratch.execute(
                f"""
                create table rows as
                select *, (row_number() over () + 1)::bigint as _source_row
                from read_csv(?, columns = {spec}, header = true, delim = ',', quote = '"',
                              escape = '"', auto_detect = false, strict_mode = true,
                              parallel = false)
                """,
                [str(path)],
            )
        except duckdb.Error:
            return None
        counted = scratch.execute(
            f"select count(*), count(*) filter (where {bad}) from rows"
        ).fetchone()
        rows, irregular = counted if counted else (0, 0)
        if not rows or irregular or rows != lines - 1:
            return None
        return scratch.execute(
            f"select {selected}, _source_row from rows order by _source_row"
        ).fetch_arrow_table()


def _sql_text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _insert_records(
    con: duckdb.DuckDBPyConnection,
    table: str,
    result: ReadResult,
    relative: str,
    digest: str,
    loaded_at: datetime,
) -> None:
    count = len(result.records)
    if not count:
        return
    arrays = {
        c: pa.array([r[c] for r in result.records], pa.string()) for c in CONTRACT_COLUMNS[table]
    }
    arrays["_source_file"] = pa.array([relative] * count, pa.string())
    arrays["_source_row"] = pa.array(result.row_numbers, pa.int64())
    arrays["_file_hash"] = pa.array([digest] * count, pa.string())
    arrays["_loaded_at"] = pa.array([loaded_at] * count, pa.timestamp("us"))
    batch = pa.table(arrays)
    con.register("_fordela_batch", batch)
    try:
        con.execute(f"insert into landed.{table} by name select * from _fordela_batch")
    finally:
        con.unregister("_fordela_batch")


def _insert_read_problems(
    con: duckdb.DuckDBPyConnection,
    table: str,
    result: ReadResult,
    relative: str,
    digest: str,
    loaded_at: datetime,
) -> None:
    problems = result.row_problems
    if not problems:
        return
    batch = pa.table(
        {
            "file_hash": pa.array([digest] * len(problems), pa.string()),
            "source_file": pa.array([relative] * len(problems), pa.string()),
            "source_row": pa.array([p.row for p in problems], pa.int64()),
            "table_name": pa.array([table] * len(problems), pa.string()),
            "stage": pa.array(["read"] * len(problems), pa.string()),
            "check_name": pa.array([p.check for p in problems], pa.string()),
            "column_name": pa.array([p.column for p in problems], pa.string()),
            "value": pa.array([p.value for p in problems], pa.string()),
            "message": pa.array([p.message for p in problems], pa.string()),
            "raw_record": pa.array(
                [
                    json.dumps(result.problem_records.get(p.row, {}), ensure_ascii=False)
                    for p in problems
                ],
                pa.string(),
            ),
            "quarantined_at": pa.array([loaded_at] * len(problems), pa.timestamp("us")),
        }
    )
    con.register("_fordela_problems", batch)
    try:
        con.execute(
            "insert into ops.quarantine by name select * exclude (raw_record), "
            "raw_record::json as raw_record from _fordela_problems"
        )
    finally:
        con.unregister("_fordela_problems")


def _load_file(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    path: Path,
    landing_dir: Path,
    valid_periods: Collection[str] | None,
    loaded_at: datetime,
    rejections: list[_Rejection],
) -> FileLoad:
    relative = path.relative_to(landing_dir).as_posix()
    digest = file_sha256(path)
    period = period_of(spec, path) if spec.partitioned else None
    known = con.execute(
        "select relative_path from ops.landed_files where file_hash = ? and table_name = ?",
        [digest, spec.table],
    ).fetchone()
    if known:
        same = None if known[0] == relative else f"same content as {known[0]}; nothing to load"
        return FileLoad(relative, digest, "unchanged", partition=period, message=same)

    def reject(message: str) -> FileLoad:
        open_error = con.execute(
            "select count(*) from ops.file_errors where file_hash = ? and table_name = ? "
            "and resolved_at is null",
            [digest, spec.table],
        ).fetchone()
        rejections.append(
            _Rejection(
                spec, path, relative, digest, message, known=bool(open_error and open_error[0])
            )
        )
        return FileLoad(relative, digest, "rejected", partition=period, message=message)

    if spec.partitioned:
        example = f"{spec.prefix}YYYY-MM{path.suffix.lower()}"
        if period is None:
            return reject(
                f"{relative}: the file name does not say which period it holds; name it like "
                f"{example} (one period per file, see {_CONTRACT_DOC}) and deliver it again."
            )
        if valid_periods is not None and period not in valid_periods:
            ordered = sorted(valid_periods)
            if ordered and period < ordered[0]:
                return reject(
                    f"{relative}: period {period} (from the file name) is before the first month "
                    f"fordela keeps, {ordered[0]} (the setting FORDELA_FIRST_MONTH); set "
                    f"FORDELA_FIRST_MONTH={period} (or earlier) to load it, or correct the file name."
                )
            span = f"{ordered[0]} to {ordered[-1]}" if ordered else "none"
            return reject(
                f"{relative}: period {period} (from the file name) is outside the periods fordela "
                f"keeps ({span}: from FORDELA_FIRST_MONTH to the current month); check the file "
                f"name, named like {example}."
            )
    fast = fast_read_csv(spec.table, path)
    if fast is not None:
        con.register("_fordela_fast", fast)
        try:
            con.execute(
                f"insert into landed.{spec.table} by name select *, ? as _source_file, "
                "? as _file_hash, ?::timestamp as _loaded_at from _fordela_fast",
                [relative, digest, loaded_at],
            )
        finally:
            con.unregister("_fordela_fast")
        result = ReadResult(
            relative, spec.table, CONTRACT_COLUMNS[spec.table], metadata={"format": "csv"}
        )
        rows_read, rows_ok, problem_rows = fast.num_rows, fast.num_rows, 0
    else:
        try:
            result = read_table(
                path, spec.table, CONTRACT_COLUMNS[spec.table], display_name=relative
            )
        except NoDataRows as error:
            # An empty register is a delivery ("this city has no drivers"); an empty month is not.
            if spec.partitioned:
                return reject(str(error))
            result = error.result
        except ReaderError as error:
            return reject(str(error))
        _insert_records(con, spec.table, result, relative, digest, loaded_at)
        _insert_read_problems(con, spec.table, result, relative, digest, loaded_at)
        rows_read, rows_ok, problem_rows = (
            result.rows_read,
            len(result.records),
            len(result.problem_rows),
        )
    key = logical_key(spec.table, path)
    previous = con.execute(
        "select file_hash from ops.landed_files where logical_key = ? and status = 'active' "
        "order by loaded_at",
        [key],
    ).fetchall()
    for (old_hash,) in previous:
        con.execute(
            "update ops.landed_files set status = 'superseded', superseded_by = ? "
            "where file_hash = ? and table_name = ?",
            [digest, old_hash, spec.table],
        )
    file_format = str(result.metadata.get("format") or path.suffix.lower().lstrip("."))
    con.execute(
        """
        insert into ops.landed_files (file_hash, table_name, relative_path, logical_key, size_bytes,
            rows_read, loaded_at, status, superseded_by, partition_key, file_format, rows_staged,
            rows_quarantined)
        values (?, ?, ?, ?, ?, ?, ?, 'active', null, ?, ?, ?, ?)
        """,
        [
            digest,
            spec.table,
            relative,
            key,
            path.stat().st_size,
            rows_read,
            loaded_at,
            period,
            file_format,
            rows_ok,
            problem_rows,
        ],
    )
    return FileLoad(
        relative,
        digest,
        "superseding" if previous else "loaded",
        rows_read=rows_read,
        superseded=previous[-1][0] if previous else None,
        partition=period,
        format=file_format,
        warnings=tuple(result.warnings),
    )


# --------------------------------------------------------------------------------------------
# Rejected files
# --------------------------------------------------------------------------------------------


def _quarantine_target(quarantine_dir: Path, spec: TableSpec, path: Path, digest: str) -> Path:
    target = quarantine_dir / spec.kind / path.name
    if target.exists() and file_sha256(target) != digest:
        target = target.with_name(f"{path.stem}.{digest[:8]}{path.suffix}")
    return target


def _reason_note(rejection: _Rejection, at: datetime) -> str:
    kind = rejection.spec.kind
    return (
        "fordela could not load this file.\n\n"
        f"File:     {rejection.relative}\n"
        f"SHA-256:  {rejection.digest}\n"
        f"Rejected: {at:%Y-%m-%d %H:%M} UTC\n\n"
        f"Why:\n  {rejection.message}\n\n"
        "What to do:\n"
        f"  Correct the file as the reason says and put it in data/landing/{kind}/ again (the\n"
        "  same name is fine). Nothing of this file is in the warehouse; the earlier version of\n"
        "  the same file, if any, stays in use.\n"
        f"  Until then the asset check 'files_accepted' of raw/{rejection.spec.table} fails and\n"
        "  nothing new is published. To publish without this file, delete it and this note.\n"
        f"  The accepted formats are described in {_CONTRACT_DOC}.\n"
    )


def _record_rejections(
    con: duckdb.DuckDBPyConnection,
    rejections: list[_Rejection],
    quarantine_dir: Path,
    at: datetime,
) -> dict[str, Path]:
    """Insert ops.file_errors rows; returns where each file will be moved (after commit)."""
    targets: dict[str, Path] = {}
    for rejection in rejections:
        target = _quarantine_target(
            quarantine_dir, rejection.spec, rejection.path, rejection.digest
        )
        targets[rejection.relative] = target
        if rejection.known:
            continue
        moved_to = target.relative_to(quarantine_dir.parent).as_posix()
        con.execute(
            """
            insert into ops.file_errors (file_hash, source_file, table_name, logical_key, message,
                moved_to, error_at, resolved_at, resolution)
            values (?, ?, ?, ?, ?, ?, ?, null, null)
            """,
            [
                rejection.digest,
                rejection.relative,
                rejection.spec.table,
                logical_key(rejection.spec.table, rejection.path),
                rejection.message,
                moved_to,
                at,
            ],
        )
    return targets


def _move_rejected(rejections: list[_Rejection], targets: dict[str, Path], at: datetime) -> None:
    for rejection in rejections:
        target = targets[rejection.relative]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(rejection.path), str(target))
        note = target.with_name(target.name + ".reason.txt")
        note.write_text(_reason_note(rejection, at), encoding="utf-8")


def _resolve_file_errors(
    con: duckdb.DuckDBPyConnection, table: str, quarantine_dir: Path, before: datetime
) -> None:
    """Close errors whose file has a newer loaded version, or was removed from quarantine."""
    open_errors = con.execute(
        "select file_hash, logical_key, moved_to, error_at from ops.file_errors "
        "where table_name = ? and resolved_at is null and error_at < ?",
        [table, before],
    ).fetchall()
    for digest, key, moved_to, error_at in open_errors:
        newer = con.execute(
            "select relative_path from ops.landed_files where logical_key = ? and loaded_at > ? "
            "order by loaded_at desc limit 1",
            [key, error_at],
        ).fetchone()
        if newer:
            resolution = f"replaced by {newer[0]}"
        elif moved_to and not (quarantine_dir.parent / moved_to).exists():
            resolution = "removed from the quarantine folder"
        else:
            continue
        con.execute(
            "update ops.file_errors set resolved_at = ?, resolution = ? "
            "where file_hash = ? and table_name = ? and resolved_at is null",
            [before, resolution, digest, table],
        )


# --------------------------------------------------------------------------------------------
# One table
# --------------------------------------------------------------------------------------------


def refresh_raw_view(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """`raw.<table>`: rows of active files that are not quarantined, the interface dbt reads."""
    if not _table_exists(con, "landed", table):
        return
    con.execute(
        f"""
        create or replace view raw.{table} as
        select l.* from landed.{table} l
        where l._file_hash in (
            select file_hash from ops.landed_files
            where table_name = '{table}' and status = 'active'
        )
        and not exists (
            select 1 from ops.quarantine q
            where q.table_name = '{table}' and q.file_hash = l._file_hash
              and q.source_row = l._source_row
        )
        """
    )


def _update_row_counts(con: duckdb.DuckDBPyConnection, table: str, hashes: list[str]) -> None:
    """rows_staged / rows_quarantined of these files, counted from the tables themselves."""
    if not hashes:
        return
    con.execute("create or replace temp table _fordela_counted (file_hash varchar)")
    con.executemany("insert into _fordela_counted values (?)", [[h] for h in hashes])
    con.execute(
        f"""
        update ops.landed_files f
        set rows_staged = c.staged, rows_quarantined = c.quarantined
        from (
            select s.file_hash,
                   coalesce(l.n, 0) - coalesce(q.validated, 0) as staged,
                   coalesce(q.rows, 0) as quarantined
            from _fordela_counted s
            left join (
                select _file_hash, count(*) as n from landed.{table}
                where _file_hash in (select file_hash from _fordela_counted) group by 1
            ) l on l._file_hash = s.file_hash
            left join (
                select file_hash, count(distinct source_row) as rows,
                       count(distinct source_row) filter (where stage = 'validate') as validated
                from ops.quarantine
                where table_name = '{table}' and file_hash in (select file_hash from _fordela_counted)
                group by 1
            ) q on q.file_hash = s.file_hash
        ) c
        where f.file_hash = c.file_hash and f.table_name = '{table}'
          and (f.rows_staged is distinct from c.staged or f.rows_quarantined is distinct from c.quarantined)
        """
    )
    broken = con.execute(
        """
        select relative_path, rows_read, rows_staged, rows_quarantined from ops.landed_files
        where table_name = ? and file_hash in (select file_hash from _fordela_counted)
          and rows_read <> rows_staged + rows_quarantined
        """,
        [table],
    ).fetchall()
    con.execute("drop table _fordela_counted")
    if broken:
        listed = "; ".join(f"{p}: read {r}, staged {s}, quarantined {q}" for p, r, s, q in broken)
        raise LandingError(
            f"rows read <> rows staged + rows quarantined for {listed}; the load was rolled back. "
            "This is a bug in the loader: report it with the file."
        )


def load_table(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    landing_dir: Path,
    *,
    periods: Collection[str] | None = None,
    valid_periods: Collection[str] | None = None,
    quarantine_dir: Path | None = None,
    open_years: Collection[int] | None = None,
) -> TableLoad:
    """Load the files of one table found in the landing folder, then validate its rows.

    `periods` limits a partitioned table to the files of those periods (plus, always, files whose
    name has no valid period: they are rejected). `valid_periods` are the periods that exist at
    all. `open_years` defaults to `FORDELA_OPEN_YEARS`, else the years of the plan amounts.
    Files that cannot be read are moved to `quarantine_dir/<kind>/` (default: `quarantine/`
    beside the landing folder) after the load commits.
    """
    quarantine_dir = quarantine_dir or landing_dir.parent / "quarantine"
    ensure_schemas(con)
    _ensure_landed_table(con, spec.table)
    now = datetime.now(UTC).replace(tzinfo=None)
    files = landing_files(spec, landing_dir)
    if spec.partitioned and periods is not None:
        wanted = set(periods)
        files = [
            p
            for p in files
            if (period := period_of(spec, p)) is None
            or period in wanted
            or (valid_periods is not None and period not in valid_periods)
        ]
    years = configured_open_years() if open_years is None else frozenset(open_years)
    contract = CONTRACTS_BY_TABLE[spec.table]
    result = TableLoad(spec.table)
    rejections: list[_Rejection] = []
    con.execute("begin transaction")
    try:
        for path in files:
            result.files.append(
                _load_file(con, spec, path, landing_dir, valid_periods, now, rejections)
            )
        targets = _record_rejections(con, rejections, quarantine_dir, now)
        if years is None:
            years = plan_years(con)
        scope_filter = ""
        params: list[object] = [spec.table]
        if spec.partitioned and periods is not None:
            scope_filter = "and partition_key in (select unnest(?::varchar[]))"
            params.append(sorted(set(periods)))
        scope = [
            row[0]
            for row in con.execute(
                f"select file_hash from ops.landed_files where table_name = ? and status = 'active' "
                f"{scope_filter}",
                params,
            ).fetchall()
        ]
        summary = validate_rows(con, contract, scope, years, now)
        result.quarantined_by_check = summary.quarantined_by_check
        result.skipped_rules = summary.skipped
        touched = sorted(
            {*scope, *(f.file_hash for f in result.files if f.status in ("loaded", "superseding"))}
        )
        _update_row_counts(con, spec.table, touched)
        refresh_raw_view(con, spec.table)
        _resolve_file_errors(con, spec.table, quarantine_dir, now)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    _move_rejected(rejections, targets, now)
    counts = {
        row[0]: (row[1], row[2])
        for row in con.execute(
            "select file_hash, rows_staged, rows_quarantined from ops.landed_files where table_name = ?",
            [spec.table],
        ).fetchall()
    }
    result.files = [
        _with_counts(f, counts.get(f.file_hash), targets.get(f.relative_path), quarantine_dir)
        for f in result.files
    ]
    result.rows_active = table_row_count(con, spec.table)
    result.open_errors = [
        row[0]
        for row in con.execute(
            "select message from ops.file_errors where table_name = ? and resolved_at is null "
            "order by error_at, source_file",
            [spec.table],
        ).fetchall()
    ]
    return result


def _with_counts(
    load: FileLoad, counts: tuple[int, int] | None, target: Path | None, quarantine_dir: Path
) -> FileLoad:
    if target is not None:
        load = replace(load, moved_to=target.relative_to(quarantine_dir.parent).as_posix())
    if counts is None or load.status not in ("loaded", "superseding"):
        return load
    return replace(load, rows_staged=int(counts[0] or 0), rows_quarantined=int(counts[1] or 0))


def table_row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    if not _table_exists(con, "raw", table):
        return 0
    found = con.execute(f"select count(*) from raw.{table}").fetchone()
    return int(found[0]) if found else 0


def row_reconciliation(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Active files whose counts do not add up, measured independently of the loader's counts.

    For each active file: rows_read = rows_staged + rows_quarantined, rows_staged = its rows in
    `raw.<table>`, rows_quarantined = its distinct rows in `ops.quarantine`. Empty when all agree.
    """
    if not _table_exists(con, "ops", "landed_files") or not _table_exists(con, "raw", table):
        return []
    rows = con.execute(
        f"""
        with staged as (
            select _file_hash, count(*) as n from raw.{table} group by 1
        ), quarantined as (
            select file_hash, count(distinct source_row) as n from ops.quarantine
            where table_name = ? group by 1
        )
        select f.relative_path, f.rows_read, f.rows_staged, f.rows_quarantined,
               coalesce(s.n, 0), coalesce(q.n, 0)
        from ops.landed_files f
        left join staged s on s._file_hash = f.file_hash
        left join quarantined q on q.file_hash = f.file_hash
        where f.table_name = ? and f.status = 'active'
          and (f.rows_read <> coalesce(s.n, 0) + coalesce(q.n, 0)
               or f.rows_staged is distinct from coalesce(s.n, 0)
               or f.rows_quarantined is distinct from coalesce(q.n, 0))
        order by 1
        """,
        [table, table],
    ).fetchall()
    return [
        f"{path}: read {read}, recorded staged {staged} / quarantined {quarantined}, "
        f"found in raw.{table} {found_staged} / in ops.quarantine {found_quarantined}"
        for path, read, staged, quarantined, found_staged, found_quarantined in rows
    ]


def periods_with_files(spec: TableSpec, landing_dir: Path) -> list[str]:
    """The periods (from file names) of a partitioned table's files in the landing folder."""
    return sorted({p for path in landing_files(spec, landing_dir) if (p := period_of(spec, path))})


def iter_landing_files(landing_dir: Path) -> Iterable[tuple[TableSpec, Path]]:
    for spec in TABLE_SPECS:
        for path in landing_files(spec, landing_dir):
            yield spec, path
