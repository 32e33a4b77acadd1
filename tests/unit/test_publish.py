"""Publishing: a new read-only snapshot, `current.duckdb` re-pointed atomically, failures change nothing."""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.publish import SNAPSHOT_STORAGE_VERSION, publish_snapshot


def _warehouse(path: Path, value: int) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.fct_x as select ?::int as v", [value])
        con.execute("create schema if not exists ops")
        con.execute("create or replace table ops.check_results as select 'gx' as source")
    return path


def test_publish_copies_marts_and_ops_and_logs_itself(tmp_path: Path) -> None:
    snapshot = publish_snapshot(
        _warehouse(tmp_path / "w.duckdb", 1), tmp_path / "serving", run_id="r1"
    )
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


def test_the_snapshot_is_an_exact_read_only_copy_in_the_1_4_format(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_y as select i::integer as i, 'N13' || (i % 7) as org_code, "
            "(i * 1.01)::decimal(18, 2) as amount_sek, "
            "case when i % 3 = 0 then null else (i / 7)::decimal(18, 3) end as volume, "
            "date '2017-01-01' + (i % 12) * interval 1 month as period_month "
            "from range(300000) as t(i)"
        )
    snapshot = publish_snapshot(warehouse, tmp_path / "serving")
    assert stat.S_IMODE(snapshot.path.stat().st_mode) == stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as w (read_only)")
        con.execute(f"attach '{snapshot.current}' as s (read_only)")
        sql = "select tags from duckdb_databases() where database_name = 's'"
        row = con.execute(sql).fetchone()
        assert row is not None
        tags = row[0]
        assert tags["storage_version"].startswith(SNAPSHOT_STORAGE_VERSION)
        assert (
            con.execute("describe w.marts.fct_y").fetchall()
            == con.execute("describe s.marts.fct_y").fetchall()
        )
        for a, b in (("w", "s"), ("s", "w")):
            diff = f"select * from {a}.marts.fct_y except all select * from {b}.marts.fct_y"
            assert con.execute(f"select count(*) from ({diff})").fetchone() == (0,)
    assert snapshot.tables["marts.fct_y"] == 300000


def _write_and_stay(serving: Path, name_template: str) -> subprocess.Popen[bytes]:
    """A process that writes a file named with its pid and then waits (until killed)."""
    code = (
        "import os, sys; from pathlib import Path; "
        f"Path(sys.argv[1], {name_template!r}.format(pid=os.getpid())).write_bytes(b'x'); "
        "print('written', flush=True); sys.stdin.read()"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(serving)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert process.stdout is not None and process.stdout.readline() == b"written\n"
    return process


def test_a_publish_removes_what_dead_publishes_left_and_keeps_a_live_ones(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "w.duckdb", 1)
    serving = tmp_path / "serving"
    serving.mkdir()
    # A publish killed with SIGKILL: its partial snapshot, DuckDB's log beside it, a link.
    dead = _write_and_stay(serving, "snapshot-20170101T000000000000Z.{pid}.partial")
    (serving / f"snapshot-20170101T000000000000Z.{dead.pid}.partial.wal").write_bytes(b"x")
    (serving / f".current-20170101T000000000000Z.{dead.pid}.tmp").write_bytes(b"x")
    dead.send_signal(signal.SIGKILL)
    dead.wait()
    # One from before the process id was in the name.
    (serving / "snapshot-20160101T000000000000Z.partial").write_bytes(b"x")
    # A publish still under way in another process.
    live = _write_and_stay(serving, "snapshot-20170102T000000000000Z.{pid}.partial")
    try:
        snapshot = publish_snapshot(warehouse, serving)
        assert sorted(snapshot.leftovers_removed) == sorted(
            [
                f".current-20170101T000000000000Z.{dead.pid}.tmp",
                "snapshot-20160101T000000000000Z.partial",
                f"snapshot-20170101T000000000000Z.{dead.pid}.partial",
                f"snapshot-20170101T000000000000Z.{dead.pid}.partial.wal",
            ]
        )
        assert [p.name for p in serving.glob("*.partial")] == [
            f"snapshot-20170102T000000000000Z.{live.pid}.partial"
        ]
    finally:
        live.kill()
        live.wait()
    publish_snapshot(warehouse, serving)
    assert not list(serving.glob("*.partial*")) and not list(serving.glob(".current-*"))
