"""Running fordela's jobs in-process, as the CLI (`fordela pipeline`, `fordela close`, ...) and
the tests do, and what a failed run says first.

These need the one `Definitions` object, so they live outside `pipelines.defs` (whose modules
`pipelines.definitions` imports): nothing under `pipelines/defs/` imports the definitions back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dagster as dg

from pipelines.definitions import defs
from pipelines.defs.automation import pipeline_run_tags
from pipelines.defs.close.assets import (
    ACTION_TAG,
    BY_TAG,
    MONTH_TAG,
    close_run_config,
    internal_invoice_export,
)
from pipelines.defs.quality.checks import FIRST_LINES
from pipelines.defs.recovery import recovering
from pipelines.lib.cascade import QUARANTINE_CHECK_NAME
from pipelines.lib.configuration import CONFIG_CHECK_NAME
from pipelines.lib.settings import get_settings


def run_full_pipeline(
    instance: dg.DagsterInstance,
    *,
    raise_on_error: bool = False,
    run_config: dict[str, Any] | None = None,
    report: Callable[[str], None] | None = None,
) -> dg.ExecuteInProcessResult:
    """Materialise everything in-process, as `fordela pipeline` and the test fixture do.

    Runs that crashed are recovered first and while this one runs (it may wait for the pool
    behind one that dies meanwhile); `report` gets a line for each.
    """
    settings = get_settings()
    with recovering(
        instance,
        by="`fordela pipeline`",
        interval=settings.recovery_interval_seconds,
        report=report,
    ):
        tags = pipeline_run_tags(settings.landing_dir)
        return defs.resolve_job_def("full_pipeline").execute_in_process(
            instance=instance, tags=tags, raise_on_error=raise_on_error, run_config=run_config
        )


def failure_lines(result: dg.ExecuteInProcessResult, limit: int = 20) -> list[str]:
    """What a failed run says first: the root cause of a quarantine cascade, then configuration
    findings, then every other failed blocking check (its messages), most telling first."""
    order = {QUARANTINE_CHECK_NAME: 0, CONFIG_CHECK_NAME: 1}
    failed = [
        e
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ]
    failed.sort(
        key=lambda e: (order.get(e.check_name, 2), e.asset_key.to_user_string(), e.check_name)
    )
    lines: list[str] = []
    for evaluation in failed:
        metadata = evaluation.metadata
        first = metadata.get(FIRST_LINES)
        if first is not None and isinstance(first.value, list) and first.value:
            lines += [str(line) for line in first.value]
            continue
        lines.append(
            f"{evaluation.asset_key.to_user_string()}: check {evaluation.check_name} failed"
        )
        for key in ("messages", "failures", "mismatches"):
            text = metadata.get(key)
            if text is not None and isinstance(text.value, str) and text.value != "none":
                lines += [f"  {line.removeprefix('- ')}" for line in text.value.splitlines()[:5]]
    return lines[:limit]


# --------------------------------------------------------------------------------------------
# Sensor and schedule
# --------------------------------------------------------------------------------------------


def run_close_job(
    instance: dg.DagsterInstance, month: str, action: str, by: str, reason: str = ""
) -> tuple[bool, str]:
    """Run `close_month` (close, reopen) or `export_month` (export) in-process, as the CLI does.

    Returns (success, message): the refusal or failure a person can act on, else a summary.
    """
    job_name = "export_month" if action == "export" else "close_month"
    job = defs.resolve_job_def(job_name)
    run_config: dict[str, Any] = close_run_config(month, action, by, reason)
    if job_name == "export_month":
        export_op = internal_invoice_export.op.name
        run_config = {"ops": {export_op: run_config["ops"][export_op]}}
    # As `fordela pipeline`: the steps' own log lines, not every Dagster event.
    run_config["loggers"] = {"console": {"config": {"log_level": "INFO"}}}
    result = job.execute_in_process(
        instance=instance,
        run_config=run_config,
        tags={MONTH_TAG: month, ACTION_TAG: action, BY_TAG: by},
        raise_on_error=False,
    )
    if result.success:
        return True, f"{action} {month}: done (run {result.run_id})"
    messages = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data is not None:
            failure = event.step_failure_data
            user = failure.user_failure_data
            if user is not None and user.description:
                messages.append(user.description)
            elif failure.error is not None:
                messages.append(f"{event.step_key}: {failure.error.message.strip()}")
    return False, "\n".join(messages) or f"{action} {month} failed (run {result.run_id})"
