"""The ingest assets in Dagster: a year's backfill in one run, the sensor, the schedule, the checks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.automation import (
    landing_sensor,
    monthly_ingest,
    nightly_pipeline,
    partition_range_tags,
    pipeline_run_tags,
)
from pipelines.defs.ingest.assets import MONTHLY_PARTITIONS, ingest_assets
from pipelines.defs.quality.checks import gx_checks
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.settings import get_settings

from .conftest import INGEST_INPUTS, REFERENCE_FILES, write_files

LEDGER_HEADER = (
    "voucher_series,voucher_number,voucher_date,period,account,cost_centre_code,activity_code,"
    "project_code,counterparty,amount_sek,text\n"
)


def _month(period: str, vouchers: int) -> str:
    rows = []
    for number in range(1, vouchers + 1):
        day = f"{period}-{number % 28 + 1:02d}"
        amount = f"{number * 100}.50"
        rows.append(
            f"A,{number},{day},{period},5460,I060-9001,IT-ARB,,Atea,{amount},Licenser åäö\n"
        )
        rows.append(f"A,{number},{day},{period},2440,,,,Atea,-{amount},Leverantörsskuld\n")
    return LEDGER_HEADER + "".join(rows)


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    write_files(tmp_path / "landing", REFERENCE_FILES)
    return tmp_path


def _warehouse(data_dir: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)


def _materialize(
    tags: dict[str, str] | None = None, table: str = "ledger", checks: bool = False
) -> dg.ExecuteInProcessResult:
    """Materialise raw/<table> and the registers it is validated against (with their checks)."""
    return dg.materialize(
        [*ingest_assets, *(gx_checks if checks else [])],
        selection=dg.AssetSelection.assets(dg.AssetKey(["raw", table])).upstream(),
        resources={"warehouse": WarehouseResource()},
        tags=tags,
        raise_on_error=False,
    )


def _evaluate_sensor(cursor: str | None, instance: dg.DagsterInstance) -> dg.SensorResult:
    """One evaluation of the landing sensor, its context closed afterwards."""
    with dg.build_sensor_context(
        cursor=cursor, resources={"warehouse": WarehouseResource()}, instance=instance
    ) as context:
        result = landing_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def _check(result: dg.ExecuteInProcessResult, asset: str, name: str) -> dg.AssetCheckEvaluation:
    evaluations = [
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == name and e.asset_key == dg.AssetKey(["raw", asset])
    ]
    assert evaluations, f"no evaluation of {asset}:{name}"
    return evaluations[-1]


def test_ledger_and_volumes_are_monthly_with_single_run_backfills() -> None:
    by_key = {a.key.to_user_string(): a for a in ingest_assets}
    for table in ("ledger", "volumes"):
        asset = by_key[f"raw/{table}"]
        assert asset.partitions_def == MONTHLY_PARTITIONS
        assert asset.backfill_policy == dg.BackfillPolicy.single_run()
    # From the setting FORDELA_FIRST_MONTH (default 2000-01), not from any city's first year.
    assert MONTHLY_PARTITIONS.get_first_partition_key() == get_settings().first_month
    assert by_key["raw/organisations"].partitions_def is None


def test_the_first_month_is_a_setting() -> None:
    import subprocess
    import sys

    script = (
        "from pipelines.defs.ingest.assets import MONTHLY_PARTITIONS as p; "
        "print(p.get_first_partition_key())"
    )
    env = {**os.environ, "FORDELA_FIRST_MONTH": "2011-07"}
    shown = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "2011-07"
    env = {**os.environ, "FORDELA_FIRST_MONTH": "jan 2031"}
    failed = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert failed.returncode != 0
    assert "FORDELA_FIRST_MONTH='jan 2031' is not a month; write it as YYYY-MM" in failed.stderr


def test_a_year_backfills_in_one_run(data_dir: Path) -> None:
    months = [f"2017-{m:02d}" for m in range(1, 13)]
    for index, month in enumerate(months):
        (data_dir / "landing/ledger").mkdir(parents=True, exist_ok=True)
        (data_dir / f"landing/ledger/ledger_{month}.csv").write_text(
            _month(month, index + 1), encoding="utf-8"
        )
    # A month outside the backfill is left for another run.
    (data_dir / "landing/ledger/ledger_2016-12.csv").write_text(
        _month("2016-12", 3), encoding="utf-8"
    )

    result = _materialize(partition_range_tags(months))
    assert result.success
    materialized = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey(["raw", "ledger"])
    ]
    # One run (this one) materialised all twelve partitions.
    assert sorted(e.partition for e in materialized) == months
    with _warehouse(data_dir) as con:
        counts = dict(con.execute("select period, count(*) from raw.ledger group by 1").fetchall())
        files = con.execute(
            "select partition_key, rows_read, rows_staged, rows_quarantined from ops.landed_files "
            "where table_name = 'ledger' order by 1"
        ).fetchall()
    assert counts == {month: 2 * (index + 1) for index, month in enumerate(months)}
    assert files == [(month, 2 * (i + 1), 2 * (i + 1), 0) for i, month in enumerate(months)]


def test_pipeline_run_tags_cover_every_month_with_files(data_dir: Path) -> None:
    landing = data_dir / "landing"
    (landing / "volumes").mkdir(exist_ok=True)
    for name in ("volumes_2016-02.csv", "volumes_2017-11.xlsx"):
        (landing / "volumes" / name).write_text("x")
    assert pipeline_run_tags(landing) == {
        "dagster/asset_partition_range_start": "2016-02",
        "dagster/asset_partition_range_end": "2017-11",
    }
    assert pipeline_run_tags(landing, ["2017-03"])["dagster/asset_partition_range_end"] == "2017-03"
    # Only reference data changed: the last month with files, which reloads nothing.
    assert pipeline_run_tags(landing, [])["dagster/asset_partition_range_start"] == "2017-11"
    # A month before the first partition is not a partition: the run covers the others and
    # the ingest rejects that file, naming the setting.
    (landing / "volumes" / "volumes_1999-12.csv").write_text("x")
    assert pipeline_run_tags(landing)["dagster/asset_partition_range_start"] == (
        "2016-02" if get_settings().first_month > "1999-12" else "1999-12"
    )


def test_pipeline_run_tags_without_monthly_files_run_the_latest_month(data_dir: Path) -> None:
    tags = pipeline_run_tags(data_dir / "landing")
    latest = MONTHLY_PARTITIONS.get_last_partition_key()
    assert tags == {
        "dagster/asset_partition_range_start": latest,
        "dagster/asset_partition_range_end": latest,
    }


def test_sensor_requests_a_run_for_new_files_and_nothing_for_the_same_content(
    data_dir: Path,
) -> None:
    landing = data_dir / "landing"
    instance = dg.DagsterInstance.ephemeral()
    (landing / "ledger").mkdir(exist_ok=True)
    (landing / "ledger/ledger_2017-03.csv").write_text(_month("2017-03", 2), encoding="utf-8")

    first = _evaluate_sensor(None, instance)
    [request] = first.run_requests
    assert request.tags["dagster/asset_partition_range_start"] == "2017-03"
    assert request.tags["dagster/asset_partition_range_end"] == "2017-03"

    again = _evaluate_sensor(first.cursor, instance)
    assert not again.run_requests and again.skip_reason is not None

    # Touched but unchanged, or the same content under another name: still nothing to do.
    path = landing / "ledger/ledger_2017-03.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000_000))
    (landing / "ledger/ledger_2017-03_copy.csv").write_bytes(path.read_bytes())
    touched = _evaluate_sensor(again.cursor, instance)
    assert not touched.run_requests

    # A new month asks for that month (and everything downstream) only.
    (landing / "ledger/ledger_2017-04.csv").write_text(_month("2017-04", 1), encoding="utf-8")
    new = _evaluate_sensor(touched.cursor, instance)
    [request] = new.run_requests
    assert (
        request.tags["dagster/asset_partition_range_start"],
        request.tags["dagster/asset_partition_range_end"],
    ) == ("2017-04", "2017-04")
    assert request.run_key != first.run_requests[0].run_key
    assert set(json.loads(new.cursor)) >= {"ledger/ledger_2017-03.csv", "ledger/ledger_2017-04.csv"}

    # A changed register re-validates every month that has files.
    accounts = landing / "ledger/accounts.csv"
    accounts.write_text(
        accounts.read_text(encoding="utf-8") + "2017,5465,Licenser SaaS,cost\n", encoding="utf-8"
    )
    register = _evaluate_sensor(new.cursor, instance)
    [request] = register.run_requests
    assert (
        request.tags["dagster/asset_partition_range_start"],
        request.tags["dagster/asset_partition_range_end"],
    ) == ("2017-03", "2017-04")


def test_nightly_schedule_runs_the_whole_pipeline(data_dir: Path) -> None:
    # (That sensor and schedule are registered in the Definitions: tests/pipeline/test_definitions.py.)
    schedule = nightly_pipeline
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/Stockholm"
    assert schedule.job_name == "full_pipeline"
    (data_dir / "landing/volumes/volumes_2017-05.csv").write_text(
        "period,driver_code,cost_centre_code,quantity\n2017-05,WORKPLACE,N131-0001,1\n"
    )
    # A schedule's context needs a persistent instance (it recovers crashed runs in it first).
    # Contexts built with resources are used as context managers, so that what they opened
    # (the instance, the resources) is closed in order when the evaluation is done.
    with (
        dg.instance_for_test() as instance,
        dg.build_schedule_context(
            resources={"warehouse": WarehouseResource()}, instance=instance
        ) as context,
    ):
        request = nightly_pipeline(context)
    assert request.tags["dagster/asset_partition_range_start"] == "2017-05"
    assert landing_sensor.job_name == "full_pipeline"
    assert monthly_ingest.name == "monthly_ingest"


def test_a_rejected_file_fails_the_run_until_it_is_dealt_with(data_dir: Path) -> None:
    landing = data_dir / "landing"
    (landing / "ledger").mkdir(exist_ok=True)
    (landing / "ledger/ledger_2017-03.csv").write_text(_month("2017-03", 2), encoding="utf-8")
    (landing / "ledger/ledger_2017-04.csv").write_text("")  # an empty delivery
    tags = partition_range_tags(["2017-03", "2017-04"])

    failed = _materialize(tags)
    assert not failed.success
    check = _check(failed, "ledger", "files_accepted")
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    # The good month is in; the bad file is out of the landing folder, with a note.
    with _warehouse(data_dir) as con:
        assert con.execute("select count(*) from raw.ledger").fetchone() == (4,)
    note = data_dir / "quarantine/ledger/ledger_2017-04.csv.reason.txt"
    assert "the file is empty" in note.read_text(encoding="utf-8")

    # Still unhealthy on the next run, although the file is no longer in the landing folder.
    assert not _materialize(tags).success

    # A corrected delivery resolves it.
    (landing / "ledger/ledger_2017-04.csv").write_text(_month("2017-04", 1), encoding="utf-8")
    fixed = _materialize(tags)
    assert fixed.success and _check(fixed, "ledger", "files_accepted").passed
    with _warehouse(data_dir) as con:
        assert con.execute("select resolution from ops.file_errors").fetchall() == [
            ("replaced by ledger/ledger_2017-04.csv",)
        ]


def test_a_removed_rejected_file_releases_the_pipeline(data_dir: Path) -> None:
    landing = data_dir / "landing"
    (landing / "volumes/volumes_2017-03.csv").write_text("")
    tags = partition_range_tags(["2017-03"])
    assert not _materialize(tags, "volumes").success
    (data_dir / "quarantine/volumes/volumes_2017-03.csv").unlink()
    assert _materialize(tags, "volumes").success
    with _warehouse(data_dir) as con:
        assert con.execute("select resolution from ops.file_errors").fetchall() == [
            ("removed from the quarantine folder",)
        ]


def test_gx_checks_warn_on_unknown_activity_codes_and_store_results(data_dir: Path) -> None:
    landing = data_dir / "landing"
    (landing / "ledger").mkdir(exist_ok=True)
    (landing / "ledger/ledger_2017-03.csv").write_bytes(
        (INGEST_INPUTS / "ledger_2017-03_unknown_activity.csv").read_bytes()
    )
    result = _materialize(partition_range_tags(["2017-03"]), checks=True)
    assert result.success  # a warning does not stop the run
    gx = _check(result, "ledger", "gx_ledger")
    assert not gx.passed and gx.severity == dg.AssetCheckSeverity.WARN
    assert _check(result, "ledger", "rows_reconcile").passed
    assert _check(result, "cost_centres", "gx_cost_centres").passed
    with _warehouse(data_dir) as con:
        failed = con.execute(
            "select check_name, asset_key, severity, expectation, column_name, unexpected_count, "
            "sample_values, sample_rows from ops.check_results where source = 'gx' and not passed"
        ).fetchall()
        stored = {
            k for (k,) in con.execute("select distinct asset_key from ops.check_results").fetchall()
        }
        in_raw = con.execute(
            "select count(*) from raw.ledger where activity_code = 'IT-XXX'"
        ).fetchone()[0]
    assert failed == [
        (
            "ledger",
            "raw/ledger",
            "warning",
            "unknown_activity_code: expect_column_values_to_be_in_set",
            "activity_code",
            1,
            '["IT-XXX"]',
            '[{"source_file": "ledger/ledger_2017-03.csv", "source_row": 2}]',
        )
    ]
    # Every contract upstream of the ledger was checked and stored.
    assert stored == {
        f"raw/{t}"
        for t in (
            "ledger",
            "accounts",
            "cost_centres",
            "organisations",
            "org_groups",
            "services",
            "service_areas",
            "plan_amounts",
            "initiatives",
        )
    }
    assert in_raw == 1  # the row flows on to the unallocated pool
