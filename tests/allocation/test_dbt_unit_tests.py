"""The dbt unit tests (hand-computed cases for every allocation method, the variance
decomposition, the price settlement, ...) run here, in CI, against the warehouse of the session's
pipeline run; production builds leave them out (`--exclude-resource-type unit_test`)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from pipelines.defs.transform.dbt import dbt_executable
from pipelines.lib.settings import DBT_PROJECT_DIR
from tests.conftest import PipelineRun


def test_every_dbt_unit_test_passes(pipeline_run: PipelineRun, tmp_path: Path) -> None:
    assert pipeline_run.success
    target = tmp_path / "target"
    completed = subprocess.run(
        [
            dbt_executable(),
            "test",
            "--select",
            "test_type:unit",
            "--target-path",
            str(target),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        env={**os.environ, "FORDELA_WAREHOUSE": str(pipeline_run.warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    results = json.loads((target / "run_results.json").read_text())["results"]
    manifest = json.loads((target / "manifest.json").read_text())
    declared = set(manifest["unit_tests"])
    ran = {r["unique_id"]: r["status"] for r in results}
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert declared and set(ran) == declared
    assert all(status == "pass" for status in ran.values()), ran
