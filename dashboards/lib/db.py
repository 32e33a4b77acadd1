"""Read-only access to the published snapshot: one attachment per file, bound parameters only."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
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


class _Attachment:
    """One in-memory DuckDB with one published file attached, shared by every session.

    Queries run on cursors of it (a cursor is a connection of its own to the same database, safe
    to use beside the others from another thread). Closing the attachment would close its
    cursors too, so it is closed only when it is no longer the newest file *and* no cursor of it
    is in use.
    """

    def __init__(self, version: SnapshotVersion) -> None:
        self.version = version
        self.con = _connect(version.path)
        self.in_use = 0
        self.retired = False


_attachments: dict[SnapshotVersion, _Attachment] = {}
_attachments_lock = threading.Lock()


def _close_idle_retired() -> None:
    # Called with _attachments_lock held.
    for key, attachment in list(_attachments.items()):
        if attachment.retired and attachment.in_use == 0:
            del _attachments[key]
            attachment.con.close()


def _attachment(version: SnapshotVersion) -> _Attachment:
    """The attachment of this version of the file, opened on first use (called with the lock)."""
    attachment = _attachments.get(version)
    if attachment is not None:
        return attachment
    attachment = _Attachment(version)
    # The path was stat'ed before it was attached: if a publish replaced the file in between,
    # the attachment holds a different file than `version` names. Not kept; the caller retries.
    if snapshot_version(Path(version.path)) != version:
        attachment.con.close()
        raise _SnapshotChanged
    # A newer file supersedes every other attachment; each closes once its last query is done.
    for other in _attachments.values():
        other.retired = True
    _attachments[version] = attachment
    _close_idle_retired()
    return attachment


def _acquire(version: SnapshotVersion) -> tuple[_Attachment, duckdb.DuckDBPyConnection]:
    with _attachments_lock:
        attachment = _attachment(version)
        cursor = attachment.con.cursor()
        attachment.in_use += 1
    try:
        cursor.execute(f"use {_CATALOG}")
    except BaseException:
        _release(attachment, cursor)
        raise
    return attachment, cursor


def _release(attachment: _Attachment, cursor: duckdb.DuckDBPyConnection) -> None:
    cursor.close()
    with _attachments_lock:
        attachment.in_use -= 1
        _close_idle_retired()


@contextmanager
def _cursor(version: SnapshotVersion) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the attachment of `version` (attached on first use, then shared).

    Attaching costs tens of milliseconds and throws DuckDB's block cache away; a publish
    writes a new file (new inode, new `SnapshotVersion`), so one attachment per version still
    lets the next query see the new file at once, while queries that run on the old file
    finish on it.
    """
    attachment, cursor = _acquire(version)
    try:
        yield cursor
    finally:
        _release(attachment, cursor)


def close_attachments() -> None:
    """Close every idle attachment now (tests, shutdown); ones in use close when done."""
    with _attachments_lock:
        for attachment in _attachments.values():
            attachment.retired = True
        _close_idle_retired()


# --- Arrow results, cached compactly -------------------------------------------------------------

# Results with at least this many rows are dictionary-encoded before they are cached.
_COMPACT_MIN_ROWS = 2048
_ENCODED = b"fordela.dictionary_encoded"


def _compact(table: pa.Table) -> pa.Table:
    """Dictionary-encode the string and decimal columns of a large result.

    The cache pickles what it stores: a frame of Python Decimals and strings pickles object by
    object (seconds for a few hundred thousand rows), an Arrow table as buffers. Encoded, the
    table is also small, and each distinct value becomes a Python object once (`_to_pandas`).
    The columns encoded here are marked, so that a column that comes dictionary-encoded from
    DuckDB (an ENUM) is converted as before.
    """
    if table.num_rows < _COMPACT_MIN_ROWS or len(set(table.column_names)) != table.num_columns:
        return table
    fields, columns = [], []
    for field, column in zip(table.schema, table.columns, strict=True):
        kind = field.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_decimal(kind):
            column = pa.chunked_array([column.combine_chunks().dictionary_encode()])
            field = pa.field(field.name, column.type, field.nullable, {_ENCODED: b"1"})
        fields.append(field)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, table.schema.metadata))


def _decoded(column: pa.ChunkedArray) -> np.ndarray:
    """A column encoded by `_compact` as an object array, the values `to_pandas` would give:
    the same Decimals (same exponent) and strings, None for null."""
    parts = []
    for chunk in column.chunks:
        values = np.empty(len(chunk.dictionary) + 1, dtype=object)
        values[:-1] = chunk.dictionary.to_pylist()
        values[-1] = None
        indices = chunk.indices.fill_null(len(chunk.dictionary)).to_numpy(zero_copy_only=False)
        parts.append(values[indices])
    if not parts:
        return np.empty(0, dtype=object)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """The result as pandas, exactly as `table.to_pandas()` of the uncompacted table would be.

    Via Arrow, DECIMAL columns arrive as Python Decimals (pandas' own path would make floats).
    """
    encoded = [
        i for i, field in enumerate(table.schema) if (field.metadata or {}).get(_ENCODED) == b"1"
    ]
    if not encoded:
        return table.to_pandas()
    plain = table.drop_columns([table.column_names[i] for i in encoded]).to_pandas()
    data: dict[str, object] = {}
    for i, name in enumerate(table.column_names):
        data[name] = (
            pd.Series(_decoded(table.column(i)), dtype=object, name=name)
            if i in encoded
            else plain[name]
        )
    return pd.DataFrame(data, columns=table.column_names, copy=False)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(sql: str, params: dict[str, object], version: SnapshotVersion) -> pa.Table:
    # `version` is part of the cache key: a new publish is a cache miss, old entries age out.
    # The result is cached as Arrow (pickled as buffers); each caller gets its own DataFrame.
    with _cursor(version) as cursor:
        table = cursor.execute(sql, params).fetch_arrow_table()
    return _compact(table)


def query(sql: str, params: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Run one SELECT against the published snapshot with named, bound parameters ($name).

    Results are cached per snapshot version; the file is attached once per version.
    Raises SnapshotMissing / SnapshotUnreadable for the pages to turn into a message.
    """
    path = snapshot_path()
    bound = dict(params or {})
    for _ in range(_RETRIES):
        version = snapshot_version(path)
        if version is None:
            raise SnapshotMissing(path, "no published snapshot")
        try:
            return _to_pandas(_cached_query(sql, bound, version))
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
    for _ in range(_RETRIES):
        version = snapshot_version(path)
        if version is None:
            raise SnapshotMissing(path, "no published snapshot")
        try:
            attachment, cursor = _acquire(version)
        except _SnapshotChanged:
            continue
        except (duckdb.IOException, duckdb.SerializationException) as exc:
            raise SnapshotUnreadable(path, str(exc).splitlines()[0]) from exc
        try:
            yield cursor, version
        finally:
            _release(attachment, cursor)
        return
    raise SnapshotUnreadable(path, "the snapshot was replaced repeatedly while being read")
