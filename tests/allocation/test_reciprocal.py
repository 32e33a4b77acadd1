"""The exact reciprocal solver, its booking to the öre and the origin tracing
(pipelines.lib.allocation.reciprocal)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.lib.allocation import (
    ReciprocalAllocation,
    SingularSystemError,
    allocate_reciprocal,
    excess_over_band,
    largest_remainder,
    round_exact,
    round_half_away,
    solve_linear,
    solve_reciprocal,
    trace_origins,
)
from pipelines.lib.demo.oracle import solve_linear as oracle_solve_linear

HAND_SHARES = {
    ("IT", "HR"): Fraction(1, 5),
    ("IT", "X"): Fraction(1, 2),
    ("IT", "Y"): Fraction(3, 10),
    ("HR", "IT"): Fraction(1, 10),
    ("HR", "X"): Fraction(9, 10),
}


def test_hand_computed_pair() -> None:
    """T_IT = 100 000 + 0.1 T_HR and T_HR = 50 000 + 0.2 T_IT, so
    T_IT = (100 000 + 0.1 x 50 000) / (1 - 0.02) = 105 000 / 0.98 = 750 000 / 7 öre and
    T_HR = 50 000 + 0.2 x 750 000 / 7 = 500 000 / 7 öre; booked 107 143 and 71 429 öre, with
    residuals 0.1 and 0.4 öre."""
    solution = solve_reciprocal({"IT": 100_000, "HR": 50_000}, HAND_SHARES)
    assert solution.totals == {"IT": Fraction(750_000, 7), "HR": Fraction(500_000, 7)}
    assert solution.residuals(solution.totals) == {"IT": 0, "HR": 0}  # exact
    booked = allocate_reciprocal({"IT": 100_000, "HR": 50_000}, HAND_SHARES).booked
    assert booked == {"IT": 107_143, "HR": 71_429}
    assert solution.residuals(booked) == {"IT": Fraction(1, 10), "HR": Fraction(2, 5)}
    # what the pair passes on outside the group is what it had, 150 000 öre
    outside = sum(
        solution.totals[giver] * share
        for (giver, receiver), share in HAND_SHARES.items()
        if receiver not in solution.totals
    )
    assert outside == 150_000


def test_shares_as_decimals_from_the_warehouse() -> None:
    shares = {k: Decimal(str(float(v))) for k, v in HAND_SHARES.items()}
    assert allocate_reciprocal({"IT": 100_000, "HR": 50_000}, shares).booked == {
        "IT": 107_143,
        "HR": 71_429,
    }


def test_services_that_only_serve_each_other_are_rejected() -> None:
    with pytest.raises(SingularSystemError, match="no unique solution"):
        solve_reciprocal({"A": 100, "B": 100}, {("A", "B"): 1, ("B", "A"): 1})


def test_round_half_away_from_zero() -> None:
    assert [round_half_away(Fraction(n, 2)) for n in (-5, -3, -1, 1, 3, 5)] == [
        -3,
        -2,
        -1,
        1,
        2,
        3,
    ]


@st.composite
def reciprocal_groups(draw: st.DrawFn) -> tuple[dict[str, int], dict[tuple[str, str], Fraction]]:
    """2-5 services that use each other; each gives at most 60 % to the others, so every
    service receives less than its total, and the rest to ordinary services."""
    n = draw(st.integers(2, 5))
    names = [f"S{i}" for i in range(n)]
    available = {s: draw(st.integers(-(10**9), 10**10)) for s in names}
    shares: dict[tuple[str, str], Fraction] = {}
    for giver in names:
        others = [r for r in names if r != giver]
        raw = [draw(st.integers(0, 10**6)) for _ in others]
        budget = Fraction(draw(st.integers(0, 60)), 100 * n)
        scale = sum(raw) or 1
        given_out = Fraction(0)
        for receiver, part in zip(others, raw, strict=True):
            share = Fraction(round(Fraction(part, scale) * budget * 10**12), 10**12)
            if share:
                shares[(giver, receiver)] = share
                given_out += share
        shares[(giver, "OUTSIDE")] = 1 - given_out
    return available, shares


@settings(max_examples=200, deadline=None)
@given(group=reciprocal_groups())
def test_solution_is_exact(
    group: tuple[dict[str, int], dict[tuple[str, str], Fraction]],
) -> None:
    available, shares = group
    solution = solve_reciprocal(available, shares)
    # exact: no residual at all
    assert all(r == 0 for r in solution.residuals(solution.totals).values())
    # nothing created or lost: the group passes on exactly what it had
    outside = sum(
        (solution.totals[g] * s for (g, r), s in shares.items() if r == "OUTSIDE"), Fraction(0)
    )
    assert outside == sum(available.values())
    # agrees with a float solve and with the demo oracle's independent Gauss-Jordan
    names = sorted(available)
    matrix = [[Fraction(int(i == j)) - shares.get((j, i), 0) for j in names] for i in names]
    floats = np.linalg.solve(np.array(matrix, dtype=float), [available[s] for s in names])
    assert np.allclose(floats, [float(solution.totals[s]) for s in names], rtol=1e-9, atol=1e-3)
    rhs = [Fraction(available[s]) for s in names]
    assert oracle_solve_linear(matrix, rhs) == [solution.totals[s] for s in names]
    assert solve_linear(matrix, [available[s] for s in names]) == [
        solution.totals[s] for s in names
    ]


def test_origins_of_the_hand_computed_pair() -> None:
    """IT's booked 107 143 = its own 100 000 + 7 143 from HR; HR's 71 429 = 50 000 + 21 429
    from IT. The composition c solves 107 143 c_IT = 100 000 e_IT + 7 143 c_HR and
    71 429 c_HR = 50 000 e_HR + 21 429 c_IT, exactly."""
    origins = trace_origins(
        {"IT": 100_000, "HR": 50_000}, {("HR", "IT"): 7_143, ("IT", "HR"): 21_429}
    )
    for composition in origins.values():
        assert sum(composition.values()) == 1
    total = {"IT": 107_143, "HR": 71_429}
    own = {"IT": 100_000, "HR": 50_000}
    flow = {("HR", "IT"): 7_143, ("IT", "HR"): 21_429}
    for j in total:
        for k in own:
            rhs = (own[j] if j == k else 0) + sum(
                amount * origins[i].get(k, 0) for (i, r), amount in flow.items() if r == j
            )
            assert total[j] * origins[j].get(k, 0) == rhs


def test_origins_of_a_step_down_chain() -> None:
    """LOK gives ADM 250 of its 1 000; ADM (300 own) gives 55 to IT. Of ADM's 550, 250/550
    comes from LOK; IT's 555 is 500 own + 55 with ADM's composition."""
    origins = trace_origins(
        {"LOK": 1_000, "ADM": 300, "IT": 500}, {("LOK", "ADM"): 250, ("ADM", "IT"): 55}
    )
    assert origins["LOK"] == {"LOK": 1}
    assert origins["ADM"] == {"LOK": Fraction(250, 550), "ADM": Fraction(300, 550)}
    assert origins["IT"] == {
        "IT": Fraction(500, 555),
        "ADM": Fraction(55, 555) * Fraction(300, 550),
        "LOK": Fraction(55, 555) * Fraction(250, 550),
    }
    split = largest_remainder(555, sorted(origins["IT"].items()))
    assert sum(split.values()) == 555


# --- booked to the öre (allocate_reciprocal) ----------------------------------------------------

# The pair above with three ordinary receivers: IT gives HR 0.2, X 0.05, Y 0.10, Z 0.65; HR
# gives IT 0.1, X 0.15, Y 0.25, Z 0.5 (the dbt unit test `reciprocal_pair_solved_by_hand` and
# docs of int_support_costs_reciprocal_allocated use the same numbers).
THREE_RECEIVERS = {
    ("IT", "HR"): Fraction("0.2"),
    ("IT", "X"): Fraction("0.05"),
    ("IT", "Y"): Fraction("0.10"),
    ("IT", "Z"): Fraction("0.65"),
    ("HR", "IT"): Fraction("0.1"),
    ("HR", "X"): Fraction("0.15"),
    ("HR", "Y"): Fraction("0.25"),
    ("HR", "Z"): Fraction("0.5"),
}
THREE_RECEIVERS_BOOKED = {  # öre; the test below says why
    ("IT", "HR"): 21_429,
    ("IT", "X"): 5_357,
    ("IT", "Y"): 10_714,
    ("IT", "Z"): 69_643,
    ("HR", "IT"): 7_143,
    ("HR", "X"): 10_715,
    ("HR", "Y"): 17_857,
    ("HR", "Z"): 35_714,
}


def test_hand_computed_pair_with_three_receivers_and_a_tie() -> None:
    """T_IT = 750 000 / 7 and T_HR = 500 000 / 7 öre as above. Exact flows (öre, sevenths):
    IT -> X 5 357 1/7, Y 10 714 2/7, Z 69 642 6/7, HR 21 428 4/7;
    HR -> X 10 714 2/7, Y 17 857 1/7, Z 35 714 2/7, IT 7 142 6/7.
    Receivers: X 16 071 3/7, Y 28 571 3/7, Z 105 357 1/7, together 150 000 = what the pair
    had. Floors sum to 149 999: one öre to the largest remainder, a tie of 3/7 between X and Y
    that goes to the first id, X. So X 16 072, Y 28 571, Z 105 357.
    (The former booking rounded the totals first and split each giver's own: Z 105 358 and
    X 16 071, the öre on a remainder of 1/7.)
    Flows: X's extra öre comes from the giver nearer to its next öre (HR, 2/7 against IT's
    1/7): HR -> X 10 715; Z's 105 357 needs one of its two floors raised, IT's (6/7): IT -> Z
    69 643; the rest round to their nearest. IT: 100 000 + 7 143 = 107 143 = 21 429 + 5 357 +
    10 714 + 69 643; HR: 50 000 + 21 429 = 71 429 = 7 143 + 10 715 + 17 857 + 35 714."""
    allocation = allocate_reciprocal({"IT": 100_000, "HR": 50_000}, THREE_RECEIVERS)
    sevenths = {pair: value * 7 for pair, value in allocation.exact.items()}
    assert sevenths == {
        ("IT", "HR"): 150_000,
        ("IT", "X"): 37_500,
        ("IT", "Y"): 75_000,
        ("IT", "Z"): 487_500,
        ("HR", "IT"): 50_000,
        ("HR", "X"): 75_000,
        ("HR", "Y"): 125_000,
        ("HR", "Z"): 250_000,
    }
    assert allocation.external == {("HR", "X"): 16_072, ("HR", "Y"): 28_571, ("HR", "Z"): 105_357}
    assert allocation.group == {"HR": "HR", "IT": "HR"}
    assert allocation.amounts == THREE_RECEIVERS_BOOKED
    assert allocation.booked == {"IT": 107_143, "HR": 71_429}
    assert set(allocation.rounding_excess.values()) == {0}
    assert set(allocation.total_rounding_excess.values()) == {0}


def test_the_receivers_amounts_can_force_flows_beyond_two_ore() -> None:
    """Why no fixed bound holds for the flows: A (3 500 öre) gives B 0.4 and 11 receivers
    R01..R11 0.6/11 each; B (1 000) gives A 0.1 and S01..S11 0.9/11 each. T_A = 3 750 and
    T_B = 2 500 exactly, A -> B 1 500 and B -> A 250; each of the 22 receivers gets 2 250 / 11
    = 204 6/11. Twelve öre of remainders, 22 equal remainders: by id, R01..R11 and S01 get
    205. A's receivers then get 11 x 5/11 = 5 öre more than exact, so A passes 5 öre less to
    B than exact, net: (A -> B) - (B -> A) = 3 500 - 11 x 205 = 1 245 instead of 1 250. However
    that is split between the two flows, one is at least 3 öre off."""
    shares: dict[tuple[str, str], Fraction] = {
        ("A", "B"): Fraction("0.4"),
        ("B", "A"): Fraction("0.1"),
    }
    for n in range(1, 12):
        shares[("A", f"R{n:02d}")] = Fraction("0.6") / 11
        shares[("B", f"S{n:02d}")] = Fraction("0.9") / 11
    allocation = allocate_reciprocal({"A": 3_500, "B": 1_000}, shares)
    assert allocation.solution.totals == {"A": 3_750, "B": 2_500}
    assert {amount for (_, r), amount in allocation.external.items() if r[0] == "R"} == {205}
    assert sorted(a for (_, r), a in allocation.external.items() if r[0] == "S") == [204] * 10 + [
        205
    ]
    given = allocation.amounts[("A", "B")], allocation.amounts[("B", "A")]
    assert given[0] - given[1] == 1_245
    assert given == (1_498, 253)  # 2 and 3 öre off: the smallest largest excess there is
    assert max(allocation.rounding_excess.values()) == 3
    assert allocation.booked == {"A": 3_753, "B": 2_498}
    assert allocation.total_rounding_excess == {"A": 3, "B": 2}


def test_round_exact_is_largest_remainder_on_the_sum() -> None:
    values = {"a": Fraction(7, 3), "b": Fraction(7, 3), "c": Fraction(4, 3)}  # sum 6
    assert (
        round_exact(values)
        == largest_remainder(6, sorted(values.items()))
        == {"a": 3, "b": 2, "c": 1}
    )
    # a sum of 0 (credits and costs): the same rule, no division by the sum
    assert round_exact({"a": Fraction(5, 2), "b": Fraction(-5, 2)}) == {"a": 3, "b": -3}
    with pytest.raises(ValueError, match="not to a whole number"):
        round_exact({"a": Fraction(1, 2)})


def test_shares_must_pass_everything_on() -> None:
    with pytest.raises(ValueError, match="the shares of A sum to 0.9"):
        allocate_reciprocal({"A": 100, "B": 100}, {("A", "B"): Fraction("0.9"), ("B", "X"): 1})


def test_services_that_do_not_use_each_other_are_separate_groups() -> None:
    """A and B both give to X but not to each other: each passes on its own 10 öre (X gets
    3 1/3 + 6 2/3 rounded separately: 3 and 7), not one group's rounding of 10."""
    shares = {
        ("A", "X"): Fraction(1, 3),
        ("A", "Y"): Fraction(2, 3),
        ("B", "X"): Fraction(2, 3),
        ("B", "Y"): Fraction(1, 3),
    }
    allocation = allocate_reciprocal({"A": 10, "B": 10}, shares)
    assert allocation.group == {"A": "A", "B": "B"}
    assert allocation.external == {("A", "X"): 3, ("A", "Y"): 7, ("B", "X"): 7, ("B", "Y"): 3}


@st.composite
def booked_groups(draw: st.DrawFn) -> tuple[dict[str, int], dict[tuple[str, str], Fraction]]:
    """A pair or a group of three that use each other, and 1-4 ordinary receivers, some
    served by several of them; available amounts of either sign, small (many remainders and
    ties) or large; shares on a grid of 1/20 or 12 decimals (as delivered)."""
    n = draw(st.integers(2, 3))
    names = [f"S{i}" for i in range(n)]
    outside = [f"R{i}" for i in range(draw(st.integers(1, 4)))]
    amounts = st.one_of(st.integers(-2_000, 20_000), st.integers(-(10**9), 10**10))
    available = {s: draw(amounts) for s in names}
    grid = draw(st.sampled_from([20, 10**12]))
    shares: dict[tuple[str, str], Fraction] = {}
    for giver in names:
        others = [r for r in names if r != giver]
        served = draw(
            st.lists(st.sampled_from(outside), min_size=1, max_size=len(outside), unique=True)
        )
        # at most half to the others of the group (so the system is regular), at least one
        # grid step to each (they all use each other); in units of 1/grid, summing to 1
        inside = draw(st.integers(len(others), grid // 2))
        inside_units = largest_remainder(
            inside - len(others), [(r, draw(st.integers(1, 10))) for r in others]
        )
        outside_units = largest_remainder(
            grid - inside, [(r, draw(st.integers(1, 10))) for r in served]
        )
        for receiver in others:
            shares[(giver, receiver)] = Fraction(inside_units[receiver] + 1, grid)
        for receiver in served:
            shares[(giver, receiver)] = Fraction(outside_units[receiver], grid)
    return available, {k: v for k, v in shares.items() if v}


def _band_flow_exists(allocation: ReciprocalAllocation, available: dict[str, int]) -> bool:
    """A deliberate second implementation of "can every flow and booked total be its exact
    value rounded down or up, with the receivers' amounts fixed": brute force."""
    pairs = sorted(allocation.exact)
    choices = [sorted({floor(allocation.exact[p]), ceil(allocation.exact[p])}) for p in pairs]
    members = set(available)
    for flow in itertools.product(*choices):
        amount = dict(zip(pairs, flow, strict=True))
        received = {s: sum(a for (_, r), a in amount.items() if r == s) for s in members}
        passed = {s: sum(a for (g, _), a in amount.items() if g == s) for s in members}
        to_outside: dict[tuple[str, str], int] = {}
        for (g, r), a in amount.items():
            if r not in members:
                key = (allocation.group[g], r)
                to_outside[key] = to_outside.get(key, 0) + a
        if (
            to_outside == allocation.external
            and all(available[s] + received[s] == passed[s] for s in members)
            and all(
                excess_over_band(allocation.solution.totals[s], available[s] + received[s]) == 0
                for s in members
            )
        ):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(group=booked_groups())
def test_booked_flows_are_exact_per_receiver_and_net_to_zero(
    group: tuple[dict[str, int], dict[tuple[str, str], Fraction]],
) -> None:
    available, shares = group
    allocation = allocate_reciprocal(available, shares)
    members = set(available)
    totals = allocation.solution.totals
    # every receiver's amount from the group = its exact amount rounded by largest remainder
    exact_outside: dict[tuple[str, str], Fraction] = {}
    for (giver, receiver), value in allocation.exact.items():
        assert value == shares[(giver, receiver)] * totals[giver]
        if receiver not in members:
            key = (allocation.group[giver], receiver)
            exact_outside[key] = exact_outside.get(key, Fraction(0)) + value
    assert allocation.external == round_exact(exact_outside)
    pool = sum(available.values())  # one group: all are connected through their shares
    assert set(allocation.group.values()) == {min(members)}
    if pool:
        assert allocation.external == largest_remainder(pool, sorted(exact_outside.items()))
    # the flows add up to the receivers' amounts, nothing created or lost
    for (group_id, receiver), amount in allocation.external.items():
        assert amount == sum(a for (g, r), a in allocation.amounts.items() if r == receiver), (
            group_id
        )
    assert sum(allocation.external.values()) == pool
    # every service nets to zero exactly: available + received = booked total = passed on
    for s in members:
        received = sum(a for (_, r), a in allocation.amounts.items() if r == s)
        passed = sum(a for (g, _), a in allocation.amounts.items() if g == s)
        assert available[s] + received == allocation.booked[s] == passed
    # each flow and booked total within one öre beyond its rounding band, as stated
    for pair, value in allocation.exact.items():
        excess = allocation.rounding_excess[pair]
        assert excess == excess_over_band(value, allocation.amounts[pair])
        assert abs(allocation.amounts[pair] - value) < 1 + excess
    for s in members:
        excess = allocation.total_rounding_excess[s]
        assert abs(allocation.booked[s] - totals[s]) < 1 + excess
    # and within the band whenever the receivers' amounts admit it (brute force, small cases)
    fractional = sum(value.denominator != 1 for value in allocation.exact.values())
    if fractional <= 12:
        beyond = any(allocation.rounding_excess.values()) or any(
            allocation.total_rounding_excess.values()
        )
        assert beyond == (not _band_flow_exists(allocation, available))
