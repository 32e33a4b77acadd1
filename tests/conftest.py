"""Shared fixtures: one real pipeline run on a small demo city, reused by every test that needs it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

SMALL_SCALE = 0.1


@dataclass(frozen=True)
class PipelineRun:
    data_dir: Path
    success: bool
    snapshot: Path
    warehouse: Path


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    """Generate the demo city at a small scale and materialise the whole asset graph in-process."""
    import dagster as dg

    from pipelines.lib.demo import generate
    from pipelines.lib.settings import get_settings

    data_dir = tmp_path_factory.mktemp("fordela-data")
    previous = os.environ.get("FORDELA_DATA_DIR")
    os.environ["FORDELA_DATA_DIR"] = str(data_dir)
    try:
        settings = get_settings()
        generate(settings.landing_dir, seed=2017, scale=SMALL_SCALE)
        from pipelines.defs.automation import run_full_pipeline

        # Every month that has files, in one run with everything unpartitioned (as the CLI does).
        result = run_full_pipeline(dg.DagsterInstance.ephemeral(), raise_on_error=False)
        yield PipelineRun(
            data_dir=data_dir,
            success=result.success,
            snapshot=settings.current_snapshot,
            warehouse=settings.warehouse_path,
        )
    finally:
        if previous is None:
            os.environ.pop("FORDELA_DATA_DIR", None)
        else:
            os.environ["FORDELA_DATA_DIR"] = previous
