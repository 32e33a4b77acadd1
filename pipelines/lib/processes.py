"""Whether the process that started some work still runs (a crashed run's process is gone).

A pipeline run killed with SIGKILL (out of memory, a reboot, `kill -9`) leaves no trace of its
end: its Dagster run stays "started" and its slot in the warehouse pool stays taken. Whether its
process is gone decides whether fordela may clean up after it. A process id alone can be reused
by a later, unrelated process; so the question is asked with a time: was the process with this
id running already at the moment the work was recorded? On Linux this reads the start time of
the process from /proc; elsewhere it can only ask whether some process has the id.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

PROC = Path("/proc")
# /proc gives the start time in clock ticks since boot and the boot time in whole seconds: the
# start time is known to about a second.
START_TIME_SLACK = 2.0


def _boot_time() -> float | None:
    try:
        for line in (PROC / "stat").read_text().splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except OSError:
        return None
    return None


def process_start_time(pid: int) -> float | None:
    """When process `pid` started (seconds since the epoch); None if no such process runs.

    A zombie (killed, not yet collected by its parent) does not run. Without /proc, a running
    process has start time 0.0 (unknown, taken as "long ago").
    """
    if pid <= 0:
        return None
    stat_file = PROC / str(pid) / "stat"
    if PROC.is_dir() and (PROC / "self").exists():
        try:
            content = stat_file.read_text()
        except (FileNotFoundError, ProcessLookupError):
            return None
        except OSError:
            return 0.0
        # The command name (field 2) is in parentheses and may contain spaces.
        fields = content[content.rindex(")") + 2 :].split()
        state, ticks = fields[0], int(fields[19])
        if state in ("Z", "X"):
            return None
        boot = _boot_time()
        return 0.0 if boot is None else boot + ticks / os.sysconf("SC_CLK_TCK")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return 0.0
    return 0.0


def process_runs(pid: int, running_at: float) -> bool:
    """Whether process `pid` still runs and is the one that was running at `running_at`.

    `running_at` is a moment (seconds since the epoch) at which the process is known to have
    run, e.g. when it recorded something. A process with the same id that started later is
    another process: the one asked about is gone.
    """
    started = process_start_time(pid)
    return started is not None and started <= running_at + START_TIME_SLACK


def writer_runs(pid: int, path: Path) -> bool:
    """Whether the process `pid` that wrote `path` still runs (the file's last change is a moment
    at which it did). A file that is gone has no writer."""
    try:
        changed = path.stat().st_mtime
    except FileNotFoundError:
        return False
    return process_runs(pid, changed)


def _parent(entry: Path) -> int | None:
    try:
        content = (entry / "stat").read_text()
    except OSError:
        return None
    return int(content[content.rindex(")") + 2 :].split()[1])


def processes_with_environment(
    name: str, value: str | None = None, *, parent: int | None = None
) -> list[int]:
    """The processes whose environment sets `name` (to `value`, if given), optionally only the
    children of `parent` (Linux; the processes this user may read)."""
    found: list[int] = []
    if not PROC.is_dir():
        return found
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        if parent is not None and _parent(entry) != parent:
            continue
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        prefix = f"{name}=".encode()
        if any(
            item.startswith(prefix) and (value is None or item == prefix + value.encode())
            for item in environment
        ):
            found.append(int(entry.name))
    return sorted(found)


def kill_processes(pids: list[int]) -> list[int]:
    """SIGKILL each process; those that were still there."""
    killed: list[int] = []
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            continue
        killed.append(pid)
    return killed
