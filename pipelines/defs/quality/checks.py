"""Great Expectations suites as Dagster asset checks on the raw tables they guard, and the checks
on the delivery as a whole (configuration_allocatable, quarantine_within_limit).

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
from expectations.configuration import CHECKS as CONFIG_CHECKS
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.lib.cascade import QUARANTINE_CHECK_NAME, quarantine_report, store_quarantine_report
from pipelines.lib.configuration import CONFIG_CHECK_NAME, run_configuration_checks, store_findings
from pipelines.lib.landing import TABLE_SPECS, configured_open_years
from pipelines.lib.quality import run_contract, store_outcomes

# Metadata entry with a failed check's messages, most important first (the CLI prints them).
FIRST_LINES = "first_lines"


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
    def _check(
        context: AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> dg.AssetCheckResult:
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


# --------------------------------------------------------------------------------------------
# Checks on the delivery as a whole, after every raw table has loaded and before dbt runs
# --------------------------------------------------------------------------------------------

# Both checks are attached to raw/ledger and wait for every other raw table. Blocking checks
# are waited for by everything downstream of their asset; no raw table is validated against
# the ledger, so only dbt (and publish) wait for them, and they see the whole delivery. (Two
# such checks on different raw tables would wait for each other: a cycle.)
DELIVERY_ASSET = dg.AssetKey(["raw", "ledger"])
_OTHER_RAW_TABLES = [
    dg.AssetKey(["raw", spec.table]) for spec in TABLE_SPECS if spec.table != "ledger"
]


def _markdown(lines: list[str], limit: int = 50) -> dg.MetadataValue:
    shown = [f"- {line}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"- ... and {len(lines) - limit} more (ops.check_results)")
    return dg.MetadataValue.md("\n".join(shown) or "none")


@dg.asset_check(
    asset=DELIVERY_ASSET,
    name=CONFIG_CHECK_NAME,
    blocking=True,
    additional_deps=_OTHER_RAW_TABLES,
    pool=WAREHOUSE_POOL,
    description=(
        "Configuration checks (`expectations/configuration.py`) on the plan and register tables: "
        "a configuration the engine could not allocate (a plan line without a rule, a key set "
        "not summing to 1, a step-down pool giving back, ...) is refused before dbt runs. "
        "Findings in ops.check_results (source config)."
    ),
)
def configuration_allocatable(
    context: AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        findings = run_configuration_checks(con)
        store_findings(con, findings, context.run.run_id)
    messages = [f"{f.message} ({f.check_name})" for f in findings]
    for message in messages:
        context.log.error(message)
    return dg.AssetCheckResult(
        passed=not findings,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "checks": len(CONFIG_CHECKS),
            "findings": len(findings),
            "failed_checks": dg.MetadataValue.json(sorted({f.check_name for f in findings})),
            "messages": _markdown(messages),
            FIRST_LINES: dg.MetadataValue.json(messages[:20]),
        },
    )


@dg.asset_check(
    asset=DELIVERY_ASSET,
    name=QUARANTINE_CHECK_NAME,
    blocking=True,
    additional_deps=_OTHER_RAW_TABLES,
    pool=WAREHOUSE_POOL,
    description=(
        "Quarantine may take at most FORDELA_QUARANTINE_FAIL_SHARE (default 0.5) of a file's or "
        "a register's rows; over it, the run is red and the message names the root cause (the "
        "register rows and the rule that started the cascade), then the counts per table."
    ),
)
def quarantine_within_limit(
    context: AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    limit = warehouse.settings().quarantine_fail_share
    with warehouse.connect() as con:
        report = quarantine_report(con, limit)
        store_quarantine_report(con, report, context.run.run_id)
    lines = report.lines()
    for line in lines:
        context.log.error(line)
    return dg.AssetCheckResult(
        passed=report.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "limit": limit,
            "over_the_limit": len(report.losses),
            "messages": _markdown(lines),
            FIRST_LINES: dg.MetadataValue.json(lines[:20]),
        },
    )


delivery_checks = [configuration_allocatable, quarantine_within_limit]
