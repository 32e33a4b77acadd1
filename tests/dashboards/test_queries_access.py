"""The query layer of the new pages: a controller's rows only, whatever she passes in; pipeline
data for data engineers only; service- and city-level figures the same for everyone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards.lib import queries
from dashboards.lib.auth import Principal
from dashboards.lib.whatif import Change, simulate
from pipelines.lib.allocation.largest_remainder import largest_remainder
from tests.dashboards.snapshot_fixture import ORGS
from tests.dashboards.test_queries import ANGERED, DATA, INJECTIONS, MANAGEMENT, MULTI

JUNE = date(2017, 6, 1)
ALL_CODES = {o[0] for o in ORGS}


@pytest.mark.parametrize("principal", [ANGERED, MULTI], ids=["angered", "multi"])
def test_organisation_level_queries_never_leave_the_controllers_organisations(
    fixture_snapshot: Path, principal: Principal
) -> None:
    allowed = principal.allowed_orgs or frozenset()
    for org in sorted(ALL_CODES) + INJECTIONS:
        rows = [
            queries.statement_by_service(principal, org, 2017, JUNE, "budget"),
            queries.statement_by_cost_centre(principal, org, 2017, JUNE, "budget"),
            queries.invoice_basis(principal, org, 2017, JUNE),
            queries.charge_lines(principal, org, 2017, "outcome", JUNE, "HR-LON"),
            # the month close: restatements and the closed month's internal-invoice lines
            queries.restatements(principal, org),
            queries.invoice_lines(principal, date(2017, 2, 1), org),
            pd.DataFrame(queries.org_export_files(principal, date(2017, 2, 1), org)),
        ]
        if org not in allowed:
            assert all(r.empty for r in rows), org
    assert set(queries.organisations_for_year(principal, 2017)["org_code"]) == allowed
    for service in ("IT-ARB", "HR-LON", "EK-RED"):
        assert (
            set(queries.service_consumers(principal, service, 2017, "budget")["org_code"])
            <= allowed
        )
    kpi = queries.kpis(principal)
    assert kpi is not None and set(kpi["org_code"]) <= allowed | {"ALL"}
    base = queries.whatif_base(principal, 2017, "budget", "HR-LON")
    assert set(base.rows["org_code"]) <= allowed
    assert base.consumer_count == len(ALL_CODES)  # a count of everyone, no one's rows


def test_management_sees_every_organisation(fixture_snapshot: Path) -> None:
    assert set(queries.organisations_for_year(MANAGEMENT, 2017)["org_code"]) == ALL_CODES
    assert set(queries.organisations_for_year(MANAGEMENT, 2016)["org_code"]) == ALL_CODES | {"B111"}
    assert (
        set(queries.service_consumers(MANAGEMENT, "HR-LON", 2017, "budget")["org_code"])
        == ALL_CODES
    )


def test_driver_rows_and_vouchers_respect_the_organisation(fixture_snapshot: Path) -> None:
    own = queries.driver_rows(ANGERED, "N131-0002", "HEADCOUNT", 2017, JUNE, "budget")
    assert own is not None and set(own["cost_centre_code"]) == {"N131-0002"}
    assert queries.driver_rows(ANGERED, "N132-0002", "HEADCOUNT", 2017, JUNE, "budget").empty  # type: ignore[union-attr]
    # The pool's vouchers are on the producer's cost centres: public like the pool itself.
    vouchers = queries.pool_ledger_rows(ANGERED, JUNE, "IT-ARB")
    assert vouchers is not None and set(vouchers["cost_centre_code"]) == {"I060-0001"}


def test_service_level_figures_are_the_same_for_every_role(fixture_snapshot: Path) -> None:
    reference = queries.variance_explanations(
        MANAGEMENT, 2017, JUNE, "budget", ["IT-ARB", "HR-LON"], "sv"
    )
    assert reference is not None and set(reference) == {"IT-ARB", "HR-LON"}
    for principal in (DATA, ANGERED, MULTI):
        other = queries.variance_explanations(
            principal, 2017, JUNE, "budget", ["IT-ARB", "HR-LON"], "sv"
        )
        assert other == reference
    for explanation in reference.values():
        # The four components add up to the variance exactly.
        assert sum(explanation.components.values(), Decimal(0)) == explanation.variance_sek
    forecast = queries.year_end_forecast(ANGERED, 2017, JUNE)
    assert forecast is not None and forecast == queries.year_end_forecast(MANAGEMENT, 2017, JUNE)


@pytest.mark.parametrize("principal", [MANAGEMENT, ANGERED], ids=["management", "controller"])
def test_pipeline_data_is_for_data_engineers_only(
    fixture_snapshot: Path, principal: Principal
) -> None:
    for call in (
        lambda: queries.check_results(principal),
        lambda: queries.quarantine_rows(principal),
        lambda: queries.quarantine_summary(principal),
        lambda: queries.ops_table(principal, "landed_files"),
        lambda: queries.runs_from_checks(principal),
        lambda: queries.reconciliation_published(principal),
    ):
        with pytest.raises(queries.NotForThisRole):
            call()
    assert queries.check_results(DATA) is not None


@pytest.mark.parametrize("text", INJECTIONS)
def test_pipeline_filters_with_injection_strings(fixture_snapshot: Path, text: str) -> None:
    for frame in (
        queries.check_results(DATA, source=text),
        queries.quarantine_rows(DATA, table_name=text),
        queries.reconciliation_published(DATA, plan_version=text),
    ):
        assert frame is not None
        if text.replace("\x00", "").strip():
            assert frame.empty
    with pytest.raises(KeyError):
        queries.table_row_count(DATA, "ops", text)
    assert queries.ops_table(DATA, text) is None


# --- What-if -------------------------------------------------------------------------------------


def test_simulation_keeps_the_pool_and_changes_only_what_was_asked(fixture_snapshot: Path) -> None:
    neutral = queries.simulate_service(MANAGEMENT, 2017, "budget", "EK-RED", Change())
    key_pool = Decimal("38396049.99")
    assert (
        neutral.pool_before_sek == neutral.pool_after_sek == neutral.charged_after_sek == key_pool
    )
    # Neutral: within an öre per month of the current allocation (annual vs monthly rounding).
    for diff in neutral.rows["difference_sek"]:
        assert abs(diff) <= Decimal("0.12")
    pool = Decimal("78113000.00")
    more = queries.simulate_service(
        MANAGEMENT, 2017, "budget", "HR-LON", Change(volume_change_pct={"N131": Decimal(50)})
    )
    assert more.charged_after_sek == pool
    by_org = more.rows.set_index("org_code")["difference_sek"]
    assert by_org["N131"] > 0 and all(by_org.drop("N131") <= 0)
    cut = queries.simulate_service(
        MANAGEMENT, 2017, "budget", "EK-RED", Change(pool_change_pct=Decimal(-10))
    )
    assert cut.pool_after_sek == Decimal("34556444.99")
    assert cut.charged_after_sek == cut.pool_after_sek
    # The page's key figures are the result's own fields.
    assert cut.pool_change_sek == Decimal("34556444.99") - key_pool
    assert cut.surplus_deficit_sek == 0 and neutral.pool_change_sek == 0


def test_a_controller_cannot_change_another_organisations_volume(fixture_snapshot: Path) -> None:
    change = Change(volume_change_pct={"N132": Decimal(300)})
    as_controller = queries.simulate_service(ANGERED, 2017, "budget", "HR-LON", change)
    assert as_controller.change.volume_change_pct == {}
    assert list(as_controller.rows["org_code"]) == ["N131"]
    # Her change is her organisation's only, whatever the others' rows would add up to.
    everyone = queries.simulate_service(MANAGEMENT, 2017, "budget", "HR-LON", change)
    assert as_controller.visible_difference_sek == sum(as_controller.rows["difference_sek"])
    assert everyone.visible_difference_sek == sum(everyone.rows["difference_sek"])
    assert len(everyone.rows) > 1
    neutral = queries.simulate_service(ANGERED, 2017, "budget", "HR-LON", Change())
    assert as_controller.rows.equals(neutral.rows)


def test_price_change_on_a_price_list_service_shows_the_settlement_gap(
    fixture_snapshot: Path,
) -> None:
    base = queries.whatif_base(MANAGEMENT, 2017, "budget", "IT-ARB")
    assert base.allocation_method == "price_list" and base.unit_price_sek is not None
    result = queries.simulate_service(
        MANAGEMENT, 2017, "budget", "IT-ARB", Change(unit_price_sek=base.unit_price_sek * 2)
    )
    assert result.charged_after_sek > result.pool_after_sek  # doubled price: a surplus
    assert result.surplus_deficit_sek == result.charged_after_sek - result.pool_after_sek > 0


@settings(max_examples=200, deadline=None)
@given(
    pool=st.decimals(
        min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    ),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40).filter(
        any
    ),
)
def test_simulated_split_is_the_engines_largest_remainder(
    pool: Decimal, weights: list[int]
) -> None:
    """The what-if splits by the engine's one rule (ties to the lower organisation code), whatever
    order the page lists the organisations in: the parts sum to the pool to the öre."""
    codes = [f"O{n:03d}" for n in range(len(weights))][::-1]  # listed in descending code order
    base = pd.DataFrame(
        {
            "org_code": codes,
            "org_name": codes,
            "amount_sek": [Decimal(0)] * len(codes),
            "annual_volume": [Decimal(w) for w in weights],
            "share": [None] * len(codes),
        }
    )
    rows, _, charged = simulate(base, method="driver_share", pool_sek=pool, change=Change())
    assert charged == pool
    expected = largest_remainder(int(pool * 100), list(zip(codes, weights, strict=True)))
    assert dict(zip(rows["org_code"], rows["simulated_sek"], strict=True)) == {
        c: Decimal(ore) / 100 for c, ore in expected.items()
    }
    for part, weight in zip(rows["simulated_sek"], weights, strict=True):
        assert abs(part - pool * weight / sum(weights)) < Decimal("0.01")
        if weight == 0:
            assert part == 0


def test_equal_shares_and_another_driver() -> None:
    base = pd.DataFrame(
        {
            "org_code": ["A", "B", "C"],
            "org_name": ["a", "b", "c"],
            "amount_sek": [Decimal("60.00"), Decimal("30.00"), Decimal("10.00")],
            "annual_volume": [Decimal(6), Decimal(3), Decimal(1)],
            "share": [Decimal("0.6"), Decimal("0.3"), Decimal("0.1")],
        }
    )
    rows, pool, charged = simulate(
        base, method="driver_share", pool_sek=Decimal("100.00"), change=Change(basis="equal")
    )
    assert list(rows["simulated_sek"]) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert pool == charged == Decimal("100.00")
    drivers = pd.DataFrame(
        {"org_code": ["A", "D"], "org_name": ["a", "d"], "annual_volume": [Decimal(1), Decimal(3)]}
    )
    rows, _, charged = simulate(
        base,
        method="driver_share",
        pool_sek=Decimal("100.00"),
        change=Change(basis="driver", driver_code="X"),
        driver_volumes=drivers,
    )
    assert dict(zip(rows["org_code"], rows["simulated_sek"], strict=True)) == {
        "A": Decimal("25.00"),
        "B": Decimal("0.00"),
        "C": Decimal("0.00"),
        "D": Decimal("75.00"),
    }
    assert charged == Decimal("100.00")
