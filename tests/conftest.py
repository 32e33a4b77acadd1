"""Shared fixtures: one real pipeline run on a small demo city, reused by every test that needs it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

SMALL_SCALE = 0.1


@pytest.fixture(autouse=True)
def _no_stale_dagster_instance() -> Iterator[None]:
    """Each test starts with no current Dagster definitions-state storage.

    Entering a `DagsterInstance` makes its state storage current through a context variable
    (dagster 1.13), reset when the instance exits. On a worker of `pytest -n 2` one test left a
    storage current whose instance was later garbage-collected; the next `dg.materialize` then
    failed with "Attempted to resolve undefined DagsterInstance weakref" (CI, stop 17). A test's
    Dagster state is its own: it starts from none and whatever it leaves is put back after it.
    """
    from dagster._core.storage.defs_state.base import set_defs_state_storage

    with set_defs_state_storage(None):
        yield


@dataclass(frozen=True)
class PipelineRun:
    data_dir: Path
    success: bool
    snapshot: Path
    warehouse: Path


@contextmanager
def demo_pipeline_run(
    data_dir: Path, *, city: str = "goteborg", scale: float = SMALL_SCALE
) -> Iterator[PipelineRun]:
    """Generate a demo city into `data_dir` and materialise the whole asset graph in-process;
    FORDELA_DATA_DIR (and FORDELA_USERS_FILE, for the city's users) point there meanwhile."""
    import dagster as dg

    from pipelines.lib.demo import generate
    from pipelines.lib.demo.users import write_demo_users
    from pipelines.lib.settings import get_settings

    saved = {key: os.environ.get(key) for key in ("FORDELA_DATA_DIR", "FORDELA_USERS_FILE")}
    os.environ["FORDELA_DATA_DIR"] = str(data_dir)
    os.environ["FORDELA_USERS_FILE"] = str(data_dir / "users.toml")
    try:
        settings = get_settings()
        generate(settings.landing_dir, city=city, seed=2017, scale=scale)
        write_demo_users(settings.users_file, city=city)
        from pipelines.runs import run_full_pipeline

        # Every month that has files, in one run with everything unpartitioned (as the CLI does).
        result = run_full_pipeline(dg.DagsterInstance.ephemeral(), raise_on_error=False)
        yield PipelineRun(
            data_dir=data_dir,
            success=result.success,
            snapshot=settings.current_snapshot,
            warehouse=settings.warehouse_path,
        )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    """Generate the demo city at a small scale and materialise the whole asset graph in-process."""
    with demo_pipeline_run(tmp_path_factory.mktemp("fordela-data")) as run:
        yield run


@pytest.fixture(scope="session")
def sjobacka_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    """The second demo city, Sjöbacka kommun, generated and materialised once per session
    (its end-to-end, dashboard and consistency tests share it)."""
    with demo_pipeline_run(tmp_path_factory.mktemp("sjobacka-data"), city="sjobacka") as run:
        yield run


# Under `pytest -n 2 --dist loadgroup` (the README's test command), the tests that share a
# session's pipeline run go to one worker, so that each demo city is run once, not once per
# worker; the other slow tests go to one worker per module, so that a module's own city (its
# module-scoped fixture) is built once.
SHARED_RUNS = {"pipeline_run": "goteborg-run", "sjobacka_run": "sjobacka-run"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        group = next((g for f, g in SHARED_RUNS.items() if f in fixtures), None)
        if group is None and item.get_closest_marker("slow") is not None:
            group = item.nodeid.split("::", 1)[0]
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
