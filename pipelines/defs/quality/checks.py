"""Great Expectations suites as Dagster asset checks on the raw tables they guard.

One check `gx_<table>` per contract in `expectations/`. It fails with severity ERROR when a
`quarantine` or `blocking` rule fails on `raw.<table>` (which the loader should have prevented:
nothing downstream runs), and with severity WARN when only `warning` rules fail (the rows flow
on, e.g. unknown activity codes that end in the unallocated pool). Every expectation's result
is stored in `ops.check_results`. Files validated before, with the same rows and the same suite,
are not validated again: their stored outcomes count (see `run_contract`).
"""

# No `from __future__ import annotations` here: Dagster inspects the real `context` annotation.

import dagster as dg
from dagster import AssetCheckExecutionContext

from expectations import CONTRACTS, Contract
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.lib.landing import configured_open_years
from pipelines.lib.quality import run_contract, store_outcomes


def _build_check(contract: Contract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", contract.table]),
        name=f"gx_{contract.name}",
        blocking=contract.severity == "blocking",
        additional_deps=[dg.AssetKey(["raw", t]) for t in contract.references],
        pool=WAREHOUSE_POOL,
        description=(
            f"Great Expectations suite `expectations/{contract.name}.py` on raw.{contract.table}: "
            "errors block everything downstream, warnings are reported."
        ),
    )
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            run = run_contract(con, contract, configured_open_years(), run_id=context.run.run_id)
            outcomes = run.outcomes
            store_outcomes(con, contract, outcomes, context.run.run_id)
        if run.batches_reused:
            context.log.info(
                f"{run.batches_validated} batch(es) of files validated, {run.batches_reused} "
                "unchanged since an earlier validation and counted from it"
            )
        failed = [o for o in outcomes if not o.passed]
        errors = [o for o in failed if o.severity == "blocking"]
        for outcome in failed:
            (context.log.error if outcome in errors else context.log.warning)(outcome.describe())
        return dg.AssetCheckResult(
            passed=not failed,
            severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
            metadata={
                "expectations": len(outcomes),
                "batches_validated": run.batches_validated,
                "batches_reused": run.batches_reused,
                "failed_blocking": len(errors),
                "failed_warning": len(failed) - len(errors),
                "failures": dg.MetadataValue.md(
                    "\n".join(f"- {o.describe()}" for o in failed) or "none"
                ),
            },
        )

    return _check


gx_checks = [_build_check(contract) for contract in CONTRACTS]
