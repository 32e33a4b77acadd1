"""Statements read fct_allocation_org_month when the snapshot has it and fct_allocation when it
does not (a snapshot published before the mart existed); the figures are the same either way."""

from __future__ import annotations

import itertools
import shutil
import stat
from datetime import date
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
    assert queries.has_table(MANAGEMENT, "marts", statement.ORG_MONTH_MART)
    totals = db.query(
        "select (select sum(amount_sek) from marts.fct_allocation) as detail, "
        "(select sum(amount_sek) from marts.fct_allocation_org_month) as per_org, "
        "(select count(*) from marts.fct_allocation) as detail_rows, "
        "(select sum(allocation_row_count) from marts.fct_allocation_org_month) as per_org_rows"
    ).iloc[0]
    assert totals["detail"] == totals["per_org"]
    assert totals["detail_rows"] == totals["per_org_rows"]


@pytest.mark.parametrize("principal", [MANAGEMENT, ANGERED, MULTI], ids=lambda p: p.username)
def test_org_month_statements_equal_the_cost_centre_rows(
    fixture_snapshot: Path, principal: Principal
) -> None:
    scope = {"restricted": principal.is_restricted, "allowed_orgs": principal.org_list}
    for year, budget in itertools.product((2016, 2017), BUDGETS):
        base = scope | {"fiscal_year": year, "budget_scenario": budget}
        for month in MONTHS:
            params = base | {"through_month": month}
            _assert_same(
                db.query(statement._ORGS_SUMMARY_SQL, params),
                db.query(statement._ORGS_SUMMARY_ORG_MONTH_SQL, params),
            )
        for org in ORG_CODES:
            monthly = base | {"org_code": org}
            _assert_same(
                db.query(statement._STATEMENT_MONTHLY_SQL, monthly),
                db.query(statement._STATEMENT_MONTHLY_ORG_MONTH_SQL, monthly),
            )
            for month, search in itertools.product(MONTHS[1:3], ["", "it", "ÖSTRA"]):
                params = monthly | {"through_month": month, "search": search}
                _assert_same(
                    db.query(statement._STATEMENT_BY_SERVICE_SQL, params | {"cost_centre": ""}),
                    db.query(statement._STATEMENT_BY_SERVICE_ORG_MONTH_SQL, params),
                )


def test_whatif_services_are_the_same_from_the_org_month_mart(fixture_snapshot: Path) -> None:
    for year, scenario in itertools.product((2016, 2017), BUDGETS + ["outcome"]):
        params = {"fiscal_year": year, "scenario": scenario}
        _assert_same(
            db.query(whatif._SERVICES_SQL, params),
            db.query(whatif._SERVICES_ORG_MONTH_SQL, params),
        )


def _calls() -> dict[str, pd.DataFrame]:
    june = date(2017, 6, 1)
    return {
        "by_service": queries.statement_by_service(ANGERED, "N131", 2017, june, "budget"),
        "by_service_search": queries.statement_by_service(
            MULTI, "N132", 2017, june, "budget", search="it"
        ),
        "by_service_cost_centre": queries.statement_by_service(
            ANGERED, "N131", 2017, june, "budget", cost_centre="N131-0001"
        ),
        "monthly": queries.statement_monthly(ANGERED, "N131", 2017, "budget"),
        "orgs": queries.organisations_summary(MANAGEMENT, 2017, june, "budget"),
        "orgs_controller": queries.organisations_summary(MULTI, 2017, june, None),
        "whatif_services": queries.whatif_services(MANAGEMENT, 2017, "budget"),
        "consumers": queries.service_consumers(MANAGEMENT, "IT-ARB", 2017, "budget"),
    }


def test_a_snapshot_without_the_org_month_mart_gives_the_same_figures(
    fixture_snapshot: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    _fixture_templates: dict[str, Path],
) -> None:
    with_mart = _calls()
    assert not with_mart["by_service"].empty
    early = tmp_path / "early" / "current.duckdb"
    early.parent.mkdir()
    shutil.copyfile(_fixture_templates["before_later_marts"], early)
    early.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(early))
    assert not queries.has_table(MANAGEMENT, "marts", statement.ORG_MONTH_MART)
    without_mart = _calls()
    for name, expected in with_mart.items():
        _assert_same(expected, without_mart[name])
