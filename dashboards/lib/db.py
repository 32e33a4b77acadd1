"""Read-only access to the published snapshot: one fresh connection per cache miss, bound parameters only."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pipelines.lib.settings import get_settings

# The catalog name the snapshot is attached under; queries name `marts.<table>` after `USE`.
_CATALOG = "fordela_snapshot"
_RETRIES = 3


class SnapshotUnavailable(Exception):
    """The published snapshot cannot answer; pages show a friendly message instead of a traceback."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class SnapshotMissing(SnapshotUnavailable):
    """No file at the snapshot path: nothing has been published yet."""


class SnapshotUnreadable(SnapshotUnavailable):
    """The file exists but is not a readable snapshot with the expected tables and columns."""


@dataclass(frozen=True)
class SnapshotVersion:
    """Identity of one published file. A publish replaces the file (new inode), so this changes."""

    path: str
    inode: int
    mtime_ns: int
    size: int

    @property
    def modified_at(self) -> datetime:
        return datetime.fromtimestamp(self.mtime_ns / 1e9, tz=UTC)


class _SnapshotChanged(Exception):
    """The file was replaced while a query ran; the result may belong to either version."""


def snapshot_path() -> Path:
    """Where the published snapshot lives (`FORDELA_SNAPSHOT` overrides the settings default)."""
    return get_settings().current_snapshot


def snapshot_version(path: Path | None = None) -> SnapshotVersion | None:
    path = path or snapshot_path()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return SnapshotVersion(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


def snapshot_exists() -> bool:
    return snapshot_version() is not None


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    """A private, read-only view of the file at `path`.

    `duckdb.connect(path, read_only=True)` is not used: DuckDB keeps one database instance per
    path per process, so while any session holds a connection, a new connection to the same path
    gets the already-open instance, i.e. the snapshot that was replaced. A fresh in-memory
    database that attaches the file opens whatever file the path names now.
    """
    con = duckdb.connect(":memory:")
    try:
        # ATTACH takes no bound parameters; the path comes from settings, never from a user.
        con.execute(f"attach {_sql_string(path)} as {_CATALOG} (read_only)")
        con.execute(f"use {_CATALOG}")
        # Our SQL never reads files; make sure no statement can.
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except Exception:
        con.close()
        raise
    return con


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(sql: str, params: dict[str, object], version: SnapshotVersion) -> pd.DataFrame:
    # `version` is part of the cache key: a new publish is a cache miss, old entries age out.
    con = _connect(version.path)
    try:
        if snapshot_version(Path(version.path)) != version:
            raise _SnapshotChanged
        table = con.execute(sql, params).fetch_arrow_table()
    finally:
        con.close()
    # Via Arrow, DECIMAL columns arrive as Python Decimals (pandas' own path would make floats).
    return table.to_pandas()


def query(sql: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Run one SELECT against the published snapshot with named, bound parameters ($name).

    Results are cached per snapshot version; the connection lives only for the cache miss.
    Raises SnapshotMissing / SnapshotUnreadable for the pages to turn into a message.
    """
    path = snapshot_path()
    bound = dict(params or {})
    for _ in range(_RETRIES):
        version = snapshot_version(path)
        if version is None:
            raise SnapshotMissing(path, "no published snapshot")
        try:
            return _cached_query(sql, bound, version)
        except _SnapshotChanged:
            continue
        except (duckdb.CatalogException, duckdb.BinderException) as exc:
            # A table or column the pages expect is not in this snapshot (contract drift).
            raise SnapshotUnreadable(path, str(exc).splitlines()[0]) from exc
        except (duckdb.IOException, duckdb.SerializationException) as exc:
            raise SnapshotUnreadable(path, str(exc).splitlines()[0]) from exc
    raise SnapshotUnreadable(path, "the snapshot was replaced repeatedly while being read")


@contextmanager
def connection() -> Iterator[tuple[duckdb.DuckDBPyConnection, SnapshotVersion]]:
    """A private read-only connection to the current snapshot, for library code that wants a
    connection rather than one statement (the allocation engine's explanation function)."""
    path = snapshot_path()
    version = snapshot_version(path)
    if version is None:
        raise SnapshotMissing(path, "no published snapshot")
    try:
        con = _connect(version.path)
    except (duckdb.IOException, duckdb.SerializationException) as exc:
        raise SnapshotUnreadable(path, str(exc).splitlines()[0]) from exc
    try:
        yield con, version
    finally:
        con.close()
