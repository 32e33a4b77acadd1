"""Fixtures for the dashboard tests: a snapshot file per test, pointed to by FORDELA_SNAPSHOT.

`FORDELA_TEST_SNAPSHOT=/path/to/current.duckdb` runs the data-independent tests (and the
published-figures test) against a real snapshot instead of the small fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dashboards.helpers import EXTERNAL_SNAPSHOT
from tests.dashboards.snapshot_fixture import build_snapshot


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The committed demo users file, whatever the developer's shell says.
    monkeypatch.delenv("FORDELA_USERS_FILE", raising=False)


@pytest.fixture
def fixture_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small snapshot of snapshot_fixture.py, whose totals the tests assert exactly."""
    path = build_snapshot(tmp_path / "serving" / "current.duckdb")
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(path))
    return path


@pytest.fixture
def any_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real published snapshot when FORDELA_TEST_SNAPSHOT is set, else the fixture."""
    if EXTERNAL_SNAPSHOT:
        path = Path(EXTERNAL_SNAPSHOT)
        assert path.exists(), f"FORDELA_TEST_SNAPSHOT={path} does not exist"
    else:
        path = build_snapshot(tmp_path / "serving" / "current.duckdb")
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(path))
    return path


@pytest.fixture
def missing_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "serving" / "current.duckdb"
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(path))
    return path
