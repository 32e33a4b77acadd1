"""The whole pipeline killed, or its data folder turned read-only or full, and what comes next.

Real `fordela pipeline` processes on a real demo city (scale 0.02):

- killed with SIGKILL to its process group (as the out-of-memory killer or a reboot does) at the
  checks, inside dbt and during publish. The killed run is left "started" holding the warehouse
  pool's slot; after each, the next plain `fordela pipeline` recovers it, completes and
  publishes, and serving/ holds no `.partial`. The served snapshot never changes before that.
- a data folder that becomes read-only, or whose disk fills, while dbt runs: the run fails with
  a message naming the folder and the cause, the served snapshot is unchanged, and the next run
  on the healthy folder completes. These need mounts (a small tmpfs for the data folder, a
  read-only bind mount over it); where mounting is not allowed they are skipped, saying so.

The kills at the checks and during publish use `tests/pipeline/pause_at.py`, which pauses the
real command at that point; the kill inside dbt happens when dbt reports its first table.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.resources import WAREHOUSE_POOL
from pipelines.lib.demo import generate

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCALE = 0.02
# dbt has built its first table (the warehouse is being written): "inside dbt".
DBT_TABLE = "OK created sql table model"
# Guards against the bug this tests (a run waiting for ever): such a run is killed and fails.
HANG_GUARD = 1800
PLAIN = [sys.executable, "-m", "pipelines.cli", "pipeline", "--no-demo"]
RUN_ID = re.compile(r" - full_pipeline - ([0-9a-f]{8}-[0-9a-f-]{27}) - ")


def paused(point: str) -> list[str]:
    return [sys.executable, "-m", "tests.pipeline.pause_at", point]


@dataclass
class Run:
    returncode: int
    output: str
    acted: bool  # the `then` of `City.run` happened
    hung: bool
    left_running: list[str]  # processes of its group still running after it ended

    @property
    def run_id(self) -> str:
        found = RUN_ID.search(self.output)
        assert found, self.tail
        return found[1]

    @property
    def tail(self) -> str:
        return "".join(self.output.splitlines(keepends=True)[-40:])

    @property
    def dbt_left_running(self) -> list[str]:
        """A dbt of this run still running after the command ended (it would hold the
        warehouse's lock against the next run)."""
        return [command for command in self.left_running if "dbt build" in command]


def kill(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)


def group_members(group: int) -> list[str]:
    """Command lines of the processes in a process group (from /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == group and fields[0] not in ("Z", "X"):
                members.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
        except (OSError, ValueError):
            continue
    return members


@dataclass
class City:
    base: Path
    data_dir: Path
    mounted: bool  # the data folder is a bind mount of a tmpfs (read-only and full work)

    def run(
        self,
        command: list[str],
        when: str | None = None,
        then: Callable[[subprocess.Popen[str]], None] | None = None,
    ) -> Run:
        """Run a command on the city; the first time a line contains `when`, do `then`."""
        env = {**os.environ, "FORDELA_DATA_DIR": str(self.data_dir), "PYTHONUNBUFFERED": "1"}
        env.pop("DAGSTER_HOME", None)
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        hung = threading.Event()

        def guard() -> None:
            hung.set()
            kill(process)

        timer = threading.Timer(HANG_GUARD, guard)
        timer.daemon = True
        timer.start()
        lines: list[str] = []
        acted = False
        assert process.stdout is not None
        try:
            for line in process.stdout:
                lines.append(line)
                if when is not None and not acted and when in line and then is not None:
                    acted = True
                    then(process)
            process.wait()
        finally:
            timer.cancel()
            left_running = group_members(process.pid)
            with contextlib.suppress(ProcessLookupError):
                kill(process)
            process.wait()
        return Run(process.returncode, "".join(lines), acted, hung.is_set(), left_running)

    # --- the data folder's disk ------------------------------------------------------------

    @property
    def store(self) -> Path:
        return self.base / "fs" / "data"

    def make_read_only(self) -> None:
        """From now on every file opened in the data folder is read-only (a read-only mount)."""
        subprocess.run(["umount", "-l", str(self.data_dir)], check=True)
        subprocess.run(
            ["mount", "--bind", "-o", "ro", str(self.store), str(self.data_dir)], check=True
        )

    def make_writable(self) -> None:
        subprocess.run(["umount", "-l", str(self.data_dir)], check=True)
        subprocess.run(["mount", "--bind", str(self.store), str(self.data_dir)], check=True)

    @property
    def filler(self) -> Path:
        return self.base / "fs" / "filler"

    def fill_disk(self) -> None:
        """Write into the data folder's disk until not one more block fits."""
        with self.filler.open("ab", buffering=0) as handle:
            for size in (1 << 20, 4096):
                with contextlib.suppress(OSError):
                    while True:
                        handle.write(b"\0" * size)

    def free_disk(self) -> None:
        self.filler.unlink()


def _mount(base: Path) -> bool:
    (base / "fs").mkdir()
    (base / "data").mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=900m", "tmpfs", str(base / "fs")], capture_output=True
    )
    if mounted.returncode != 0:
        return False
    (base / "fs" / "data").mkdir()
    subprocess.run(["mount", "--bind", str(base / "fs" / "data"), str(base / "data")], check=True)
    return True


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    base = tmp_path_factory.mktemp("crash-city")
    mounted = _mount(base)
    city = City(base, base / "data", mounted)
    generate(city.data_dir / "landing", seed=2017, scale=SCALE)
    try:
        yield city
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(base / "data")], check=False)
            subprocess.run(["umount", "-l", str(base / "fs")], check=False)


def published(city: City) -> tuple[int, str] | None:
    """(inode of current.duckdb, the run that published it), None before the first publish."""
    current = city.data_dir / "serving" / "current.duckdb"
    if not current.exists():
        return None
    with duckdb.connect(str(current), read_only=True) as con:
        row = con.execute("select run_id from ops.publish_log").fetchone()
    assert row is not None
    return current.stat().st_ino, str(row[0])


def unfinished_files(city: City) -> list[str]:
    serving = city.data_dir / "serving"
    if not serving.is_dir():
        return []
    return sorted(
        p.name for p in serving.iterdir() if ".partial" in p.name or p.name.startswith(".current-")
    )


def run_state(city: City, run_id: str) -> tuple[dg.DagsterRunStatus, bool]:
    """(status, whether it holds a slot of the warehouse pool) of a run."""
    with dg.DagsterInstance.from_config(str(city.data_dir / "dagster_home")) as instance:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
        return run.status, run_id in {slot.run_id for slot in info.claimed_slots}


def assert_crashed(city: City, killed: Run, before: tuple[int, str] | None) -> None:
    """What a kill leaves: the run "started" for ever, holding the pool's only slot (every run
    after it would wait), and the served snapshot as it was."""
    assert killed.acted and killed.returncode == -signal.SIGKILL, killed.tail
    assert run_state(city, killed.run_id) == (dg.DagsterRunStatus.STARTED, True)
    assert published(city) == before


def assert_recovered(city: City, crashed: Run, by: Run) -> None:
    """A plain run recovered the crashed one (marked failed, slot freed) and got the slot."""
    assert not by.hung, "the run waited for the warehouse pool for ever\n" + by.tail
    assert f"Recovered after a crash: run {crashed.run_id[:8]}" in by.output, by.tail
    assert run_state(city, crashed.run_id) == (dg.DagsterRunStatus.FAILURE, False)


@pytest.mark.parametrize("point", ["checks", "dbt", "publish"])
def test_a_run_killed_at_the_checks_in_dbt_or_during_publish_blocks_nothing(
    city: City, point: str
) -> None:
    """Killed there, the run is left holding the pool; the next plain `fordela pipeline`
    recovers it, completes and publishes, and serving/ holds nothing half written."""
    before = published(city)
    seen_in_serving: list[str] = []

    def look_and_kill(process: subprocess.Popen[str]) -> None:
        seen_in_serving.extend(unfinished_files(city))
        kill(process)

    if point == "dbt":
        killed = city.run(PLAIN, DBT_TABLE, kill)
    else:
        killed = city.run(paused(point), f"PAUSED AT {point}", look_and_kill)
    assert_crashed(city, killed, before)
    if point == "publish":
        assert any(name.endswith(".partial") for name in seen_in_serving), seen_in_serving
        assert unfinished_files(city), "the killed publish left nothing behind"

    after = city.run(PLAIN)
    assert after.returncode == 0, after.tail
    assert_recovered(city, killed, by=after)
    assert published(city) is not None and published(city)[1] == after.run_id  # type: ignore[index]
    assert unfinished_files(city) == []
    assert after.dbt_left_running == []
    if point == "publish":
        assert "removed what a publish that never finished" in after.output


def assert_completes(city: City, before: tuple[int, str] | None) -> None:
    """The next run on the healthy folder completes and publishes a new snapshot."""
    after = city.run(PLAIN)
    assert after.returncode == 0, after.tail
    assert published(city) is not None and published(city) != before
    assert published(city)[1] == after.run_id  # type: ignore[index]
    assert unfinished_files(city) == []


def test_a_read_only_or_full_data_folder_fails_clearly_and_changes_nothing(city: City) -> None:
    if not city.mounted:
        pytest.skip("mounting a tmpfs is not allowed here (needs root): no read-only or full disk")
    if published(city) is None:
        assert city.run(PLAIN).returncode == 0

    for break_folder, repair, cause in (
        (city.make_read_only, city.make_writable, "is on a read-only file system"),
        (city.fill_disk, city.free_disk, "is full: no space is left on its disk"),
    ):
        before = published(city)

        def act(process: subprocess.Popen[str], broken: Callable[[], None] = break_folder) -> None:
            broken()

        failed = city.run(PLAIN, DBT_TABLE, act)
        try:
            assert failed.acted and failed.returncode == 1, failed.tail
            assert f"The data folder {city.data_dir} {cause}" in failed.output, failed.tail
            assert published(city) == before
            assert failed.dbt_left_running == []
            # Still so (the failed run may have freed what it had written: fill it again), the
            # next run stops before it starts, saying the same.
            break_folder()
            again = city.run(PLAIN)
            assert again.returncode == 1 and RUN_ID.search(again.output) is None, again.tail
            assert f"The data folder {city.data_dir} {cause}" in again.output
        finally:
            repair()
        assert_completes(city, before)
