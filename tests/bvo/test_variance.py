"""pipelines.lib.variance: the exact decomposition on hand-computed cases, its identity as a
property, and the Swedish/English sentences with babel number formats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.lib.variance import (
    Components,
    ConsumerAmounts,
    VarianceLine,
    decompose_service_month,
    plural_unit,
    round_div,
    sentence_for_row,
    variance_sentence,
)

NB = "\u00a0"


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


# --------------------------------------------------------------------------- sentences


def test_the_issue_example_in_swedish_and_english() -> None:
    line = VarianceLine(
        label="IT-arbetsplats",
        variance_sek=Decimal("412000"),
        volume_effect_sek=Decimal("260000"),
        price_effect_sek=Decimal("120000"),
        key_effect_sek=Decimal("32000"),
        decomposition_method="driver",
        volume_change=Decimal("1180"),
        unit_sv="arbetsplatsmånad",
        unit_en="workplace-month",
    )
    assert variance_sentence(line, "sv") == (
        f"IT-arbetsplats +412{NB}tkr: +260{NB}tkr volym (+1{NB}180 arbetsplatsmånader), "
        f"+120{NB}tkr pris, +32{NB}tkr ändrad fördelning"
    )
    assert variance_sentence(line, "en") == (
        f"IT-arbetsplats +412{NB}kSEK: +260{NB}kSEK volume (+1,180 workplace-months), "
        f"+120{NB}kSEK price, +32{NB}kSEK key change"
    )


def test_negative_small_and_key_lines() -> None:
    line = VarianceLine(
        label="Vård och omsorg",
        variance_sek=Decimal("-15234.49"),
        price_effect_sek=Decimal("-20000"),
        key_effect_sek=Decimal("5000"),
        mix_residual_sek=Decimal("-234.49"),
    )
    assert variance_sentence(line, "sv") == (
        f"Vård och omsorg -15,2{NB}tkr: -20,0{NB}tkr kostnadsnivå, +5,0{NB}tkr ändrad fördelning, "
        f"-0,2{NB}tkr övrigt"
    )
    assert variance_sentence(line, "en") == (
        f"Vård och omsorg -15.2{NB}kSEK: -20.0{NB}kSEK cost level, +5.0{NB}kSEK key change, "
        f"-0.2{NB}kSEK other"
    )


def test_unplanned_and_zero_lines() -> None:
    unplanned = VarianceLine(
        "Intraservice lokaler",
        Decimal("9000000"),
        mix_residual_sek=Decimal("9000000"),
        has_plan=False,
    )
    assert (
        variance_sentence(unplanned, "sv") == f"Intraservice lokaler +9{NB}000{NB}tkr: ej i planen"
    )
    assert (
        variance_sentence(unplanned, "en")
        == f"Intraservice lokaler +9,000{NB}kSEK: not in the plan"
    )
    zero = VarianceLine("Domino", Decimal("0.04"), mix_residual_sek=Decimal("0.04"))
    assert variance_sentence(zero, "sv") == f"Domino 0,0{NB}tkr: ingen avvikelse"
    assert variance_sentence(zero, "en") == f"Domino 0.0{NB}kSEK: no variance"


def test_half_tkr_rounds_up_and_one_unit_is_singular() -> None:
    line = VarianceLine(
        "Stadsnätet WAN",
        Decimal("150500"),
        volume_effect_sek=Decimal("150500"),
        decomposition_method="driver",
        volume_change=Decimal("1"),
        unit_sv="anslutningsmånad",
        unit_en="connection-month",
    )
    assert (
        variance_sentence(line, "sv")
        == f"Stadsnätet WAN +151{NB}tkr: +151{NB}tkr volym (+1 anslutningsmånad)"
    )


@pytest.mark.parametrize(
    ("unit", "plural"),
    [
        ("arbetsplatsmånad", "arbetsplatsmånader"),
        ("GB-månad", "GB-månader"),
        ("e-faktura", "e-fakturor"),
        ("pappersfaktura", "pappersfakturor"),
        ("faktura", "fakturor"),
    ],
)
def test_swedish_plural_units(unit: str, plural: str) -> None:
    assert plural_unit(unit, "sv") == plural


@pytest.mark.parametrize(
    ("unit", "plural"),
    [
        ("workplace-month", "workplace-months"),
        ("e-invoice", "e-invoices"),
        ("GB-month", "GB-months"),
    ],
)
def test_english_plural_units(unit: str, plural: str) -> None:
    assert plural_unit(unit, "en") == plural


def test_sentence_for_a_mart_row_month_and_ytd() -> None:
    row = {
        "service_id": "IT-ARB",
        "service_name_sv": "IT-arbetsplats",
        "decomposition_method": "driver",
        "driver_code": "WORKPLACE",
        "unit_sv": "arbetsplatsmånad",
        "unit_en": "workplace-month",
        "has_plan": True,
        "variance_sek": Decimal("57200.00"),
        "volume_effect_sek": Decimal("57190.00"),
        "price_effect_sek": Decimal("10.00"),
        "key_effect_sek": Decimal("0.00"),
        "mix_residual_sek": Decimal("0.00"),
        "plan_volume": Decimal("1000.000"),
        "outcome_volume": Decimal("1200.000"),
        "variance_ytd_sek": Decimal("-2292000.00"),
        "volume_effect_ytd_sek": Decimal("0.00"),
        "price_effect_ytd_sek": Decimal("-2292000.00"),
        "key_effect_ytd_sek": Decimal("0.00"),
        "mix_residual_ytd_sek": Decimal("0.00"),
        "plan_volume_ytd": Decimal("12000.000"),
        "outcome_volume_ytd": Decimal("12000.000"),
    }
    assert sentence_for_row(row, "sv") == (
        f"IT-arbetsplats +57,2{NB}tkr: +57,2{NB}tkr volym (+200 arbetsplatsmånader)"
    )
    assert (
        sentence_for_row(row, "en", "ytd") == f"IT-arbetsplats -2,292{NB}kSEK: -2,292{NB}kSEK price"
    )
    # Dashboards sum rows themselves and name the line.
    assert sentence_for_row(row, "sv", "ytd", label="IT-tjänster").startswith(
        f"IT-tjänster -2{NB}292{NB}tkr"
    )
