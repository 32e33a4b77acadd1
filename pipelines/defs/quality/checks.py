"""Great Expectations suites as Dagster asset checks on the raw tables they guard."""

# No `from __future__ import annotations` here: Dagster inspects the real `context` annotation.


import dagster as dg
from dagster import AssetCheckExecutionContext

from expectations import CONTRACTS, Contract
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.quality import run_contract, store_outcomes

# Reference tables whose codes the suites check against: the check must run after them.
_REFERENCE = ["organisations", "cost_centres", "services", "accounts", "drivers", "plan_amounts"]


def _build_check(contract: Contract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", contract.table]),
        name=f"gx_{contract.name}",
        blocking=contract.severity == "blocking",
        additional_deps=[dg.AssetKey(["raw", t]) for t in _REFERENCE if t != contract.table],
        description=f"Great Expectations suite `expectations/{contract.name}.py` ({contract.severity}).",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            outcomes = run_contract(con, contract)
            store_outcomes(con, contract, outcomes, context.op_execution_context.run_id)
        failed = [o for o in outcomes if not o.passed]
        for outcome in failed:
            context.log.warning(outcome.describe())
        return dg.AssetCheckResult(
            passed=not failed,
            severity=dg.AssetCheckSeverity.ERROR if contract.severity == "blocking" else dg.AssetCheckSeverity.WARN,
            metadata={
                "expectations": len(outcomes),
                "failed": len(failed),
                "failures": dg.MetadataValue.md(
                    "\n".join(f"- {o.describe()}" for o in failed) or "none"
                ),
            },
        )

    return _check


gx_checks = [_build_check(contract) for contract in CONTRACTS]
