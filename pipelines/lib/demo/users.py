"""The demo cities' dashboard users: written beside their landing files, for the log-in page."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.lib.demo.cities import DEFAULT_CITY, city_profile

# Bcrypt hashes of the demo passwords that README.md and pipelines/lib/demo/README.md list
# (demo data: they protect nothing), one file per demo city.
_HERE = Path(__file__).parent
DEMO_USERS_FILES = {
    "goteborg": _HERE / "users.toml",
    "sjobacka": _HERE / "cities" / "sjobacka_users.toml",
}
DEMO_USERS_FILE = DEMO_USERS_FILES[DEFAULT_CITY]


def users_file_beside(landing_dir: Path) -> Path:
    """Where the users of a city landed in `landing_dir` go: `users.toml` beside that folder
    (the data folder, when the landing folder is the default `<data dir>/landing`)."""
    return landing_dir.parent / "users.toml"


def demo_users_file(city: str = DEFAULT_CITY) -> Path:
    """The users file shipped with the demo city `city`."""
    return DEMO_USERS_FILES[city_profile(city).city_id]


def write_demo_users(target: Path, *, city: str = DEFAULT_CITY, force: bool = False) -> bool:
    """Copy the users of demo city `city` to `target`; an existing users file is kept unless
    `force`. Returns whether the file was written."""
    if target.exists() and not force:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_users_file(city), target)
    return True
