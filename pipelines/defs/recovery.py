"""After a crash: runs whose process is gone are marked failed and their pool slots freed.

A run killed with SIGKILL (the out-of-memory killer, a reboot, `kill -9`) cannot record its own
end. Dagster keeps it as "started", and the slot it held in the `warehouse` pool (limit 1) stays
taken: every later run waits for that slot for ever. Dagster's run monitoring does not help here:
`fordela pipeline` runs in-process (there is no run worker to watch), and the default run
launcher of `dagster dev` has no health check for its run workers.

So before a run starts (`fordela pipeline`, the landing sensor and the nightly schedule call
`recover_abandoned_runs`), fordela looks at every run that is unfinished or holds a pool slot;
`fordela pipeline` looks again every `FORDELA_RECOVERY_SECONDS` (30 s) while it runs, so that a
run waiting for the slot behind one that dies meanwhile gets it.
The process that executes a run records its id in the run's first engine event
("Executing steps in process (pid: ...)" in-process, "Started process for run (pid: ...)" for a
launched run). If that process no longer runs, the run is marked failed with a message saying
so, and its slots and queued steps are freed. A run whose process still runs (another pipeline
waiting for the slot, or working) is left alone; so is a run that has not started executing yet.
The instance's storage is SQLite under the data folder, so every run is of this machine.
"""

# No `from __future__ import annotations` here, like the other modules of pipelines/defs/.

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import dagster as dg

from pipelines.defs.resources import DBT_RUN_ENV
from pipelines.lib.processes import kill_processes, process_runs, processes_with_environment

# Statuses of a run that executes or is about to; a killed run stays in one of them.
UNFINISHED_STATUSES = (
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
)


@dataclass(frozen=True)
class AbandonedRun:
    """A run whose process is gone, as found and cleaned up by `recover_abandoned_runs`."""

    run_id: str
    job_name: str
    status: str  # as it was found
    pid: int | None
    slots: int  # its steps that held a pool slot or were queued for one, freed
    marked_failed: bool
    ended: tuple[int, ...] = ()  # its dbt processes that had outlived it, killed

    def describe(self) -> str:
        process = f"its process {self.pid} is gone" if self.pid else "it no longer exists"
        done = "marked failed, " if self.marked_failed else ""
        ended = (
            f", its dbt process(es) {', '.join(map(str, self.ended))} ended" if self.ended else ""
        )
        return (
            f"run {self.run_id[:8]} ({self.job_name}, {self.status.lower()}): {process}; "
            f"{done}its {self.slots} step(s) in the warehouse pool freed{ended}"
        )


def _run_process(instance: dg.DagsterInstance, run_id: str) -> tuple[int, float] | None:
    """(pid, a moment it ran) of the process executing the run, from its first engine event."""
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        event = record.dagster_event
        if event is None or record.step_key is not None:
            continue
        pid = event.engine_event_data.metadata.get("pid")
        if pid is not None:
            return int(str(pid.value)), record.timestamp
    return None


def _slot_holders(instance: dg.DagsterInstance) -> dict[str, set[str]]:
    """Run id -> its steps that hold a pool slot or are queued for one."""
    storage = instance.event_log_storage
    holders: dict[str, set[str]] = {}
    if not storage.supports_global_concurrency_limits:
        return holders
    for key in storage.get_concurrency_keys():
        info = storage.get_concurrency_info(key)
        for slot in info.claimed_slots:
            holders.setdefault(slot.run_id, set()).add(slot.step_key)
        for step in info.pending_steps:
            holders.setdefault(step.run_id, set()).add(step.step_key)
    return holders


def recover_abandoned_runs(
    instance: dg.DagsterInstance, *, by: str, report: Callable[[str], None] | None = None
) -> list[AbandonedRun]:
    """Mark runs whose process is gone as failed and free their pool slots; what was done.

    `by` names who cleans up (for the run's failure message), `report` receives one line per
    run recovered.
    """
    holders = _slot_holders(instance)
    unfinished = {
        run.run_id: run
        for run in instance.get_runs(filters=dg.RunsFilter(statuses=list(UNFINISHED_STATUSES)))
    }
    recovered: list[AbandonedRun] = []
    for run_id in sorted(set(holders) | set(unfinished)):
        run = unfinished.get(run_id) or instance.get_run_by_id(run_id)
        process = _run_process(instance, run_id) if run is not None else None
        if run is not None:
            if process is None:
                continue  # not executing yet: the launcher or Dagster's monitoring decides
            if process_runs(*process):
                continue
        pid = process[0] if process else None
        marked = run is not None and not run.is_finished
        if marked:
            assert run is not None
            instance.report_run_failed(
                run,
                f"The process of this run (pid {pid}) is gone: it was killed (out of memory, a "
                f"reboot, kill -9) before the run could finish. {by} marked the run failed and "
                "freed what it held in the warehouse pool. Nothing of this run was published; "
                "the served snapshot is the last successful one.",
            )
        # A dbt that outlived the run holds the warehouse's lock: end it before anyone waits.
        ended = tuple(kill_processes(processes_with_environment(DBT_RUN_ENV, run_id)))
        if holders.get(run_id):
            instance.event_log_storage.free_concurrency_slots_for_run(run_id)
        found = AbandonedRun(
            run_id=run_id,
            job_name=run.job_name if run is not None else "deleted run",
            status=run.status.value if run is not None else "DELETED",
            pid=pid,
            slots=len(holders.get(run_id, ())),
            marked_failed=marked,
            ended=ended,
        )
        recovered.append(found)
        if report is not None:
            report(found.describe())
    return recovered


@contextmanager
def recovering(
    instance: dg.DagsterInstance,
    *,
    by: str,
    interval: float,
    report: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Recover abandoned runs now, then every `interval` seconds while the block runs."""
    recover_abandoned_runs(instance, by=by, report=report)
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(interval):
            try:
                recover_abandoned_runs(instance, by=by, report=report)
            except Exception:  # noqa: BLE001 - a failed look must not stop the run it guards
                logging.getLogger(__name__).warning(
                    "looking for abandoned runs failed", exc_info=True
                )

    watcher = threading.Thread(target=watch, name="fordela-recovery", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
