"""The one Dagster Definitions object of fordela: ingest -> dbt -> checks -> publish."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.defs.ingest.assets import ingest_assets
from pipelines.defs.publish.assets import current_snapshot
from pipelines.defs.quality.checks import gx_checks
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.transform.dbt import dbt_executable, dbt_project, fordela_dbt_assets

full_pipeline = dg.define_asset_job(
    "full_pipeline",
    selection=dg.AssetSelection.all(),
    description="Land every input, build and test the dbt project, run the checks, publish.",
)

defs = dg.Definitions(
    assets=[*ingest_assets, fordela_dbt_assets, current_snapshot],
    asset_checks=gx_checks,
    jobs=[full_pipeline],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
    },
)
