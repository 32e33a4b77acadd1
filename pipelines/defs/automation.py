"""What runs the pipeline without a person: the jobs, the landing-folder sensor, the nightly schedule.

Every run of `full_pipeline` covers a range of months (the monthly ledger and volume ingest runs
once for the whole range, single-run backfill policy) and everything unpartitioned once
(reference ingest, checks, dbt, publish). `pipeline_run_tags` computes the range from the files
in the landing folder; the CLI (`fordela pipeline`), the test fixture, the sensor and the
schedule all use it, so "materialise everything" means the same thing everywhere. Each of them
first recovers what a crashed run left (`pipelines.defs.recovery`): a run killed while it held
the warehouse pool's one slot would otherwise make every later run wait for ever.
"""

# No `from __future__ import annotations` here: Dagster inspects the real `context` annotation.

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import dagster as dg

from pipelines.defs.close.assets import CLOSE_GROUP
from pipelines.defs.ingest.assets import MONTHLY_PARTITIONS, PARTITIONED_KEYS
from pipelines.defs.recovery import recover_abandoned_runs
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.landing import (
    TABLE_SPECS,
    file_sha256,
    iter_landing_files,
    period_of,
    periods_with_files,
    spec_for,
    unrecognised_files,
)
from pipelines.lib.settings import get_settings

# The run tags Dagster reads to run partitioned assets over a range of partitions in one run.
ASSET_PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
ASSET_PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"

full_pipeline = dg.define_asset_job(
    "full_pipeline",
    # Everything but the month close, which only `fordela close / reopen / export` run.
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(CLOSE_GROUP),
    description=(
        "Land every input, check it, build and test the dbt project, publish. Runs for a range "
        "of months (tags dagster/asset_partition_range_start/end); see pipeline_run_tags."
    ),
)

monthly_ingest = dg.define_asset_job(
    "monthly_ingest",
    selection=dg.AssetSelection.assets(*PARTITIONED_KEYS),
    description="Only the monthly ledger and volume files (e.g. a backfill of one year).",
)


def partition_range_tags(periods: Iterable[str]) -> dict[str, str]:
    """Run tags that make one run cover the months from the first to the last of `periods`."""
    ordered = sorted(periods)
    return {ASSET_PARTITION_RANGE_START_TAG: ordered[0], ASSET_PARTITION_RANGE_END_TAG: ordered[-1]}


def _valid(periods: Iterable[str]) -> list[str]:
    keys = set(MONTHLY_PARTITIONS.get_partition_keys())
    return sorted(p for p in periods if p in keys)


def pipeline_run_tags(landing_dir: Path, periods: Iterable[str] | None = None) -> dict[str, str]:
    """Tags for a full-pipeline run over `periods` (default: every month that has files).

    With no period given (only reference files changed) the range is the last month that has
    files, which reloads nothing; with no monthly file at all, the latest month.
    """
    present = _valid(
        p for spec in TABLE_SPECS if spec.partitioned for p in periods_with_files(spec, landing_dir)
    )
    wanted = present if periods is None else _valid(periods)
    latest = MONTHLY_PARTITIONS.get_last_partition_key()
    if latest is None:
        raise ValueError(
            f"FORDELA_FIRST_MONTH={get_settings().first_month} is after the current month: there "
            "is no month to run; set it to the first month of the city's ledger"
        )
    return partition_range_tags(wanted or present[-1:] or [latest])


def _scan(
    landing_dir: Path, previous: dict[str, list[Any]]
) -> tuple[dict[str, list[Any]], list[tuple[str, str]]]:
    """(new cursor state, changed files as (relative path, sha256)). Hashes only what looks new."""
    state: dict[str, list[Any]] = {}
    changed: list[tuple[str, str]] = []
    seen = {entry[2] for entry in previous.values()}
    for _spec, path in iter_landing_files(landing_dir):
        relative = path.relative_to(landing_dir).as_posix()
        stat = path.stat()
        old = previous.get(relative)
        if old is not None and old[0] == stat.st_size and old[1] == stat.st_mtime_ns:
            state[relative] = old
            continue
        digest = file_sha256(path)
        state[relative] = [stat.st_size, stat.st_mtime_ns, digest]
        if digest not in seen:
            changed.append((relative, digest))
            seen.add(digest)
    return state, changed


@dg.sensor(
    job=full_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Watches data/landing/: a new or changed file (by content) requests a full-pipeline run "
        "over the months it affects (every month with files when a register changed). The same "
        "content again requests nothing."
    ),
)
def landing_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource
) -> dg.SensorResult:
    recover_abandoned_runs(
        context.instance, by="The sensor landing_sensor", report=context.log.warning
    )
    landing_dir = warehouse.settings().landing_dir
    previous: dict[str, list[Any]] = json.loads(context.cursor) if context.cursor else {}
    state, changed = _scan(landing_dir, previous)
    cursor = json.dumps(state, sort_keys=True)
    for path in unrecognised_files(landing_dir):
        context.log.warning(
            f"{path.relative_to(landing_dir).as_posix()}: no input contract matches this file name, "
            "so it is not loaded; see docs/input-formats.md for the names and formats"
        )
    if not changed:
        return dg.SensorResult(
            skip_reason="no new or changed files in data/landing/", cursor=cursor
        )
    periods: set[str] = set()
    registers_changed = False
    for relative, _digest in changed:
        path = landing_dir / relative
        spec = spec_for(path, landing_dir)
        if spec is not None and spec.partitioned:
            if period := period_of(spec, path):
                periods.add(period)
        else:
            registers_changed = True
    run_key = hashlib.sha256("".join(sorted(d for _, d in changed)).encode()).hexdigest()[:16]
    # A changed register (cost centres, accounts, ...) can release or quarantine rows of any
    # month, so every month with files is re-validated; otherwise only the months that changed.
    tags = pipeline_run_tags(landing_dir, None if registers_changed else periods)
    context.log.info(f"{len(changed)} new or changed file(s): {', '.join(r for r, _ in changed)}")
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"landing-{run_key}", tags=tags)], cursor=cursor
    )


@dg.schedule(
    job=full_pipeline,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Stockholm",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00: the whole pipeline over every month that has files.",
)
def nightly_pipeline(
    context: dg.ScheduleEvaluationContext, warehouse: WarehouseResource
) -> dg.RunRequest:
    recover_abandoned_runs(
        context.instance, by="The schedule nightly_pipeline", report=context.log.warning
    )
    return dg.RunRequest(tags=pipeline_run_tags(warehouse.settings().landing_dir))


schedules = [nightly_pipeline]
sensors = [landing_sensor]
jobs = [full_pipeline, monthly_ingest]
