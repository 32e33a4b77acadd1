"""A run killed while it holds the warehouse pool's slot does not block the runs after it.

Real processes, a real Dagster instance with the pool limit of `fordela`, real SIGKILL: a job
in the pool (tests/pipeline/crash_job.py) is killed while its step holds the slot; the next run
recovers it (marked failed, slot freed) and completes. A run that is alive is never touched.
The whole pipeline killed at the checks, in dbt and during publish: tests/pipeline/test_crashes.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from pipelines.cli import prepare_dagster_home
from pipelines.defs.recovery import recover_abandoned_runs
from pipelines.defs.resources import WAREHOUSE_POOL
from pipelines.lib.processes import process_start_time

ROOT = Path(__file__).resolve().parents[2]
# Guards against a hang, not a measure: a run that waits for ever fails the test instead.
HANG_GUARD = 300


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dg.DagsterInstance]:
    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))  # restored after the test
    monkeypatch.setenv("FORDELA_RECOVERY_SECONDS", "0.5")
    prepare_dagster_home()
    with dg.DagsterInstance.get() as instance:
        yield instance


def _start(mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.pipeline.crash_job", mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group, killed whole as the OOM killer would
    )


def _wait_for(process: subprocess.Popen[str], line: str) -> str:
    """The first line the process prints that starts with `line`."""
    assert process.stdout is not None
    for output in process.stdout:
        if output.startswith(line):
            return output.strip()
    raise AssertionError(f"the process ended without printing {line!r}")


def _kill(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _holders(instance: dg.DagsterInstance) -> set[str]:
    info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
    return {slot.run_id for slot in info.claimed_slots}


def _status(instance: dg.DagsterInstance, run_id: str) -> dg.DagsterRunStatus:
    run = instance.get_run_by_id(run_id)
    assert run is not None
    return run.status


def _only_run(instance: dg.DagsterInstance, status: dg.DagsterRunStatus) -> dg.DagsterRun:
    [run] = instance.get_runs(filters=dg.RunsFilter(statuses=[status]))
    return run


def test_a_killed_run_is_recovered_and_the_next_run_completes(instance: dg.DagsterInstance) -> None:
    holder = _start("hold")
    try:
        # The run's "dbt" lives in a session of its own: it outlives the run's process group.
        dbt = int(_wait_for(holder, "holding").split()[1])
        alive = _only_run(instance, dg.DagsterRunStatus.STARTED)
        assert _holders(instance) == {alive.run_id}
        # Its process runs: nothing to recover, the slot stays its own.
        assert recover_abandoned_runs(instance, by="the test") == []
        assert _holders(instance) == {alive.run_id}
    finally:
        _kill(holder)
    # What the crash leaves: a run "started" for ever, holding the only slot (the hang).
    assert _status(instance, alive.run_id) == dg.DagsterRunStatus.STARTED
    assert _holders(instance) == {alive.run_id}

    [recovered] = recover_abandoned_runs(instance, by="the test")
    assert (recovered.run_id, recovered.pid, recovered.marked_failed) == (
        alive.run_id,
        holder.pid,
        True,
    )
    assert recovered.slots == 1
    # The dbt that outlived its run (it would hold the warehouse's lock) is ended.
    assert recovered.ended == (dbt,)
    assert process_start_time(dbt) is None
    assert _status(instance, alive.run_id) == dg.DagsterRunStatus.FAILURE
    [failure] = instance.all_logs(alive.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    assert failure.dagster_event is not None
    message = failure.dagster_event.message or ""
    assert f"(pid {holder.pid}) is gone" in message and "the test marked the run failed" in message
    assert _holders(instance) == set()
    assert recover_abandoned_runs(instance, by="the test") == []

    finished = subprocess.run(
        [sys.executable, "-m", "tests.pipeline.crash_job", "finish"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    assert finished.returncode == 0, finished.stdout
    assert _only_run(instance, dg.DagsterRunStatus.SUCCESS)


def test_a_run_waiting_behind_one_that_dies_gets_the_slot(instance: dg.DagsterInstance) -> None:
    holder = _start("hold")
    try:
        _wait_for(holder, "holding")
        held = _only_run(instance, dg.DagsterRunStatus.STARTED)
        # Started while the first one holds the slot: it waits (two runs serialise) ...
        waiter = subprocess.Popen(
            [sys.executable, "-m", "tests.pipeline.crash_job", "finish"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    finally:
        _kill(holder)
    # ... and once the holder is killed, its own look for abandoned runs frees the slot.
    output, _ = waiter.communicate(timeout=HANG_GUARD)
    assert waiter.returncode == 0, output
    assert f"recovered: run {held.run_id[:8]}" in output
    assert _status(instance, held.run_id) == dg.DagsterRunStatus.FAILURE
    assert (
        len(instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.SUCCESS]))) == 1
    )


@pytest.mark.parametrize("evaluator", ["landing_sensor", "nightly_pipeline"])
def test_the_sensor_and_the_schedule_recover_a_killed_run(
    instance: dg.DagsterInstance, evaluator: str
) -> None:
    from pipelines.defs.automation import landing_sensor, nightly_pipeline
    from pipelines.defs.resources import WarehouseResource

    holder = _start("hold")
    try:
        _wait_for(holder, "holding")
        killed = _only_run(instance, dg.DagsterRunStatus.STARTED)
    finally:
        _kill(holder)
    resources = {"warehouse": WarehouseResource()}
    if evaluator == "landing_sensor":
        with dg.build_sensor_context(instance=instance, resources=resources) as context:
            landing_sensor(context)
    else:
        with dg.build_schedule_context(instance=instance, resources=resources) as schedule_context:
            nightly_pipeline(schedule_context)
    assert _status(instance, killed.run_id) == dg.DagsterRunStatus.FAILURE
    assert _holders(instance) == set()
