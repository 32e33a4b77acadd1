"""Sample a process tree's resident memory and CPU time from /proc while it runs (Linux only)."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Sample:
    at: float  # time.time()
    rss_bytes: int
    cpu_s: float


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree(root: int) -> list[int]:
    children = _children_map()
    seen, stack = [], [root]
    while stack:
        pid = stack.pop()
        seen.append(pid)
        stack.extend(children.get(pid, []))
    return seen


def _usage(pid: int) -> tuple[int, float]:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except OSError:
        return 0, 0.0
    # utime and stime: fields 14-15 of stat (index 11-12 after the command name). The
    # children's cutime/cstime are left out: every descendant is sampled itself.
    ticks = int(fields[11]) + int(fields[12])
    return rss_pages * _PAGE, ticks / _CLOCK_TICKS


@dataclass
class Watch:
    """Samples the tree under `pid` every `interval` seconds until stopped."""

    pid: int
    interval: float = 0.1
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    # CPU of processes that already ended is kept so the series never goes down.
    _cpu_seen: dict[int, float] = field(default_factory=dict)

    def start(self) -> Watch:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = 0
            for pid in _tree(self.pid):
                pid_rss, cpu = _usage(pid)
                rss += pid_rss
                self._cpu_seen[pid] = max(cpu, self._cpu_seen.get(pid, 0.0))
            self.samples.append(Sample(time.time(), rss, sum(self._cpu_seen.values())))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def window(self, start: float, end: float) -> tuple[float, int]:
        """CPU seconds and peak RSS between two wall-clock times."""
        inside = [s for s in self.samples if start <= s.at <= end]
        if not inside:
            return 0.0, 0
        before = [s for s in self.samples if s.at < start]
        cpu_start = before[-1].cpu_s if before else inside[0].cpu_s
        return inside[-1].cpu_s - cpu_start, max(s.rss_bytes for s in inside)
