"""The per-organisation marts (fct_allocation_org_month, rpt_org_statement_monthly) agree with
the cost-centre rows of fct_allocation they sum."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from dashboards.lib import db, queries
from dashboards.lib.auth import Principal
from dashboards.lib.queries import statement, whatif
from tests.dashboards.snapshot_fixture import ENDED_ORGS, ORGS
from tests.dashboards.test_queries import INJECTIONS

MANAGEMENT = Principal("ledning", "management", "Ledning")
ANGERED = Principal("angered", "controller", "Angered", frozenset({"N131"}))
MULTI = Principal("multi", "controller", "Multi", frozenset({"N131", "N132"}))

ORG_CODES = [o[0] for o in ORGS + ENDED_ORGS] + ["NOPE", INJECTIONS[0]]
BUDGETS = ["budget", "forecast_1", "proposal", ""]
MONTHS = [date(2016, 12, 1), date(2017, 1, 1), date(2017, 6, 1), date(2017, 12, 1)]


def _assert_same(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(expected, got, check_exact=True)
    assert list(expected.dtypes) == list(got.dtypes)
    for column in expected.columns:
        assert [repr(v) for v in expected[column]] == [repr(v) for v in got[column]], column


def test_the_fixture_snapshot_has_the_org_month_mart(fixture_snapshot: Path) -> None:
    assert queries.has_table(MANAGEMENT, "marts", "fct_allocation_org_month")
    totals = db.query(
        "select (select sum(amount_sek) from marts.fct_allocation) as detail, "
        "(select sum(amount_sek) from marts.fct_allocation_org_month) as per_org, "
        "(select count(*) from marts.fct_allocation) as detail_rows, "
        "(select sum(allocation_row_count) from marts.fct_allocation_org_month) as per_org_rows"
    ).iloc[0]
    assert totals["detail"] == totals["per_org"]
    assert totals["detail_rows"] == totals["per_org_rows"]


# Min organisation's figures from the cost-centre rows of fct_allocation, summed here on purpose:
# an independent check of rpt_org_statement_monthly, which the statement queries read.
_REFERENCE_MONTHLY_SQL = """
select period_month, scenario, sum(amount_sek) as amount_sek
from marts.fct_allocation
where fiscal_year = $fiscal_year and consumer_org_code = $org_code
    and scenario in ('outcome', $budget_scenario)
    and (not $restricted or list_contains($allowed_orgs::varchar[], consumer_org_code))
group by period_month, scenario
order by period_month, scenario
"""


def _money(frame: pd.DataFrame, columns: list[str]) -> list[tuple[object, ...]]:
    """Rows as exact Decimals (nothing charged as 0), whatever the SQL type's precision."""
    return [
        tuple(Decimal(0) if v is None or v != v else Decimal(str(v)) for v in row)
        for row in frame[columns].itertuples(index=False)
    ]


@pytest.mark.parametrize("principal", [MANAGEMENT, ANGERED, MULTI], ids=lambda p: p.username)
def test_the_statement_mart_equals_the_cost_centre_rows(
    fixture_snapshot: Path, principal: Principal
) -> None:
    """rpt_org_statement_monthly (per service and per organisation) agrees with sums of
    fct_allocation's cost-centre rows, for every organisation, month and search."""
    money = ["month_outcome_sek", "ytd_outcome_sek", "ytd_budget_sek", "year_budget_sek"]
    scope = {"restricted": principal.is_restricted, "allowed_orgs": principal.org_list}
    for year in (2016, 2017):
        budget = "budget"
        for org in ORG_CODES:
            # months with outcome, as the page offers them
            months = [date(2016, 12, 1)] if year == 2016 else [date(2017, 1, 1), date(2017, 6, 1)]
            for month, search in itertools.product(months, ["", "it", "ÖSTRA"]):
                mart = queries.statement_by_service(
                    principal, org, year, month, budget, search=search
                )
                params = scope | {
                    "fiscal_year": year,
                    "budget_scenario": budget,
                    "org_code": org,
                    "through_month": month,
                    "search": search,
                    "cost_centre": "",
                }
                reference = db.query(statement._STATEMENT_BY_SERVICE_SQL, params)
                assert list(mart["service_id"]) == list(reference["service_id"])
                assert _money(mart, money) == _money(reference, money), (org, month, search)
                if not search:
                    totals = queries.statement_totals(principal, org, year, month, budget)
                    if reference.empty:
                        assert totals.empty or all(v == 0 for v in _money(totals, money)[0])
                    else:
                        assert _money(totals, money) == [
                            tuple(
                                sum(column, Decimal(0))
                                for column in zip(*_money(reference, money), strict=True)
                            )
                        ]
            monthly = queries.statement_monthly(principal, org, year, budget)
            reference_monthly = db.query(
                _REFERENCE_MONTHLY_SQL,
                scope | {"fiscal_year": year, "budget_scenario": budget, "org_code": org},
            )
            if not principal.is_restricted or org in principal.org_list:
                expected = {
                    (m, s): Decimal(str(a)) for m, s, a in reference_monthly.itertuples(index=False)
                }
                got = {
                    (m, s): Decimal(str(a))
                    for m, s, a in monthly[["period_month", "scenario", "amount_sek"]].itertuples(
                        index=False
                    )
                    if a != 0 or (m, s) in expected
                }
                assert got == expected, (org, year)
            else:
                assert monthly.empty


def test_whatif_services_are_the_same_from_the_org_month_mart(fixture_snapshot: Path) -> None:
    for year, scenario in itertools.product((2016, 2017), BUDGETS + ["outcome"]):
        params = {"fiscal_year": year, "scenario": scenario}
        _assert_same(
            db.query(whatif._SERVICES_SQL, params),
            db.query(whatif._SERVICES_ORG_MONTH_SQL, params),
        )
