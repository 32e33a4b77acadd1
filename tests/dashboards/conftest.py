"""Fixtures for the dashboard tests: a snapshot file per test, pointed to by FORDELA_SNAPSHOT.

`FORDELA_TEST_SNAPSHOT=/path/to/current.duckdb` runs the data-independent tests (and the
published-figures test) against a real snapshot instead of the small fixture.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from pipelines.lib.demo.users import DEMO_USERS_FILE
from tests.dashboards.helpers import EXTERNAL_SNAPSHOT
from tests.dashboards.snapshot_fixture import build_snapshot


@pytest.fixture(scope="session")
def _fixture_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture snapshot built once per test session; every test gets its own copy, so a
    test that replaces its file changes nothing for others."""
    folder = tmp_path_factory.mktemp("fixture-templates")
    return {"full": build_snapshot(folder / "full.duckdb")}


def _copy(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # read-only, like a publish
    return target


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo city's users (what `fordela demo-data` writes), whatever the developer's shell says.
    monkeypatch.setenv("FORDELA_USERS_FILE", str(DEMO_USERS_FILE))


@pytest.fixture
def fixture_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _fixture_templates: dict[str, Path]
) -> Path:
    """The small snapshot of snapshot_fixture.py, whose totals the tests assert exactly."""
    path = _copy(_fixture_templates["full"], tmp_path / "serving" / "current.duckdb")
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(path))
    return path


@pytest.fixture
def any_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _fixture_templates: dict[str, Path]
) -> Path:
    """A real published snapshot when FORDELA_TEST_SNAPSHOT is set, else the fixture."""
    if EXTERNAL_SNAPSHOT:
        path = Path(EXTERNAL_SNAPSHOT)
        assert path.exists(), f"FORDELA_TEST_SNAPSHOT={path} does not exist"
    else:
        path = _copy(_fixture_templates["full"], tmp_path / "serving" / "current.duckdb")
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(path))
    return path


@pytest.fixture
def missing_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "serving" / "current.duckdb"
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(path))
    return path
