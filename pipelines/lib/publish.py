"""Publish the marts as a read-only snapshot; `serving/current.duckdb` always names the newest.

A snapshot is written to a new file beside the others, checkpointed, closed and made read-only;
then `current.duckdb` is re-pointed at it with an atomic rename of a hard link. A reader that
has the previous snapshot open keeps reading it; a failed publish leaves `current.duckdb` as it
was. The last `keep` snapshots are kept for comparison and rollback.

A publish that was killed (out of memory, a reboot) leaves its `.partial` file (and DuckDB's
`.wal` beside it, or a `.current-*.tmp` link) behind. Each such file carries the id of the process
that wrote it; the next publish removes those whose process is gone.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.lib.processes import writer_runs

PUBLISHED_SCHEMAS = ("marts",)
# The snapshot is written in DuckDB's 1.4 storage format (the project pins duckdb 1.4.4). Most
# of a publish is DuckDB compressing fct_allocation's text columns; the 1.4 format's string
# compression (dictionary and FSST in one pass) copies the marts about a quarter faster than the
# default, v0.10.2-compatible format (demo scale 10: 33 -> 23.5 s, scale 1: 5.1 -> 3.8 s, on 2
# cores) and the file is 10-15 % smaller. Readers need DuckDB 1.4 or newer; the warehouse keeps
# the default format.
SNAPSHOT_STORAGE_VERSION = "v1.4.0"
# Operational tables the data-engineering pages read, copied when present.
PUBLISHED_OPS_TABLES = (
    "landed_files", "check_results", "quarantine", "pipeline_runs", "file_errors",
    # the month close (pipelines/lib/close/state.py)
    "period_closes", "closed_charges", "closed_price_settlement", "close_inputs",
)  # fmt: skip
# What a publish writes before the snapshot is complete: `snapshot-<stamp>.<pid>.partial` (with
# DuckDB's `.wal` beside it while it is open) and the link `.current-<stamp>.<pid>.tmp`. Files
# from before the process id was part of the name have none.
_UNFINISHED = re.compile(
    r"^(?:snapshot-\w+(?:\.(?P<pid>\d+))?\.partial(?:\.wal)?|\.current-\w+(?:\.(?P<link_pid>\d+))?\.tmp)$"
)


@dataclass(frozen=True)
class Snapshot:
    path: Path
    current: Path
    tables: dict[str, int]
    # Files of earlier publishes that never finished, removed by this one.
    leftovers_removed: list[str] = field(default_factory=list)


def remove_unfinished(serving_dir: Path) -> list[str]:
    """Remove what publishes whose process is gone left behind; the names removed.

    A file written by a process that still runs (a publish under way elsewhere, or in this
    process) is left alone.
    """
    removed: list[str] = []
    if not serving_dir.is_dir():
        return removed
    for path in sorted(serving_dir.iterdir()):
        match = _UNFINISHED.match(path.name)
        if match is None:
            continue
        pid_text = match["pid"] or match["link_pid"]
        if pid_text is not None:
            pid = int(pid_text)
            if pid == os.getpid() or writer_runs(pid, path):
                continue
        path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = 'wh' "
        "and schema_name = ? order by table_name",
        [schema],
    ).fetchall()
    views = con.execute(
        "select view_name from duckdb_views() where database_name = 'wh' "
        "and schema_name = ? and not internal order by view_name",
        [schema],
    ).fetchall()
    return [r[0] for r in rows + views]


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else 0


def publish_snapshot(
    warehouse: Path, serving_dir: Path, run_id: str | None = None, keep: int = 5
) -> Snapshot:
    serving_dir.mkdir(parents=True, exist_ok=True)
    removed = remove_unfinished(serving_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = serving_dir / f"snapshot-{stamp}.duckdb"
    partial = serving_dir / f"snapshot-{stamp}.{os.getpid()}.partial"
    partial.unlink(missing_ok=True)

    counts: dict[str, int] = {}
    # The warehouse is attached read-only; the snapshot is the only file written.
    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse}' as wh (read_only)")
        con.execute(f"attach '{partial}' as snap (storage_version '{SNAPSHOT_STORAGE_VERSION}')")
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f"create schema snap.{schema}")
            for table in _tables(con, schema):
                con.execute(
                    f"create table snap.{schema}.{table} as select * from wh.{schema}.{table}"
                )
                counts[f"{schema}.{table}"] = _count(con, f"snap.{schema}.{table}")
        con.execute("create schema snap.ops")
        present = set(_tables(con, "ops"))
        for table in PUBLISHED_OPS_TABLES:
            if table in present:
                con.execute(f"create table snap.ops.{table} as select * from wh.ops.{table}")
                counts[f"ops.{table}"] = _count(con, f"snap.ops.{table}")
        con.execute(
            "create table snap.ops.publish_log as select ?::timestamp as published_at, "
            "?::varchar as run_id, ?::varchar as snapshot_file",
            [datetime.now(UTC).replace(tzinfo=None), run_id, target.name],
        )
        con.execute("detach snap")
        con.execute("detach wh")
    except BaseException:
        con.close()
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".wal").unlink(missing_ok=True)
        raise
    con.close()

    os.replace(partial, target)
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    current = serving_dir / "current.duckdb"
    link = serving_dir / f".current-{stamp}.{os.getpid()}.tmp"
    os.link(target, link)
    os.replace(link, current)
    _prune(serving_dir, keep)
    return Snapshot(path=target, current=current, tables=counts, leftovers_removed=removed)


def _prune(serving_dir: Path, keep: int) -> None:
    snapshots = sorted(serving_dir.glob("snapshot-*.duckdb"))
    for old in snapshots[:-keep]:
        old.unlink(missing_ok=True)
