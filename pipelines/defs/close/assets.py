"""The month close in Dagster: the close record (four ops tables) and the internal-invoice export.

Two jobs run them (`fordela close / reopen / export` launch them; so can the UI, with the config
below): `close_month` records a close or reopen, rebuilds what reads the close tables (the
restatements, the charges as booked, budget versus outcome), writes or sets aside the month's
export and publishes; `export_month` writes the export of a closed month again. Both are in the
`warehouse` pool like every writer. The close record reads the marts of the last build (it
freezes `marts.fct_charge`) without depending on them in the graph: they depend on it (dbt reads
the close tables as sources), and the close refuses to run on marts older than the last run.
"""

# No `from __future__ import annotations` here: Dagster inspects the real `context` annotation.

from typing import Literal

import dagster as dg
from dagster import AssetExecutionContext

from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.lib.close.export import set_aside_export, write_export
from pipelines.lib.close.state import (
    CLOSE_TABLES,
    CloseError,
    LatestRun,
    current_close_id,
    ensure_close_tables,
    month_text,
    parse_month,
    record_close,
    record_export,
    record_reopen,
)

CLOSE_GROUP = "close"
CLOSE_KEYS = [dg.AssetKey(["ops", table]) for table in CLOSE_TABLES]
EXPORT_KEY = dg.AssetKey(["exports", "internal_invoices"])
# Run tags that show a close in the Dagster UI (and which month and action it was).
MONTH_TAG = "fordela/close_month"
ACTION_TAG = "fordela/action"
BY_TAG = "fordela/by"


class CloseMonthConfig(dg.Config):
    """What to do: `close` or `reopen` a month (`YYYY-MM`), or `export` a closed month again."""

    month: str
    action: Literal["close", "reopen", "export"] = "close"
    by: str
    reason: str = ""


def latest_pipeline_run(instance: dg.DagsterInstance) -> LatestRun | None:
    """The newest `full_pipeline` run this Dagster instance knows, if any."""
    runs = instance.get_runs(filters=dg.RunsFilter(job_name="full_pipeline"), limit=1)
    if not runs:
        return None
    return LatestRun(runs[0].run_id, runs[0].status.value)


def _refused(error: CloseError) -> dg.Failure:
    return dg.Failure(
        description=str(error),
        metadata={"refused": dg.MetadataValue.md("\n".join(f"- {r}" for r in error.reasons))},
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            group_name=CLOSE_GROUP,
            kinds={"duckdb"},
            description=f"`ops.{key.path[-1]}`: written only by the month close (docs/input-formats.md).",
        )
        for key in CLOSE_KEYS
    ],
    pool=WAREHOUSE_POOL,
    name="period_close",
    description=(
        "Close or reopen a month of the outcome: records who and when in ops.period_closes; a "
        "close freezes the month's charges as booked (marts.fct_charge -> ops.closed_charges), "
        "the price settlement to date and the inputs (file hashes) it was computed from. "
        "Refused, naming what blocks it, on red checks, open rejected files, a month without "
        "outcome, a month already closed or an earlier open month."
    ),
)
def period_close(
    context: AssetExecutionContext, config: CloseMonthConfig, warehouse: WarehouseResource
):
    try:
        month = parse_month(config.month)
        with warehouse.connect() as con:
            ensure_close_tables(con)
            if config.action == "close":
                close_id = record_close(
                    con, month, config.by, context.run_id, latest_pipeline_run(context.instance)
                )
                frozen = con.execute(
                    "select count(*), coalesce(sum(amount_sek), 0) from ops.closed_charges "
                    "where close_id = ?",
                    [close_id],
                ).fetchone()
            elif config.action == "reopen":
                close_id = record_reopen(con, month, config.by, config.reason, context.run_id)
                frozen = (0, 0)
            else:
                raise CloseError(
                    config.action,
                    config.month,
                    [
                        "the close_month job closes or reopens; export a closed month with export_month"
                    ],
                )
    except CloseError as error:
        context.log.error(str(error))
        raise _refused(error) from None
    context.log.info(f"{config.action} {month_text(month)} by {config.by}: close {close_id}")
    rows, amount = frozen if frozen else (0, 0)
    for key in CLOSE_KEYS:
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "month": month_text(month),
                "action": config.action,
                "by": config.by,
                "close_id": close_id,
                "rows_frozen": int(rows),
                "amount_frozen_sek": str(amount),
            },
        )


@dg.asset(
    key=EXPORT_KEY,
    group_name=CLOSE_GROUP,
    kinds={"sie", "csv", "xlsx"},
    deps=[dg.AssetKey(["ops", "closed_charges"]), dg.AssetKey(["marts", "fct_invoice_line"])],
    pool=WAREHOUSE_POOL,
    description=(
        "The internal invoices of a closed month under data/exports/YYYY-MM/: "
        "internfakturering_YYYY-MM.si (SIE 4I, codepage 437, one voucher per consuming "
        "organisation, restatements as vouchers of their own) and fakturaunderlag/<org>.csv "
        "and .xlsx; recorded in ops.period_closes. At a reopen the month's files are set aside."
    ),
)
def internal_invoice_export(
    context: AssetExecutionContext, config: CloseMonthConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    month = parse_month(config.month)
    settings = warehouse.settings()
    with warehouse.connect() as con:
        if config.action == "reopen":
            reopened = con.execute(
                "select close_id from ops.period_closes where period_month = ? and action = 'reopen' "
                "order by acted_at desc limit 1",
                [month],
            ).fetchone()
            moved = set_aside_export(settings.exports_dir, month, reopened[0]) if reopened else None
            context.log.info(f"export of {month_text(month)} set aside: {moved}")
            return dg.MaterializeResult(
                metadata={"month": month_text(month), "set_aside_to": str(moved)}
            )
        close_id = current_close_id(con, month)
        if close_id is None:
            raise _refused(CloseError("export", config.month, [f"{config.month} is not closed"]))
        export = write_export(con, month, close_id, settings.exports_dir, settings.invoice_series)
        relative = [p.relative_to(settings.data_dir).as_posix() for p in export.files]
        record_export(con, month, config.by, context.run_id, relative)
    context.log.info(
        f"exported {month_text(month)}: {export.vouchers} vouchers -> {export.directory}"
    )
    return dg.MaterializeResult(
        metadata={
            "month": month_text(month),
            "close_id": close_id,
            "vouchers": export.vouchers,
            "debit_total_sek": str(export.debit_total_sek),
            "sie_file": str(export.sie),
            "files": len(export.files),
        }
    )


close_month = dg.define_asset_job(
    "close_month",
    selection=dg.AssetSelection.assets(*CLOSE_KEYS).downstream(),
    description=(
        "Close or reopen a month (config: month, action close/reopen, by, reason): the close "
        "record, then the dbt models that read it (restatements, charges as booked, budget "
        "versus outcome), the export and the publish. Run tags fordela/close_month and "
        "fordela/action say which."
    ),
)

export_month = dg.define_asset_job(
    "export_month",
    selection=dg.AssetSelection.assets(EXPORT_KEY),
    description="Write the internal-invoice export of a closed month again (config: month, by).",
)

close_assets = [period_close, internal_invoice_export]
close_jobs = [close_month, export_month]


def close_run_config(month: str, action: str, by: str, reason: str = "") -> dict[str, object]:
    """Run config of `close_month` / `export_month`: the same settings for both steps."""
    config = {"config": {"month": month, "action": action, "by": by, "reason": reason}}
    return {"ops": {period_close.op.name: config, internal_invoice_export.op.name: config}}
