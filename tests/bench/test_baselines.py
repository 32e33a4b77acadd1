"""The benchmark's baselines (`bench/floor.sql`, `bench.baselines.pandas_baseline`) compute the
pipeline's `marts.fct_allocation` to the öre, per fiscal year x month x scenario x service x
consumer organisation, for every scenario including the outcome.

The session fixture's city delivers its ledger as SIE 4, Excel and CSV (and one volume month
as Excel), which the SQL floor cannot read. The test generates the same city (seed 2017, the
fixture's scale) with every month as CSV beside it, checks that it is the same city (every file
the two share is byte-identical, and the CSV ledger and volumes hold what the fixture's
pipeline landed), and runs the baselines on it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bench import baselines
from pipelines.lib.demo import generate
from tests.conftest import SMALL_SCALE

pytestmark = pytest.mark.slow

SCENARIOS = {"budget", "forecast_1", "forecast_2", "proposal", "outcome"}
OUTCOME_YEARS = (2016, 2017)

PER_PERIOD = {
    "ledger": "select period, count(*), sum(amount_sek::decimal(18, 2)) from {} group by all",
    "volumes": "select period, count(*), sum(quantity::decimal(18, 3)) from {} group by all",
}


@pytest.fixture(scope="module")
def csv_city(pipeline_run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert pipeline_run.success, "the pipeline run failed; see the dbt output"
    city = tmp_path_factory.mktemp("csv-city")
    generate(city / "landing", seed=2017, scale=SMALL_SCALE, ledger_formats="csv")
    return city


@pytest.fixture(scope="module")
def pipeline(pipeline_run) -> baselines.Totals:
    return baselines.pipeline_totals(pipeline_run.warehouse)


def test_the_csv_city_is_the_fixtures_city(pipeline_run, csv_city: Path) -> None:
    fixture_landing = pipeline_run.data_dir / "landing"
    shared = [
        p.relative_to(fixture_landing)
        for p in fixture_landing.rglob("*")
        if p.is_file() and (csv_city / "landing" / p.relative_to(fixture_landing)).is_file()
    ]
    assert len(shared) > 30
    for relative in shared:
        assert (csv_city / "landing" / relative).read_bytes() == (
            fixture_landing / relative
        ).read_bytes(), relative
    with (
        duckdb.connect(str(pipeline_run.warehouse), read_only=True) as landed,
        duckdb.connect() as copy,
    ):
        for kind, sql in PER_PERIOD.items():
            files = f"read_csv('{csv_city / 'landing' / kind}/{kind}_*.csv', all_varchar = true)"
            assert sorted(copy.execute(sql.format(files)).fetchall()) == sorted(
                landed.execute(sql.format(f"raw.{kind}")).fetchall()
            ), kind


def test_the_pipeline_allocates_every_scenario_and_outcome_month(
    pipeline: baselines.Totals,
) -> None:
    assert {k[2] for k in pipeline} == SCENARIOS
    outcome_months = {(k[0], k[1].month) for k in pipeline if k[2] == "outcome"}
    assert outcome_months == {(y, m) for y in OUTCOME_YEARS for m in range(1, 13)}


@pytest.mark.parametrize("baseline", ["sql_floor", "pandas_baseline"])
def test_baseline_equals_the_pipeline_to_the_ore(
    baseline: str, csv_city: Path, pipeline: baselines.Totals
) -> None:
    result = getattr(baselines, baseline)(csv_city)
    outcome = {k for k, v in result.totals.items() if k[2] == "outcome" and v != 0}
    assert {(k[0], k[1].month) for k in outcome} == {
        (y, m) for y in OUTCOME_YEARS for m in range(1, 13)
    }
    assert baselines.same_totals(result.totals, pipeline), baselines.first_differences(
        result.totals, pipeline
    )
