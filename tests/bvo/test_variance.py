"""pipelines.lib.variance: the exact decomposition on hand-computed cases and its identity as a
property. The sentences are dbt's (tests/bvo/test_sentences.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.lib.variance import (
    Components,
    ConsumerAmounts,
    decompose_service_month,
    round_div,
)

# --------------------------------------------------------------------------- decomposition


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (5, 2, 3),
        (-5, 2, -3),
        (5, -2, -3),
        (-5, -2, 3),
        (4, 3, 1),
        (-4, 3, -1),
        (0, 7, 0),
        (7, 7, 1),
    ],
)
def test_round_div_rounds_halves_away_from_zero(
    numerator: int, denominator: int, expected: int
) -> None:
    assert round_div(numerator, denominator) == expected


def test_driver_case_volume_and_price() -> None:
    """Unit cost 10 -> 11 SEK per unit and month; A 50 -> 70 units, B 50 -> 50 (annual 600)."""
    rows = [
        ConsumerAmounts("A", 50_000, 77_000, 600_000, 70_000),
        ConsumerAmounts("B", 50_000, 55_000, 600_000, 50_000),
    ]
    out = decompose_service_month(rows, "driver")
    assert out["A"] == Components(volume_ore=20_000, price_ore=7_000, key_ore=0, residual_ore=0)
    assert out["B"] == Components(volume_ore=0, price_ore=5_000, key_ore=0, residual_ore=0)
    # The service: (120 - 100) x 10 volume, (11 - 10) x 120 price.
    assert sum(c.volume_ore for c in out.values()) == 20_000
    assert sum(c.price_ore for c in out.values()) == 12_000


def test_key_case_cost_level_key_and_interaction() -> None:
    """Pool 1 000 -> 1 100, A 60 % -> 65 %, B 40 % -> 35 %."""
    rows = [ConsumerAmounts("A", 60_000, 71_500), ConsumerAmounts("B", 40_000, 38_500)]
    out = decompose_service_month(rows, "key")
    assert out["A"] == Components(volume_ore=0, price_ore=6_000, key_ore=5_000, residual_ore=500)
    assert out["B"] == Components(volume_ore=0, price_ore=4_000, key_ore=-5_000, residual_ore=-500)


def test_negative_pool_keeps_the_signs() -> None:
    """Inkassointäkter-like credit: -100 -> -120 with shares 60/40 -> 65/35."""
    rows = [ConsumerAmounts("A", -6_000, -7_800), ConsumerAmounts("B", -4_000, -4_200)]
    out = decompose_service_month(rows, "key")
    assert out["A"] == Components(0, -1_200, -500, -100)
    assert out["B"] == Components(0, -800, 500, 100)


def test_uncharged_line_is_a_price_effect_when_planned_and_residual_otherwise() -> None:
    rows = [
        ConsumerAmounts("A", 50_000, 50_000, 600_000, 50_000),
        ConsumerAmounts("UNALLOCATED", 0, 20_000, is_uncharged=True),
    ]
    assert decompose_service_month(rows, "driver")["UNALLOCATED"] == Components(0, 20_000, 0, 0)
    unplanned = [ConsumerAmounts("UNALLOCATED", 0, 20_000, is_uncharged=True)]
    assert decompose_service_month(unplanned, "unplanned")["UNALLOCATED"] == Components(
        0, 0, 0, 20_000
    )


def test_nothing_booked_claims_no_key_change() -> None:
    rows = [ConsumerAmounts("A", 60_000, 0), ConsumerAmounts("B", 40_000, 0)]
    out = decompose_service_month(rows, "key")
    assert out["A"] == Components(0, -60_000, 0, 0)
    assert out["B"] == Components(0, -40_000, 0, 0)


def test_rounding_of_the_key_effect_goes_to_residual() -> None:
    """100 -> 200 over thirds: A's key 33.335 rounds to 33.34 - 33.34 = 0, so -0.01 is residual."""
    rows = [
        ConsumerAmounts("A", 3_334, 6_667),
        ConsumerAmounts("B", 3_333, 6_667),
        ConsumerAmounts("C", 3_333, 6_666),
    ]
    out = decompose_service_month(rows, "key")
    assert out["A"] == Components(0, 3_334, 0, -1)
    assert out["B"] == Components(0, 3_333, 1, 0)
    assert out["C"] == Components(0, 3_333, 0, 0)


money = st.integers(min_value=-(10**10), max_value=10**10)
volume = st.integers(min_value=0, max_value=10**8)


@st.composite
def service_months(draw: st.DrawFn) -> tuple[list[ConsumerAmounts], str]:
    n = draw(st.integers(min_value=1, max_value=6))
    rows = [
        ConsumerAmounts(f"C{i}", draw(money), draw(money), draw(volume), draw(volume))
        for i in range(n)
    ]
    if draw(st.booleans()):
        rows.append(ConsumerAmounts("UNALLOCATED", draw(money), draw(money), is_uncharged=True))
    return rows, draw(st.sampled_from(["driver", "key", "unplanned"]))


@settings(max_examples=400, deadline=None)
@given(service_months())
def test_components_always_add_up_to_the_variance(case: tuple[list[ConsumerAmounts], str]) -> None:
    rows, method = case
    out = decompose_service_month(rows, method)  # type: ignore[arg-type]
    for row in rows:
        assert out[row.consumer].total_ore == row.outcome_ore - row.plan_ore


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 10**6), st.integers(1, 10**6)), min_size=1, max_size=6),
    st.integers(1, 10**9),
)
def test_driver_volume_effect_sums_to_the_service_volume_effect(
    volumes: list[tuple[int, int]], c0: int
) -> None:
    """Summed over consumers, volume = (V1 - V0) x u0 up to one öre of rounding per line."""
    w0 = sum(v0 for v0, _ in volumes)
    rows = [
        ConsumerAmounts(f"C{i}", round_div(c0 * v0, w0), 0, v0, v1)
        for i, (v0, v1) in enumerate(volumes)
    ]
    out = decompose_service_month(rows, "driver")
    c0_charged = sum(r.plan_ore for r in rows)
    w1 = sum(v1 for _, v1 in volumes)
    expected = c0_charged * (12 * w1 - w0) / w0
    assert abs(sum(c.volume_ore for c in out.values()) - expected) <= len(rows)
