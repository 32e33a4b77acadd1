"""The demo city's dashboard users: written beside its landing files, for the log-in page."""

from __future__ import annotations

import shutil
from pathlib import Path

# Bcrypt hashes of the passwords that README.md lists (demo data: they protect nothing).
DEMO_USERS_FILE = Path(__file__).with_name("users.toml")


def users_file_beside(landing_dir: Path) -> Path:
    """Where the users of a city landed in `landing_dir` go: `users.toml` beside that folder
    (the data folder, when the landing folder is the default `<data dir>/landing`)."""
    return landing_dir.parent / "users.toml"


def write_demo_users(target: Path, *, force: bool = False) -> bool:
    """Copy the demo users to `target`; an existing users file is kept unless `force`.

    Returns whether the file was written.
    """
    if target.exists() and not force:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DEMO_USERS_FILE, target)
    return True
