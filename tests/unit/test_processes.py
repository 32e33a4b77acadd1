"""A process id names the process that did some work only while that process runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from pipelines.lib.processes import START_TIME_SLACK, process_runs, process_start_time


def test_this_process_runs_since_it_started() -> None:
    started = process_start_time(os.getpid())
    assert started is not None and started <= time.time()
    assert process_runs(os.getpid(), time.time())


def test_a_process_that_ended_does_not_run() -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    assert not process_runs(int(ended.stdout), time.time())
    assert process_start_time(0) is None


def test_a_later_process_with_the_same_id_is_another_process() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        started = process_start_time(child.pid)
        assert started is not None
        # Work recorded before the process started cannot have been done by it.
        assert not process_runs(child.pid, started - START_TIME_SLACK - 5)
        assert process_runs(child.pid, time.time())
    finally:
        child.kill()
        child.wait()
    assert not process_runs(child.pid, time.time())
