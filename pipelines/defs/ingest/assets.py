"""Ingest assets: one per raw table, each loading its landed files into the warehouse.

Ledger and volumes are partitioned by month (a file `ledger_YYYY-MM.*` is partition `YYYY-MM`),
from the month `FORDELA_FIRST_MONTH` (settings) to the current month;
a backfill of many months runs as one run (single-run backfill policy). Every asset checks, in
the same step, that each file's rows add up (`rows_reconcile`) and that no landed file had to be
rejected (`files_accepted`); both checks are blocking, so dbt and the publish step do not run on
a load that lost rows or left a file out.
"""

# No `from __future__ import annotations` here: Dagster inspects the real `context` annotation.

import json
import warnings
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext

from expectations import CONTRACTS_BY_TABLE
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.lib.landing import TABLE_SPECS, TableLoad, TableSpec, load_table, row_reconciliation
from pipelines.lib.settings import get_settings

# Months that can hold ledger and volume files: from the setting FORDELA_FIRST_MONTH (a city's
# history starts where it starts) to the current month (end_offset=1, so a month delivered
# early can load).
MONTHLY_PARTITIONS = dg.MonthlyPartitionsDefinition(
    start_date=get_settings().first_month, fmt="%Y-%m", end_offset=1
)

ROWS_RECONCILE = "rows_reconcile"
FILES_ACCEPTED = "files_accepted"


def raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


def _markdown_list(items: list[str]) -> dg.MetadataValue:
    return dg.MetadataValue.md("\n".join(f"- {item}" for item in items) or "none")


def _metadata(load: TableLoad) -> dict[str, Any]:
    loaded = load.with_status("loaded", "superseding")
    return {
        "files_seen": len(load.files),
        "files_loaded": len(loaded),
        "files_superseding": len(load.with_status("superseding")),
        "files_unchanged": len(load.with_status("unchanged")),
        "files_rejected": len(load.rejected),
        "rows_read": sum(f.rows_read for f in loaded),
        "rows_staged": sum(f.rows_staged for f in loaded),
        "rows_quarantined": sum(f.rows_quarantined for f in loaded),
        "rows_active": load.rows_active,
        "quarantined_by_check": dg.MetadataValue.json(load.quarantined_by_check),
        "rejected_files": _markdown_list(
            [f"{f.relative_path}: {f.message}" for f in load.rejected]
        ),
        "rules_not_checked": _markdown_list(load.skipped_rules),
    }


def _build_ingest_asset(spec: TableSpec) -> dg.AssetsDefinition:
    key = raw_key(spec.table)
    contract = CONTRACTS_BY_TABLE[spec.table]
    partitioned = spec.partitioned

    @dg.asset(
        key=key,
        group_name="ingest",
        kinds={"duckdb", "csv"},
        pool=WAREHOUSE_POOL,
        # Registers the rows are validated against load first.
        deps=[raw_key(table) for table in contract.references],
        partitions_def=MONTHLY_PARTITIONS if partitioned else None,
        backfill_policy=dg.BackfillPolicy.single_run() if partitioned else None,
        check_specs=[
            dg.AssetCheckSpec(
                ROWS_RECONCILE,
                asset=key,
                blocking=True,
                description="For every active file: rows read = rows in raw + rows in ops.quarantine.",
            ),
            dg.AssetCheckSpec(
                FILES_ACCEPTED,
                asset=key,
                blocking=True,
                description=(
                    "No file of this table sits rejected in data/quarantine/ (see ops.file_errors "
                    "and the .reason.txt beside the file)."
                ),
            ),
        ],
        description=(
            f"Files `data/landing/{spec.kind}/{spec.pattern}` read (CSV dialects, XLSX"
            f"{', SIE 4' if '.se' in spec.suffixes else ''}), registered by content hash and "
            f"loaded with lineage into `landed.{spec.table}`; rows breaking the contract "
            f"`expectations/{spec.table}.py` go to `ops.quarantine`; `raw.{spec.table}` shows "
            "the accepted rows of the active versions."
        ),
    )
    def _ingest(
        context: AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        settings = warehouse.settings()
        periods = list(context.partition_keys) if partitioned else None
        valid = MONTHLY_PARTITIONS.get_partition_keys() if partitioned else None
        with warehouse.connect() as con:
            load = load_table(
                con,
                spec,
                settings.landing_dir,
                periods=periods,
                valid_periods=valid,
                quarantine_dir=settings.quarantine_dir,
            )
            mismatches = row_reconciliation(con, spec.table)
        for item in load.files:
            if item.status in ("loaded", "superseding"):
                context.log.info(
                    f"{item.relative_path}: {item.rows_read} rows read, {item.rows_staged} staged, "
                    f"{item.rows_quarantined} quarantined ({item.status})"
                )
            elif item.status == "unchanged" and item.message:
                context.log.warning(f"{item.relative_path}: {item.message}")
            for warning in item.warnings:
                context.log.warning(warning)
        for item in load.rejected:
            context.log.error(f"rejected, moved to {item.moved_to}: {item.message}")
        for skipped in load.skipped_rules:
            context.log.warning(f"rule not checked: {skipped}")
        if load.quarantined_by_check:
            context.log.warning(
                f"rows quarantined in this scope by check: {json.dumps(load.quarantined_by_check)}; "
                "see ops.quarantine"
            )
        return dg.MaterializeResult(
            metadata=_metadata(load),
            check_results=[
                dg.AssetCheckResult(
                    check_name=ROWS_RECONCILE,
                    passed=not mismatches,
                    severity=dg.AssetCheckSeverity.ERROR,
                    metadata={"mismatches": _markdown_list(mismatches)},
                ),
                dg.AssetCheckResult(
                    check_name=FILES_ACCEPTED,
                    passed=not load.open_errors,
                    severity=dg.AssetCheckSeverity.ERROR,
                    metadata={
                        "open_file_errors": len(load.open_errors),
                        "messages": _markdown_list(load.open_errors),
                    },
                ),
            ],
        )

    return _ingest


with warnings.catch_warnings():
    # `backfill_policy` is marked beta in Dagster 1.13; it is what makes a year's backfill one run.
    warnings.simplefilter("ignore", category=dg.BetaWarning)
    ingest_assets = [_build_ingest_asset(spec) for spec in TABLE_SPECS]
PARTITIONED_KEYS = [raw_key(spec.table) for spec in TABLE_SPECS if spec.partitioned]
