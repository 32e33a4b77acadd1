"""The whole pipeline on the second demo city, Sjöbacka kommun, checked against its oracle.

Sjöbacka is built from docs/input-formats.md alone (groups of its own, non-ASCII codes, 2024-2025,
`direct` in the plan, support to a directly charged service, a carried price, a KPI register, no
reference pack), so this is the test that nothing of Göteborg is left in the engine.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import duckdb
import pytest

from pipelines.lib.demo.cities import sjobacka as city
from pipelines.lib.demo.cities.sjobacka_oracle import carried_price, support_by_hand
from pipelines.lib.demo.oracle import allocate_plan_detail
from tests.conftest import PipelineRun

pytestmark = pytest.mark.slow
YEARS = (2024, 2025)


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
        (m, s): Decimal(v.numerator) / v.denominator
        for m in range(1, 13)
        for s, v in by_hand.items()
    }


@pytest.mark.parametrize("year", YEARS)
def test_the_direct_service_passes_on_its_support_cost(
    sjobacka_run: PipelineRun, year: int
) -> None:
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
    """2025 has no delivered price: it is charged the price the 2024 settlement gives, by the
    contract's formula rounded to the öre, and every charge is that price x the volume."""
    charged, cost, budget, planned, carried = _query(
        sjobacka_run,
        "select charged_sek, cost_sek, next_year_budget_sek, next_year_planned_volume, "
        "next_year_unit_price_sek from marts.fct_price_settlement "
        "where fiscal_year = 2024 and service_id = ? and price_source = 'delivered'",
        [city.PRICE_LIST_SERVICE],
    )[0]
    assert cost == city.outcome_ledger_sek(city.PRICE_LIST_SERVICE, 2024) + city.support_received(
        city.PRICE_LIST_SERVICE, 2024
    )
    exact = carried_price(Fraction(budget), Fraction(planned), Fraction(charged), Fraction(cost))
    assert carried == Decimal(math.floor(exact * 100 + Fraction(1, 2))) / 100  # the öre, half up
    rows = _query(
        sjobacka_run,
        "select unit_price_sek, price_source, driver_volume, amount_sek from marts.fct_allocation "
        "where fiscal_year = 2025 and scenario = 'outcome' and service_id = ?",
        [city.PRICE_LIST_SERVICE],
    )
    assert rows and {(price, source) for price, source, _, _ in rows} == {(carried, "carried")}
    for _, _, volume, amount in rows:
        assert amount == (carried * volume).quantize(Decimal("0.01"), ROUND_HALF_UP)


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
