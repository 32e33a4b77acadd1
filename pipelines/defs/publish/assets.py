"""Publish: copy the marts into a new read-only snapshot and point `current.duckdb` at it."""

# No `from __future__ import annotations` here: Dagster inspects the real `context` annotation.

import dagster as dg
from dagster import AssetExecutionContext

from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.defs.transform.dbt import mart_keys
from pipelines.lib.publish import publish_snapshot


@dg.asset(
    key=dg.AssetKey(["serving", "current_snapshot"]),
    group_name="publish",
    kinds={"duckdb"},
    deps=mart_keys(),
    pool=WAREHOUSE_POOL,
    description=(
        "The published read-only snapshot `data/serving/current.duckdb` that the dashboards open. "
        "Runs only after every mart and every blocking check upstream succeeded."
    ),
)
def current_snapshot(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    settings = warehouse.settings()
    snapshot = publish_snapshot(
        settings.warehouse_path, settings.serving_dir, run_id=context.run_id
    )
    if snapshot.leftovers_removed:
        context.log.warning(
            "removed what a publish that never finished (its process is gone) left in "
            f"{settings.serving_dir}: {', '.join(snapshot.leftovers_removed)}"
        )
    context.log.info(f"published {snapshot.path.name} -> {snapshot.current}")
    return dg.MaterializeResult(
        metadata={
            "snapshot": str(snapshot.path),
            "tables": len(snapshot.tables),
            **{
                name: count
                for name, count in snapshot.tables.items()
                if name.startswith("marts.fct_")
            },
        }
    )
