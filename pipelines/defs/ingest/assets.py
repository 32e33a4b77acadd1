"""Ingest assets: one per raw table, each loading its landed files into the warehouse."""

# No `from __future__ import annotations` here: Dagster inspects the real `context` annotation.


import dagster as dg
from dagster import AssetExecutionContext

from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.lib.landing import TABLE_SPECS, TableSpec, load_table, table_row_count


def _build_ingest_asset(spec: TableSpec) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["raw", spec.table]),
        group_name="ingest",
        kinds={"duckdb", "csv"},
        pool=WAREHOUSE_POOL,
        description=(
            f"Files `data/landing/{spec.kind}/{spec.pattern}` registered by content hash and "
            f"loaded with lineage into `landed.{spec.table}`; `raw.{spec.table}` shows the "
            "active versions."
        ),
    )
    def _ingest(context: AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        landing_dir = warehouse.settings().landing_dir
        with warehouse.connect() as con:
            loads = load_table(con, spec, landing_dir)
            rows_active = table_row_count(con, spec.table)
        loaded = [item for item in loads if item.status != "unchanged"]
        for item in loaded:
            context.log.info(f"{item.relative_path}: {item.rows_read} rows ({item.status})")
        return dg.MaterializeResult(
            metadata={
                "files_seen": len(loads),
                "files_loaded": len(loaded),
                "rows_loaded": sum(item.rows_read for item in loaded),
                "rows_active": rows_active,
            }
        )

    return _ingest


ingest_assets = [_build_ingest_asset(spec) for spec in TABLE_SPECS]
