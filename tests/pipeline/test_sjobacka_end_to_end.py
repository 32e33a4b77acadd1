"""The whole pipeline on the second demo city, Sjöbacka kommun, checked against its oracle.

Sjöbacka is built from docs/input-formats.md alone (groups of its own, non-ASCII codes, 2024-2025,
`direct` in the plan, support to a directly charged service, a carried price, a KPI register, no
reference pack), so this is the test that nothing of Göteborg is left in the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import duckdb
import pytest

from pipelines.lib.demo.cities import sjobacka as city
from pipelines.lib.demo.cities.sjobacka_oracle import support_by_hand
from pipelines.lib.demo.oracle import allocate_plan_detail
from tests.conftest import PipelineRun, demo_pipeline_run

# Until the issue-12 branches are merged (org groups register and is_producer, direct in the
# plan, support cost to a direct service, the carried price, the reference pack, the KPI
# register) Sjöbacka does not publish. strict: once it does, remove this marker.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.xfail(reason="Sjöbacka publishes once issue 12 is merged", strict=True),
]
YEARS = (2024, 2025)


@pytest.fixture(scope="module")
def sjobacka_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    with demo_pipeline_run(tmp_path_factory.mktemp("sjobacka-data"), city="sjobacka") as run:
        yield run


def _query(run: PipelineRun, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(run.snapshot), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_sjobacka_publishes(sjobacka_run: PipelineRun) -> None:
    assert sjobacka_run.success
    assert sjobacka_run.snapshot.exists()


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("scenario", ["budget", "forecast_1"])
def test_every_plan_line_is_allocated_as_the_oracle_says(
    sjobacka_run: PipelineRun, year: int, scenario: str
) -> None:
    """Every method of the plan, `direct` included, to the öre per cost centre and month."""
    expected = allocate_plan_detail(sjobacka_run.data_dir / "landing", year, scenario)
    rows = _query(
        sjobacka_run,
        "select service_id, month(period_month), consumer_cost_centre_code, sum(amount_sek) "
        "from marts.fct_allocation where fiscal_year = ? and scenario = ? group by all",
        [year, scenario],
    )
    got = {(s, m, cc): int(Decimal(a) * 100) for s, m, cc, a in rows if a}
    assert got == expected


@pytest.mark.parametrize("year", YEARS)
def test_support_flows_are_the_hand_figures(sjobacka_run: PipelineRun, year: int) -> None:
    rows = _query(
        sjobacka_run,
        "select month(period_month), receiving_service_id, sum(amount_sek) "
        "from marts.fct_support_allocation where fiscal_year = ? group by all",
        [year],
    )
    by_hand = support_by_hand(year).to_services
    got = {(m, s): Decimal(a) for m, s, a in rows if s in by_hand}
    assert got == {
        (m, s): Decimal(v.numerator) / v.denominator for m in range(1, 13) for s, v in by_hand.items()
    }


@pytest.mark.parametrize("year", YEARS)
def test_the_direct_service_passes_on_its_support_cost(sjobacka_run: PipelineRun, year: int) -> None:
    """KOMM-TRYCK's consumers pay its ledger rows and the support it received: nothing stays."""
    (charged,) = _query(
        sjobacka_run,
        "select sum(amount_sek) from marts.fct_allocation "
        "where fiscal_year = ? and scenario = 'outcome' and service_id = ?",
        [year, city.DIRECT_SERVICE],
    )[0]
    expected = city.outcome_ledger_sek(city.DIRECT_SERVICE, year) + city.support_received(
        city.DIRECT_SERVICE, year
    )
    assert Decimal(charged) == expected


def test_the_second_year_is_charged_at_the_carried_price(sjobacka_run: PipelineRun) -> None:
    (carried,) = _query(
        sjobacka_run,
        "select next_year_unit_price_sek from marts.fct_price_settlement "
        "where fiscal_year = 2024 and service_id = ?",
        [city.PRICE_LIST_SERVICE],
    )[0]
    prices = _query(
        sjobacka_run,
        "select distinct unit_price_sek from marts.fct_allocation "
        "where fiscal_year = 2025 and scenario = 'outcome' and service_id = ?",
        [city.PRICE_LIST_SERVICE],
    )
    assert prices == [(carried,)]


def test_groups_come_from_the_register_and_no_reference_lines(sjobacka_run: PipelineRun) -> None:
    groups = _query(
        sjobacka_run,
        "select distinct org_group, org_group_sort from marts.dim_organisation order by 2",
    )
    assert [g for g, _ in groups] == [g.code for g in city.GROUPS]
    assert _query(sjobacka_run, "select count(*) from marts.rpt_reconciliation_published") == [(0,)]


def test_the_citys_kpis_are_computed(sjobacka_run: PipelineRun) -> None:
    codes = {
        code for (code,) in _query(sjobacka_run, "select distinct kpi_code from marts.fct_kpi")
    }
    assert codes == {"DATOR_KOSTNAD", "ARENDE_PER_ANSTALLD"}
