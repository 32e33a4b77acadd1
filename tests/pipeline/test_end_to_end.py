"""The whole asset graph materialised in-process on a small demo city, checked on the snapshot."""

from __future__ import annotations

import csv
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

PLAN_VERSIONS = ("P0 2016", "P1 2016", "Budget 2017")


def _published_orgs(pipeline_run, plan_version: str) -> dict[str, Decimal]:
    """The organisation lines of the demo's reference pack, as the pipeline landed it (SEK)."""
    pack = pipeline_run.data_dir / "landing" / "reference" / "published_figures.csv"
    with pack.open(encoding="utf-8") as handle:
        return {
            row["code"]: Decimal(row["amount_tkr"]) * 1000
            for row in csv.DictReader(handle)
            if row["level"] == "organisation" and row["plan_version"] == plan_version
        }


def _snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def test_pipeline_succeeds_and_publishes(pipeline_run) -> None:
    assert pipeline_run.success
    assert pipeline_run.snapshot.exists()
    assert pipeline_run.snapshot.name == "current.duckdb"
    # The snapshot file itself is read-only on disk, not just opened read-only.
    assert not os.access(pipeline_run.snapshot, os.W_OK) or os.geteuid() == 0
    with _snapshot(pipeline_run.snapshot) as con, pytest.raises(duckdb.Error):
        con.execute("create table marts.tamper as select 1")


@pytest.mark.parametrize("plan_version", PLAN_VERSIONS)
def test_every_organisation_within_one_tkr_of_published(pipeline_run, plan_version: str) -> None:
    expected = _published_orgs(pipeline_run, plan_version)
    with _snapshot(pipeline_run.snapshot) as con:
        rows = con.execute(
            "select org_code, amount_sek from marts.rpt_budget_org_year where plan_version = ?",
            [plan_version],
        ).fetchall()
    got = {code: Decimal(amount) for code, amount in rows}
    assert len(expected) == 63
    off = {
        code: (got.get(code, Decimal(0)) - amount) / 1000
        for code, amount in expected.items()
        if abs(got.get(code, Decimal(0)) - amount) > 1000
    }
    assert off == {}, f"{plan_version}: organisations off by more than 1 tkr: {off}"


def test_budget_2017_total_and_groups(pipeline_run) -> None:
    with _snapshot(pipeline_run.snapshot) as con:
        total = con.execute(
            "select sum(amount_sek) from marts.rpt_budget_org_year where plan_version = 'Budget 2017'"
        ).fetchone()[0]
        groups = dict(
            con.execute(
                "select org_group, sum(amount_sek) from marts.rpt_budget_org_year "
                "where plan_version = 'Budget 2017' group by org_group"
            ).fetchall()
        )
        allocated = con.execute(
            "select sum(amount_sek) from marts.fct_allocation where fiscal_year = 2017 and scenario = 'budget'"
        ).fetchone()[0]
    assert total == Decimal("689695000.00")
    assert allocated == total
    published = {
        "Stadsdelsförvaltningar": 501055,
        "Fackförvaltningar": 156325,
        "Bolag": 28222,
        "Kommunalförbund": 4093,
    }
    for group, tkr in published.items():
        assert abs(groups[group] / 1000 - tkr) <= 1, (group, groups[group])


def test_allocation_conserves_every_pool_to_the_ore(pipeline_run) -> None:
    with _snapshot(pipeline_run.snapshot) as con:
        broken = con.execute(
            """
            with pools as (
                select period_month, scenario, service_id, sum(amount_sek) as pool
                from marts.fct_service_cost where scenario <> 'outcome'
                group by all
            ), allocated as (
                select period_month, scenario, service_id, sum(amount_sek) as allocated
                from marts.fct_allocation where scenario <> 'outcome'
                group by all
            )
            select count(*) from pools full join allocated using (period_month, scenario, service_id)
            where coalesce(pool, 0) <> coalesce(allocated, 0)
            """
        ).fetchone()[0]
    assert broken == 0


def test_rerun_with_the_same_files_changes_nothing(pipeline_run) -> None:
    import dagster as dg

    from pipelines.defs.automation import pipeline_run_tags
    from pipelines.defs.ingest.assets import ingest_assets
    from pipelines.defs.resources import WarehouseResource

    def fingerprint() -> dict[str, tuple]:
        with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
            tables = [
                r[0]
                for r in con.execute(
                    "select table_name from duckdb_tables() where schema_name = 'landed'"
                ).fetchall()
            ]
            return {
                t: con.execute(
                    f"select count(*), sum(hash(columns(* exclude (_loaded_at)))) from landed.{t}"
                ).fetchone()
                for t in tables
            } | {
                f"ops.{t}": con.execute(
                    f"select count(*), sum(hash(columns(*))) from ops.{t}"
                ).fetchone()
                for t in ("landed_files", "quarantine", "file_errors")
            }

    before = fingerprint()
    os.environ["FORDELA_DATA_DIR"] = str(pipeline_run.data_dir)
    try:
        # Every month that has files, as the full pipeline runs them.
        result = dg.materialize(
            ingest_assets,
            resources={"warehouse": WarehouseResource()},
            tags=pipeline_run_tags(pipeline_run.data_dir / "landing"),
        )
        assert result.success
    finally:
        os.environ.pop("FORDELA_DATA_DIR", None)
    assert fingerprint() == before
