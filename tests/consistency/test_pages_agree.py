"""Every figure that two pages show is the same figure, on both demo cities.

The tests read the published snapshot of a real pipeline run the way each page does, through
dashboards.lib.queries (the pages' only way to the data), as management (who sees every
organisation, so city-wide and per-organisation figures can be compared), and compare what the
pages show: organisation totals (Budget, Min organisation), the headlines against the tables
under them (with the unallocated pool and the price-list deficit on their own lines), service
totals and volumes (Översikt, Tjänster, Min organisation's invoice basis), development
(Budget, Utvecklingsinitiativ, Översikt) and the names of plans. The two runs are the session
fixtures of tests/conftest.py, shared with the other slow tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from dashboards.lib import queries
from dashboards.lib.auth import Principal
from dashboards.lib.queries import OUTCOME, decimal_sum
from tests.conftest import SHARED_RUNS, PipelineRun

pytestmark = pytest.mark.slow

MANAGEMENT = Principal("ledning", "management", "Ledning")


@pytest.fixture(
    params=[
        # Each city's tests join the xdist group of its session run (tests/conftest.py), so
        # that under `pytest -n 2 --dist loadgroup` each city is still run once.
        pytest.param(fixture, id=city, marks=pytest.mark.xdist_group(SHARED_RUNS[fixture]))
        for city, fixture in (("goteborg", "pipeline_run"), ("sjobacka", "sjobacka_run"))
    ]
)
def run(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[PipelineRun]:
    """A demo city's published snapshot (a session run of tests/conftest.py), the one the
    dashboards read (FORDELA_SNAPSHOT)."""
    city_run: PipelineRun = request.getfixturevalue(request.param)
    assert city_run.success
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(city_run.snapshot))
    yield city_run


def _years_with_outcome() -> list[tuple[int, queries.YearContext]]:
    contexts = queries.year_contexts(MANAGEMENT)
    return [
        (y, c) for y, c in sorted(contexts.items()) if c.outcome is not None and c.outcome_months
    ]


def _reconciliation(year: int, scenario: str, through: date | None = None) -> dict[str, Decimal]:
    frame = queries.budget_reconciliation(MANAGEMENT, year, scenario, through)
    assert len(frame) == 1, (year, scenario, through)
    row = frame.iloc[0]
    return {
        k: decimal_sum([row[k]])
        for k in ("total_sek", "allocated_sek", "unallocated_sek", "price_list_deficit_sek")
    }


# --- Budget: the headline and the tables under it ------------------------------------------------


def test_budget_headline_is_the_groups_plus_their_reconciling_lines(run: PipelineRun) -> None:
    """Budget page, every version and the outcome: the headline (whole cost) = the groups + the
    unallocated pool + the price-list deficit, the lines the page adds under the groups."""
    versions = queries.plan_versions(MANAGEMENT)
    assert versions
    for v in versions:
        headline = decimal_sum(
            queries.budget_by_area(MANAGEMENT, v.fiscal_year, v.scenario)["amount_sek"]
        )
        groups = decimal_sum(
            queries.budget_by_org_group(MANAGEMENT, v.fiscal_year, v.scenario)["amount_sek"]
        )
        orgs = decimal_sum(
            queries.budget_by_org(MANAGEMENT, v.fiscal_year, v.scenario)["amount_sek"]
        )
        lines = _reconciliation(v.fiscal_year, v.scenario)
        assert groups == orgs == lines["allocated_sek"], v
        assert lines["total_sek"] == headline, v
        # The page's headline, its split and its area lines are rpt_budget_area_total_year's.
        totals = queries.budget_area_totals(MANAGEMENT, v.fiscal_year, v.scenario)
        year_row = totals[totals["line_level"] == "year"].iloc[0]
        assert decimal_sum([year_row["total_sek"]]) == headline, v
        areas = queries.budget_by_area(MANAGEMENT, v.fiscal_year, v.scenario)
        for cost_type in ("maintenance", "development"):
            assert decimal_sum([year_row[f"{cost_type}_sek"]]) == decimal_sum(
                areas[areas["is_area_line"] & (areas["cost_type"] == cost_type)]["amount_sek"]
            ), (v, cost_type)
        line_rows = totals[totals["line_level"] == "line"]
        assert decimal_sum(line_rows["total_sek"]) == headline, v
        shares = queries.budget_by_org(MANAGEMENT, v.fiscal_year, v.scenario)
        for r in shares.head(5).itertuples(index=False):
            # a decimal(18,6) ratio: the exact share to half a unit of its sixth decimal
            exact = Decimal(r.amount_sek) / headline
            assert abs(Decimal(str(r.share_of_year)) - exact) <= Decimal("0.0000005"), v
        assert groups + lines["unallocated_sek"] + lines["price_list_deficit_sek"] == headline, v
        if v.scenario != OUTCOME:
            # A plan is charged in full: nothing lies between its headline and its groups.
            assert lines["unallocated_sek"] == lines["price_list_deficit_sek"] == 0, v


def test_budget_organisations_are_min_organisations_figures(run: PipelineRun) -> None:
    """Per organisation: the Budget page's amount for the year's budget and for the outcome
    = Min organisation's year budget and outcome to date (all organisations' table)."""
    for year, ctx in _years_with_outcome():
        assert ctx.budget is not None
        through = ctx.last_outcome_month
        assert through is not None
        summary = queries.organisations_summary(MANAGEMENT, year, through, ctx.budget.scenario)
        my_budget = {
            r.org_code: decimal_sum([r.year_budget_sek]) for r in summary.itertuples(index=False)
        }
        my_outcome = {
            r.org_code: decimal_sum([r.ytd_outcome_sek]) for r in summary.itertuples(index=False)
        }
        budget_page = queries.budget_by_org(MANAGEMENT, year, ctx.budget.scenario)
        outcome_page = queries.budget_by_org(MANAGEMENT, year, OUTCOME)
        for r in budget_page.itertuples(index=False):
            assert my_budget.get(r.org_code, Decimal(0)) == decimal_sum([r.amount_sek]), (
                year,
                r.org_code,
            )
        for r in outcome_page.itertuples(index=False):
            assert my_outcome.get(r.org_code, Decimal(0)) == decimal_sum([r.amount_sek]), (
                year,
                r.org_code,
            )
        assert sum(my_budget.values(), Decimal(0)) == decimal_sum(budget_page["amount_sek"])
        assert sum(my_outcome.values(), Decimal(0)) == decimal_sum(outcome_page["amount_sek"])


def test_min_organisation_headline_is_its_row_in_the_table(run: PipelineRun) -> None:
    """Min organisation: an organisation's key figures (sums of its statement) = its row in the
    all-organisations table."""
    for year, ctx in _years_with_outcome():
        budget = ctx.budget.scenario if ctx.budget else None
        through = ctx.last_outcome_month
        assert through is not None
        summary = queries.organisations_summary(MANAGEMENT, year, through, budget)
        for r in summary.head(8).itertuples(index=False):
            statement = queries.statement_by_service(MANAGEMENT, r.org_code, year, through, budget)
            assert decimal_sum(statement["ytd_outcome_sek"]) == decimal_sum([r.ytd_outcome_sek]), (
                r.org_code
            )
            assert decimal_sum(statement["ytd_budget_sek"]) == decimal_sum([r.ytd_budget_sek]), (
                r.org_code
            )
            assert decimal_sum(statement["year_budget_sek"]) == decimal_sum([r.year_budget_sek]), (
                r.org_code
            )
            # the key figures are the organisation's own row of the mart, not a page sum
            totals = queries.statement_totals(MANAGEMENT, r.org_code, year, through, budget)
            if len(totals):
                key = totals.iloc[0]
                assert decimal_sum([key["ytd_outcome_sek"]]) == decimal_sum([r.ytd_outcome_sek])
                assert decimal_sum([key["month_outcome_sek"]]) == decimal_sum(
                    statement["month_outcome_sek"]
                )
                assert decimal_sum([key["variance_ytd_sek"]]) == decimal_sum(
                    statement["variance_ytd_sek"]
                )


# --- Översikt against Min organisation -----------------------------------------------------------


def test_overview_is_min_organisation_plus_its_reconciling_lines(run: PipelineRun) -> None:
    """Översikt's outcome and budget to date and budget for the year (whole cost) = Min
    organisation's all-organisations columns + the unallocated and price-list lines."""
    for year, ctx in _years_with_outcome():
        assert ctx.budget is not None
        through = ctx.last_outcome_month
        assert through is not None
        areas_to_date = queries.lines_to_date(
            MANAGEMENT, year, [ctx.budget.scenario, OUTCOME], through
        )
        areas_year = queries.lines_to_date(MANAGEMENT, year, [ctx.budget.scenario], None)

        summary = queries.organisations_summary(MANAGEMENT, year, through, ctx.budget.scenario)
        for column, scenario, month, to_date in (
            ("ytd_outcome_sek", OUTCOME, through, True),
            ("ytd_budget_sek", ctx.budget.scenario, through, True),
            ("year_budget_sek", ctx.budget.scenario, None, False),
        ):
            lines = _reconciliation(year, scenario, month)
            orgs = decimal_sum(summary[column])
            assert orgs == lines["allocated_sek"], (year, column)
            rows = areas_to_date if to_date else areas_year
            shown = rows[rows["scenario"] == scenario]
            assert lines["total_sek"] == decimal_sum(
                shown["amount_ytd_sek" if to_date else "amount_year_sek"]
            ), (year, column)
            assert (
                orgs + lines["unallocated_sek"] + lines["price_list_deficit_sek"]
                == lines["total_sek"]
            )


# --- Services ------------------------------------------------------------------------------------


def test_service_figures_agree_across_overview_and_tjanster(run: PipelineRun) -> None:
    """Per service: Översikt's cost to date = Tjänster's cost (monthly chart and unit-cost table);
    Tjänster's consumers table sums to the charges of its unit-cost table, amount and volume."""
    for year, ctx in _years_with_outcome():
        through = ctx.last_outcome_month
        assert through is not None
        overview = queries.lines_to_date(MANAGEMENT, year, [OUTCOME], through, line_level="service")
        catalogue = queries.service_catalogue(MANAGEMENT, year)
        assert len(catalogue)
        for service_id in catalogue["service_id"]:
            monthly = queries.service_cost_monthly(MANAGEMENT, service_id)
            monthly = monthly[(monthly["fiscal_year"] == year) & (monthly["scenario"] == OUTCOME)]
            units = queries.service_volume_monthly(MANAGEMENT, service_id)
            units = units[(units["fiscal_year"] == year) & (units["scenario"] == OUTCOME)]
            cost_by_month = {
                m: decimal_sum([a])
                for m, a in zip(monthly["period_month"], monthly["amount_sek"], strict=True)
            }
            for r in units.itertuples(index=False):
                assert decimal_sum([r.cost_sek]) == cost_by_month.get(r.period_month, Decimal(0)), (
                    service_id,
                    r.period_month,
                )
            shown = overview[
                (overview["service_id"] == service_id) & (overview["scenario"] == OUTCOME)
            ]
            assert decimal_sum(shown["amount_ytd_sek"]) == decimal_sum(monthly["amount_sek"]), (
                year,
                service_id,
            )
            consumers = queries.service_consumers(MANAGEMENT, service_id, year, None)
            assert decimal_sum(consumers["outcome_sek"]) == decimal_sum(units["charged_sek"]), (
                year,
                service_id,
            )
            assert decimal_sum(consumers["outcome_volume"]) == decimal_sum(
                units["driver_volume"]
            ), (year, service_id)


def _delivered_volume(run: PipelineRun) -> dict[tuple[str, date], Decimal]:
    """Per driver and month, every actual volume the city delivered (fct_driver_volume)."""
    with duckdb.connect(str(run.snapshot), read_only=True) as con:
        rows = con.execute(
            "select driver_code, period_month, sum(quantity) from marts.fct_driver_volume "
            "where scenario = 'outcome' group by all"
        ).fetchall()
    return {(d, m): Decimal(q) for d, m, q in rows}


def test_service_volume_is_at_most_what_was_delivered(run: PipelineRun) -> None:
    """Tjänster's volume of a month is the driver volume of the service's consumers: never more
    than the city delivered for the driver that month. Counting the support-cost rows (each
    repeats its consumer's whole volume) gave several times that, and a unit cost as much
    too low."""
    delivered = _delivered_volume(run)
    checked = 0
    for year, _ in _years_with_outcome():
        for service_id in queries.service_catalogue(MANAGEMENT, year)["service_id"]:
            rules = queries.service_rules(MANAGEMENT, service_id, year)
            drivers = set(rules[rules["scenario"] == OUTCOME]["driver_code"].dropna())
            if len(drivers) != 1:
                continue
            (driver,) = drivers
            units = queries.service_volume_monthly(MANAGEMENT, service_id)
            for r in units[
                (units["fiscal_year"] == year) & (units["scenario"] == OUTCOME)
            ].itertuples(index=False):
                if r.driver_volume is None or r.driver_volume != r.driver_volume:
                    continue
                limit = delivered.get((driver, r.period_month), Decimal(0))
                assert decimal_sum([r.driver_volume]) <= limit, (service_id, r.period_month, driver)
                if (
                    r.unit_cost_sek is not None
                    and r.unit_cost_sek == r.unit_cost_sek
                    and r.driver_volume
                ):
                    expected = (
                        decimal_sum([r.cost_sek]) / decimal_sum([r.driver_volume])
                    ).quantize(Decimal("0.0001"))
                    assert abs(decimal_sum([r.unit_cost_sek]) - expected) <= Decimal("0.0001")
                checked += 1
    assert checked > 0


def test_invoice_basis_volume_is_the_consumers_volume(run: PipelineRun) -> None:
    """Min organisation's invoice basis (Volym column, whole year) = the organisation's volume in
    Tjänster's consumers table, service by service; support-cost rows carry no volume."""
    year, ctx = _years_with_outcome()[-1]
    through = ctx.last_outcome_month
    assert through is not None
    orgs = queries.organisations_summary(MANAGEMENT, year, through, None)
    for org_code in list(orgs["org_code"])[:3]:
        basis = queries.invoice_basis(MANAGEMENT, org_code, year, through)
        support = basis[basis["support_service_id"].notna()]
        assert support["driver_volume"].isna().all(), org_code
        for service_id, rows in basis.groupby("service_id"):
            consumers = queries.service_consumers(MANAGEMENT, str(service_id), year, None)
            mine = consumers[consumers["org_code"] == org_code]
            assert decimal_sum(rows["driver_volume"]) == decimal_sum(mine["outcome_volume"]), (
                org_code,
                service_id,
            )
            assert decimal_sum(rows["amount_sek"]) == decimal_sum(mine["outcome_sek"]), (
                org_code,
                service_id,
            )


# --- Development ---------------------------------------------------------------------------------


def test_one_development_total_per_version(run: PipelineRun) -> None:
    """Utvecklingsinitiativ's total per version (rpt_development_year) = its areas' development
    lines = the Budget page's Utveckling; the initiatives' part plus the rest is that total,
    and the initiatives' part of the year's budget is Översikt's initiative plan."""
    per_year = queries.development_by_year(MANAGEMENT)
    assert len(per_year)
    totals = {(int(r.fiscal_year), str(r.scenario)): r for r in per_year.itertuples(index=False)}
    for v in queries.plan_versions(MANAGEMENT):
        areas = queries.budget_by_area(MANAGEMENT, v.fiscal_year, v.scenario)
        development = decimal_sum(
            areas[areas["is_area_line"] & (areas["cost_type"] == "development")]["amount_sek"]
        )
        row = totals.get((v.fiscal_year, v.scenario))
        if row is None:
            assert development == 0, v
            continue
        assert decimal_sum([row.development_sek]) == development, v
        assert decimal_sum([row.initiatives_sek]) + decimal_sum([row.other_sek]) == development, v
    for year, ctx in sorted(queries.year_contexts(MANAGEMENT).items()):
        glance = queries.initiatives_summary(MANAGEMENT, year)
        if glance is None or ctx.budget is None or (year, ctx.budget.scenario) not in totals:
            continue
        assert glance.plan_sek == decimal_sum(
            [totals[(year, ctx.budget.scenario)].initiatives_sek]
        ), year
        budget_rows = per_year[(per_year["fiscal_year"] == year) & per_year["is_year_budget"]]
        assert list(budget_rows["plan_version"]) == [ctx.budget.plan_version], year


# --- Names of plans ------------------------------------------------------------------------------


def test_a_plan_total_has_one_name(run: PipelineRun) -> None:
    """The year's budget is one plan version, named the same on every page: the pages' year
    budget (Översikt, Tjänster, Min organisation) is the one dim_scenario marks, and no other
    version of the year is the same plan under a second name (identical amounts per service)."""
    contexts = queries.year_contexts(MANAGEMENT)
    versions = queries.plan_versions(MANAGEMENT)
    for year, ctx in contexts.items():
        plans = [v for v in versions if v.fiscal_year == year and v.scenario != OUTCOME]
        if not plans:
            continue
        assert ctx.budget is not None and ctx.budget in plans, year
        shapes: dict[tuple[tuple[str, Decimal], ...], str] = {}
        for v in plans:
            areas = queries.budget_by_area(MANAGEMENT, v.fiscal_year, v.scenario)
            shape = tuple(
                sorted(
                    (f"{a}|{c}|{n}", decimal_sum([x]))
                    for a, c, n, x in zip(
                        areas["service_area_code"],
                        areas["cost_type"],
                        areas["service_area_name_sv"],
                        areas["amount_sek"],
                        strict=True,
                    )
                )
            )
            assert shape not in shapes, (
                f"{v.plan_version} is {shapes.get(shape)} under a second name"
            )
            shapes[shape] = v.plan_version


# --- The pages' figures are mart columns ---------------------------------------------------------


def test_page_figures_are_what_fordela_query_reads_from_the_marts(run: PipelineRun) -> None:
    """Översikt's area table, its largest variances, Tjänster's key figures and Min
    organisation's key figures are the columns of rpt_cost_vs_budget_monthly and
    rpt_org_statement_monthly read straight from the published snapshot (as `fordela query`
    does), and their variances are outcome - budget to date, to the öre."""
    con = duckdb.connect(str(run.snapshot), read_only=True)
    try:
        for year, ctx in _years_with_outcome():
            through = ctx.last_outcome_month
            assert through is not None and ctx.budget is not None
            areas = queries.lines_to_date(MANAGEMENT, year, [ctx.budget.scenario, OUTCOME], through)
            direct = {
                (line, scenario): (ytd, variance)
                for line, scenario, ytd, variance in con.execute(
                    "select line_key, scenario, amount_ytd_sek, variance_ytd_sek"
                    " from marts.rpt_cost_vs_budget_monthly"
                    " where line_level = 'area' and period_month = ?",
                    [through],
                ).fetchall()
            }
            assert len(areas)
            for r in areas.itertuples(index=False):
                assert direct[(r.line_key, r.scenario)][0] == r.amount_ytd_sek
                if r.scenario == OUTCOME:
                    budget_row = areas[
                        (areas["line_key"] == r.line_key)
                        & (areas["scenario"] == ctx.budget.scenario)
                    ]
                    assert decimal_sum([r.variance_ytd_sek]) == decimal_sum(
                        [r.amount_ytd_sek]
                    ) - decimal_sum(budget_row["amount_ytd_sek"]), (year, r.line_key)
            top = queries.largest_variances(MANAGEMENT, through)
            for r in top.itertuples(index=False):
                service = queries.lines_to_date(
                    MANAGEMENT, year, [OUTCOME], through, "service", str(r.service_id)
                ).iloc[0]
                assert service["variance_ytd_sek"] == r.variance_sek
                assert r.variance_sek == r.outcome_sek - r.budget_sek
            orgs = queries.organisations_summary(MANAGEMENT, year, through, ctx.budget.scenario)
            for r in orgs.head(5).itertuples(index=False):
                found = con.execute(
                    "select outcome_ytd_sek, budget_ytd_sek, variance_ytd_sek"
                    " from marts.rpt_org_statement_monthly"
                    " where line_level = 'organisation' and consumer_org_code = ?"
                    " and period_month = ?",
                    [r.org_code, through],
                ).fetchall()
                totals = queries.statement_totals(
                    MANAGEMENT, r.org_code, year, through, ctx.budget.scenario
                )
                assert len(found) == len(totals)
                if found:
                    assert found[0] == (
                        totals.iloc[0]["ytd_outcome_sek"],
                        totals.iloc[0]["ytd_budget_sek"],
                        totals.iloc[0]["variance_ytd_sek"],
                    )
                    assert found[0][2] == found[0][0] - found[0][1]
    finally:
        con.close()
