"""The exact reciprocal solver and the origin tracing (pipelines.lib.allocation.reciprocal)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.lib.allocation import (
    SingularSystemError,
    largest_remainder,
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
    """The case of the dbt unit test `reciprocal_pair_solved_by_hand`, by hand:
    T_IT = 100 000 + 0.1 T_HR and T_HR = 50 000 + 0.2 T_IT, so
    T_IT = (100 000 + 0.1 x 50 000) / (1 - 0.02) = 105 000 / 0.98 = 750 000 / 7 öre and
    T_HR = 50 000 + 0.2 x 750 000 / 7 = 500 000 / 7 öre; booked 107 143 and 71 429 öre, with
    residuals 0.1 and 0.4 öre."""
    solution = solve_reciprocal({"IT": 100_000, "HR": 50_000}, HAND_SHARES)
    assert solution.totals == {"IT": Fraction(750_000, 7), "HR": Fraction(500_000, 7)}
    assert solution.booked == {"IT": 107_143, "HR": 71_429}
    assert solution.residuals(solution.totals) == {"IT": 0, "HR": 0}  # exact
    assert solution.residuals() == {"IT": Fraction(1, 10), "HR": Fraction(2, 5)}
    # what the pair passes on outside the group is what it had, 150 000 öre
    outside = sum(
        solution.totals[giver] * share
        for (giver, receiver), share in HAND_SHARES.items()
        if receiver not in solution.totals
    )
    assert outside == 150_000


def test_shares_as_decimals_from_the_warehouse() -> None:
    shares = {k: Decimal(str(float(v))) for k, v in HAND_SHARES.items()}
    assert solve_reciprocal({"IT": 100_000, "HR": 50_000}, shares).booked == {
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
def test_solution_is_exact_and_booked_totals_are_within_one_ore(
    group: tuple[dict[str, int], dict[tuple[str, str], Fraction]],
) -> None:
    available, shares = group
    solution = solve_reciprocal(available, shares)
    # exact: no residual at all
    assert all(r == 0 for r in solution.residuals(solution.totals).values())
    # booked = exact rounded to the öre; the booked totals satisfy the system within 1 öre
    for s, total in solution.totals.items():
        assert abs(solution.booked[s] - total) <= Fraction(1, 2)
    assert all(abs(r) < 1 for r in solution.residuals().values())
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
