"""Whether the data folder can be written; a read-only folder or a full disk named, with the fix.

The warehouse, Dagster's instance and the published snapshots all live under the data folder
(`FORDELA_DATA_DIR`). When it is mounted read-only, or its disk is full, DuckDB, SQLite and dbt
fail with their own words somewhere inside a step. `fordela pipeline` checks the folder before
a run, and after a failed run says which folder and why, instead of a stack trace.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.settings import Settings

# Written (and synced) to learn whether a folder takes data; small enough never to matter.
PROBE_BYTES = 64 * 1024

_CAUSES = {
    errno.EROFS: "is on a read-only file system",
    errno.ENOSPC: "is full: no space is left on its disk",
    errno.EDQUOT: "is full: the disk quota is used up",
    errno.EACCES: "cannot be written: permission denied",
    errno.EPERM: "cannot be written: operation not permitted",
}
_FIXES = {
    errno.EROFS: (
        "make it writable again (a read-only mount: remount it read-write; a disk the system "
        "switched to read-only after errors: have it checked)"
    ),
    errno.ENOSPC: "free space on its disk (`df -h {folder}`), or set FORDELA_DATA_DIR to a folder on a larger disk",
    errno.EDQUOT: "free space within the quota, or set FORDELA_DATA_DIR to a folder with room",
    errno.EACCES: "give the user that runs fordela write access to it",
    errno.EPERM: "give the user that runs fordela write access to it",
}
# How DuckDB, SQLite (Dagster's instance), dbt and Python word the same two problems.
_SIGNS: tuple[tuple[re.Pattern[str], int], ...] = (
    (
        re.compile(r"no space left on device|database or disk is full|disk is full", re.I),
        errno.ENOSPC,
    ),
    (re.compile(r"disk quota exceeded", re.I), errno.EDQUOT),
    (re.compile(r"read-only file system|readonly database", re.I), errno.EROFS),
)


@dataclass(frozen=True)
class FolderProblem:
    """A folder of the installation that cannot take data, and why."""

    folder: Path
    code: int  # errno
    detail: str  # the system's words

    def message(self, snapshot: Path) -> str:
        fix = _FIXES.get(self.code, "make it writable").format(folder=self.folder)
        return (
            f"The data folder {self.folder} {_CAUSES.get(self.code, 'cannot be written')} "
            f"({self.detail}). The run stopped and published nothing: the served snapshot "
            f"{snapshot} is unchanged. To go on, {fix}, then run `fordela pipeline` again."
        )


def probe_folder(folder: Path) -> FolderProblem | None:
    """Write, sync and remove a small file in `folder`; what stopped it, if anything."""
    probe = folder / f".fordela-write-probe-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with probe.open("wb") as handle:
            handle.write(b"\0" * PROBE_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        return FolderProblem(folder, error.errno or 0, error.strerror or str(error))
    finally:
        with contextlib.suppress(OSError):  # a read-only folder has no probe to remove
            probe.unlink(missing_ok=True)
    return None


def data_folders(settings: Settings) -> list[Path]:
    """The folders a run writes: the data folder, the warehouse's, serving/ and Dagster's."""
    folders = [
        settings.data_dir,
        settings.warehouse_path.parent,
        settings.serving_dir,
        settings.dagster_home,
    ]
    return list(dict.fromkeys(folders))


def check_data_folders(settings: Settings) -> FolderProblem | None:
    """The first folder a run writes that cannot take data (read-only, full, no permission)."""
    for folder in data_folders(settings):
        if folder == settings.data_dir or folder.exists():
            problem = probe_folder(folder)
            if problem is not None:
                return problem
    return None


def diagnose_failure(texts: Iterable[str], settings: Settings) -> FolderProblem | None:
    """Why a run failed, if it was the data folder: the folder as it is now, else the errors'
    words (a full disk may have room again once the failed step removed its temporary files)."""
    problem = check_data_folders(settings)
    if problem is not None:
        return problem
    for text in texts:
        for pattern, code in _SIGNS:
            found = pattern.search(text)
            if found:
                return FolderProblem(
                    settings.data_dir, code, f"a step failed with '{found.group(0)}'"
                )
    return None
