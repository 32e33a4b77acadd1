"""The one Dagster Definitions object of fordela: ingest -> dbt -> checks -> publish, and the month close."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.defs.automation import full_pipeline, jobs, schedules, sensors
from pipelines.defs.close.assets import close_assets, close_jobs
from pipelines.defs.ingest.assets import ingest_assets
from pipelines.defs.publish.assets import current_snapshot
from pipelines.defs.quality.checks import delivery_checks, gx_checks
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.transform.dbt import dbt_executable, dbt_project, fordela_dbt_assets

__all__ = ["defs", "full_pipeline"]

defs = dg.Definitions(
    assets=[*ingest_assets, fordela_dbt_assets, current_snapshot, *close_assets],
    asset_checks=[*gx_checks, *delivery_checks],
    jobs=[*jobs, *close_jobs],
    schedules=schedules,
    sensors=sensors,
    resources={
        "warehouse": WarehouseResource(),
        # The dbt beside this Python, so `.venv/bin/fordela` works without the venv on PATH.
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
    },
)
