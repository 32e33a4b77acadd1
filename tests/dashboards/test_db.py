"""The snapshot access layer: one attachment per published file, results cached as Arrow and
converted exactly as before, and publishes that replace the file while sessions query it."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import threading
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st

from dashboards.lib import db, queries
from dashboards.lib.auth import Principal
from tests.dashboards.snapshot_fixture import ORGS, build_snapshot

MANAGEMENT = Principal("ledning", "management", "Ledning")

_ROWS = 5000  # above db._COMPACT_MIN_ROWS, so the result is dictionary-encoded for the cache

_MIXED_SQL = f"""
select
    i::integer as i,
    (i % 7)::bigint as small,
    case when i % 5 = 0 then null else i % 11 end as with_nulls,
    date '2017-01-01' + (i % 12) * interval 1 month as period_month,
    (date '2017-01-01' + (i % 12) * interval 1 month)::date as period_date,
    'N13' || (i % 3) as org_code,
    case when i % 4 = 0 then null else 'Östra Göteborg ' || (i % 9) end as name_with_nulls,
    repeat('x', i % 40) || i as long_text,
    (i % 13 * 1.10)::decimal(18, 2) as amount_sek,
    case when i % 6 = 0 then null else (i / 7)::decimal(18, 3) end as driver_volume,
    (i / 99991)::decimal(18, 12) as share,
    (i * 12345.6789)::decimal(38, 4) as wide_decimal,
    i % 2 = 0 as flag,
    i / 3.0 as ratio
from range({_ROWS}) as t(i)
"""


def _arrow(sql: str) -> pa.Table:
    with duckdb.connect() as con:
        return con.execute(sql).fetch_arrow_table()


def _assert_same(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(expected, got, check_exact=True)
    assert list(expected.dtypes) == list(got.dtypes)
    for column in expected.columns:
        # The same Python values, Decimal exponents and None (not NaN) included.
        assert [repr(v) for v in expected[column]] == [repr(v) for v in got[column]], column


def test_a_large_result_is_cached_compactly_and_converts_exactly_like_to_pandas() -> None:
    table = _arrow(_MIXED_SQL)
    compact = db._compact(table)
    assert any(pa.types.is_dictionary(f.type) for f in compact.schema)
    # What the cache stores is pickled and read back.
    restored = pickle.loads(pickle.dumps(compact))
    _assert_same(table.to_pandas(), db._to_pandas(restored))
    money = db._to_pandas(restored)["amount_sek"]
    assert all(isinstance(v, Decimal) for v in money)
    assert str(money.iloc[1]) == "1.10"


def test_several_batches_and_empty_results_convert_exactly() -> None:
    table = _arrow(_MIXED_SQL)
    batches = pa.Table.from_batches(table.to_batches(max_chunksize=1234))
    _assert_same(batches.to_pandas(), db._to_pandas(db._compact(batches)))
    empty = table.slice(0, 0)
    _assert_same(empty.to_pandas(), db._to_pandas(db._compact(empty)))
    small = table.slice(0, 10)
    assert db._compact(small) is small


def test_an_enum_column_from_duckdb_stays_categorical() -> None:
    table = _arrow(
        f"select (['a', 'b', 'c'])[1 + i % 3]::enum('a', 'b', 'c') as e, 'x' || i as s "
        f"from range({_ROWS}) as t(i)"
    )
    _assert_same(table.to_pandas(), db._to_pandas(db._compact(table)))
    assert isinstance(db._to_pandas(db._compact(table))["e"].dtype, pd.CategoricalDtype)


def test_duplicate_column_names_are_not_compacted() -> None:
    table = _arrow(f"select 'a' || i as x, 'b' || i as x from range({_ROWS}) as t(i)")
    assert db._compact(table) is table


def _replace_with_fewer_orgs(snapshot: Path, keep: str) -> None:
    """Publish, as publish_snapshot does: a new file renamed over current.duckdb."""
    new = snapshot.parent / f"next-{os.getpid()}-{threading.get_ident()}.duckdb"
    build_snapshot(new, read_only_file=False)
    with duckdb.connect(str(new)) as con:
        con.execute("delete from marts.rpt_budget_org_year where org_code <> ?", [keep])
    new.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(new, snapshot)


def test_one_attachment_per_published_file(fixture_snapshot: Path) -> None:
    db.close_attachments()
    first = db.snapshot_version()
    assert first is not None
    queries.budget_by_org(MANAGEMENT, 2017, "proposal")
    queries.budget_by_area(MANAGEMENT, 2017, "proposal")
    assert list(db._attachments) == [first]

    _replace_with_fewer_orgs(fixture_snapshot, "N131")
    after = queries.budget_by_org(MANAGEMENT, 2017, "proposal")
    assert list(after["org_code"]) == ["N131"]
    second = db.snapshot_version()
    # The old file's attachment was idle, so it is closed once the new one is attached.
    assert list(db._attachments) == [second]


def test_a_query_on_the_old_file_finishes_while_a_new_file_is_published(
    fixture_snapshot: Path,
) -> None:
    db.close_attachments()
    with db.connection() as (old, old_version):
        count_before = old.execute("select count(*) from marts.rpt_budget_org_year").fetchone()
        _replace_with_fewer_orgs(fixture_snapshot, "N132")
        # The next query sees the new file at once ...
        after = queries.budget_by_org(MANAGEMENT, 2017, "proposal")
        assert list(after["org_code"]) == ["N132"]
        # ... while the connection on the old file still reads the old file.
        count_old = old.execute("select count(*) from marts.rpt_budget_org_year").fetchone()
        assert count_old == count_before
        assert old_version in db._attachments
    assert old_version not in db._attachments


def test_queries_from_many_sessions_while_snapshots_are_published(fixture_snapshot: Path) -> None:
    """Sessions keep querying while the file is replaced over and over: every answer is the
    old file's or the new file's, never an error."""
    db.close_attachments()
    every_org = sorted(o[0] for o in ORGS)
    stop = threading.Event()
    failures: list[BaseException] = []
    answers: list[list[str]] = []

    def session() -> None:
        try:
            while not stop.is_set():
                # Another parameter each time: a cache miss, so a query on the file.
                for version in ("proposal", "budget"):
                    df = queries.budget_by_org(MANAGEMENT, 2017, version)
                    answers.append(sorted(df["org_code"]))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=session) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for keep in ["N131", "N132", "N131", "N132", "N131"]:
            st.cache_data.clear()
            _replace_with_fewer_orgs(fixture_snapshot, keep)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not failures, failures
    assert answers
    assert all(a in (every_org, ["N131"], ["N132"]) for a in answers), answers[:5]
    assert {("N131",), ("N132",)} <= {tuple(a) for a in answers}
    db.close_attachments()
    assert len(db._attachments) <= 1


def test_a_file_that_cannot_be_attached_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "current.duckdb"
    bad.write_bytes(b"not a database" * 100)
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(bad))
    with pytest.raises(db.SnapshotUnreadable):
        queries.plan_versions(MANAGEMENT)
    assert db.snapshot_version() not in db._attachments
    good = tmp_path / "good.duckdb"
    shutil.copyfile(build_snapshot(tmp_path / "built.duckdb"), good)
    os.replace(good, bad)
    assert queries.plan_versions(MANAGEMENT)
