"""Publishing: a new read-only snapshot, `current.duckdb` re-pointed atomically, failures change nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.lib.publish import publish_snapshot


def _warehouse(path: Path, value: int) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.fct_x as select ?::int as v", [value])
        con.execute("create schema if not exists ops")
        con.execute("create or replace table ops.check_results as select 'gx' as source")
    return path


def test_publish_copies_marts_and_ops_and_logs_itself(tmp_path: Path) -> None:
    snapshot = publish_snapshot(_warehouse(tmp_path / "w.duckdb", 1), tmp_path / "serving", run_id="r1")
    assert snapshot.current == tmp_path / "serving" / "current.duckdb"
    with duckdb.connect(str(snapshot.current), read_only=True) as con:
        assert con.execute("select v from marts.fct_x").fetchall() == [(1,)]
        assert con.execute("select source from ops.check_results").fetchall() == [("gx",)]
        assert con.execute("select run_id from ops.publish_log").fetchall() == [("r1",)]
    assert snapshot.tables["marts.fct_x"] == 1


def test_a_reader_of_the_old_snapshot_keeps_reading_it(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "w.duckdb", 1)
    first = publish_snapshot(warehouse, tmp_path / "serving")
    reader = duckdb.connect(str(first.current), read_only=True)
    _warehouse(warehouse, 2)
    second = publish_snapshot(warehouse, tmp_path / "serving")
    assert reader.execute("select v from marts.fct_x").fetchall() == [(1,)]
    reader.close()
    with duckdb.connect(str(second.current), read_only=True) as con:
        assert con.execute("select v from marts.fct_x").fetchall() == [(2,)]
    assert second.current.samefile(second.path)


def test_a_failed_publish_leaves_current_as_it_was(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "w.duckdb", 1)
    first = publish_snapshot(warehouse, tmp_path / "serving")
    inode = first.current.stat().st_ino
    with duckdb.connect(str(warehouse)) as con:
        # A mart that cannot be copied (a view over a table that is gone) fails mid-publish.
        con.execute("create view marts.broken as select * from marts.fct_x")
        con.execute("drop table marts.fct_x")
    with pytest.raises(duckdb.Error):
        publish_snapshot(warehouse, tmp_path / "serving")
    assert first.current.stat().st_ino == inode
    assert not list((tmp_path / "serving").glob("*.partial"))
    assert len(list((tmp_path / "serving").glob("snapshot-*.duckdb"))) == 1


def test_only_the_last_snapshots_are_kept(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "w.duckdb", 1)
    for _ in range(4):
        publish_snapshot(warehouse, tmp_path / "serving", keep=2)
    assert len(list((tmp_path / "serving").glob("snapshot-*.duckdb"))) == 2
