"""Exact solution of reciprocal support services: services that consume each other.

A reciprocal support service j passes on its total cost T_j, which is what it has itself
(`available`: its own ledger cost plus what earlier step-down steps gave it) plus its shares of
the other reciprocal services' totals:

    T_j = available_j + sum_i share(i -> j) * T_i        (x = d + S x, solved as (I - S) x = d)

Solved exactly with Fractions (Gauss-Jordan), so the exact solution has no residual at all.
The engine books T rounded to the öre (halves away from zero); `ReciprocalSolution.residuals`
measures how far the booked totals are from satisfying the system (below one öre for any
group whose incoming shares sum to less than one, which the dbt test checks on every month).

`trace_origins` answers the explanation's question for any chain of support services (step-down
and reciprocal alike): which part of a support service's booked total comes from which support
service's own ledger cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from pipelines.lib.allocation.largest_remainder import round_half_away

Number = int | Fraction | Decimal


class SingularSystemError(ValueError):
    """The system has no unique solution (e.g. services that only serve each other)."""


def _fraction(value: Number) -> Fraction:
    return Fraction(value) if not isinstance(value, Decimal) else Fraction(str(value))


def solve_linear(matrix: Sequence[Sequence[Number]], rhs: Sequence[Number]) -> list[Fraction]:
    """x with matrix @ x = rhs, exactly (Gauss-Jordan on Fractions)."""
    n = len(rhs)
    if any(len(row) != n for row in matrix) or len(matrix) != n:
        raise ValueError(f"expected a square {n} x {n} matrix")
    a = [[_fraction(v) for v in row] + [_fraction(rhs[i])] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if a[r][col] != 0), None)
        if pivot is None:
            raise SingularSystemError(f"the system is singular (column {col} has no pivot)")
        a[col], a[pivot] = a[pivot], a[col]
        head = a[col][col]
        a[col] = [v / head for v in a[col]]
        for r in range(n):
            if r != col and a[r][col] != 0:
                factor = a[r][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[i][n] for i in range(n)]


@dataclass(frozen=True)
class ReciprocalSolution:
    """Exact totals of a group of reciprocal services and the totals booked (öre)."""

    available: dict[str, Fraction]
    shares: dict[tuple[str, str], Fraction]  # (giver, receiver) -> share, within the group
    totals: dict[str, Fraction]
    booked: dict[str, int]

    def residuals(self, totals: Mapping[str, Number] | None = None) -> dict[str, Fraction]:
        """T_j - available_j - sum_i share(i -> j) T_i for the given (default: booked) totals."""
        values = {k: _fraction(v) for k, v in (totals or self.booked).items()}
        return {
            j: values[j]
            - self.available[j]
            - sum((s * values[i] for (i, r), s in self.shares.items() if r == j), Fraction(0))
            for j in self.available
        }


def solve_reciprocal(
    available: Mapping[str, Number], shares: Mapping[tuple[str, str], Number]
) -> ReciprocalSolution:
    """Solve T_j = available_j + sum_i shares[(i, j)] T_i for the services in `available`.

    `shares` maps (giver, receiver) to the receiver's share of the giver's total; pairs whose
    giver or receiver is not in `available` are ignored (those shares go to ordinary services
    and do not feed back). Raises SingularSystemError when the group has no unique solution.
    """
    services = sorted(available)
    index = {s: n for n, s in enumerate(services)}
    inside = {
        (giver, receiver): _fraction(share)
        for (giver, receiver), share in shares.items()
        if giver in index and receiver in index and share
    }
    for (giver, receiver), _ in inside.items():
        if giver == receiver:
            raise ValueError(f"{giver} allocates to itself")
    # (I - S) T = d, where S[j][i] = share(i -> j).
    matrix: list[list[Fraction]] = [[Fraction(int(j == i)) for i in services] for j in services]
    for (giver, receiver), share in inside.items():
        matrix[index[receiver]][index[giver]] -= share
    rhs = [_fraction(available[s]) for s in services]
    try:
        solved = solve_linear(matrix, rhs)
    except SingularSystemError as error:
        raise SingularSystemError(
            f"reciprocal services {', '.join(services)} have no unique solution: they pass "
            "everything on to each other and nothing to other services; correct their shares"
        ) from error
    totals = dict(zip(services, solved, strict=True))
    return ReciprocalSolution(
        available={s: _fraction(available[s]) for s in services},
        shares=inside,
        totals=totals,
        booked={s: round_half_away(t) for s, t in totals.items()},
    )


def trace_origins(
    direct: Mapping[str, Number], flows: Mapping[tuple[str, str], Number]
) -> dict[str, dict[str, Fraction]]:
    """Which fraction of each support service's total comes from which one's own cost.

    `direct`: each support service's own (ledger) cost; `flows`: (giver, receiver) -> amount
    booked between support services. A service's total is direct + what it received, and
    everything it passes on has the same composition as its total:

        total_j c_j = direct_j e_j + sum_i flow(i -> j) c_i

    Returns origin fractions per service (each sums to 1; empty for a zero total, which passes
    nothing on). Exact, for step-down chains and reciprocal groups alike.
    """
    services = sorted(set(direct) | {s for pair in flows for s in pair})
    index = {s: n for n, s in enumerate(services)}
    own = {s: _fraction(direct.get(s, 0)) for s in services}
    received = {s: Fraction(0) for s in services}
    for (_, receiver), amount in flows.items():
        received[receiver] += _fraction(amount)
    totals = {s: own[s] + received[s] for s in services}
    # A zero total passes nothing on: its row is the identity so the system stays regular.
    matrix: list[list[Fraction]] = []
    for j in services:
        row = [Fraction(0)] * len(services)
        row[index[j]] = totals[j] if totals[j] != 0 else Fraction(1)
        if totals[j] != 0:
            for (giver, receiver), amount in flows.items():
                if receiver == j:
                    row[index[giver]] -= _fraction(amount)
        matrix.append(row)
    result: dict[str, dict[str, Fraction]] = {s: {} for s in services}
    for k in services:
        rhs = [own[k] if (j == k and totals[j] != 0) else Fraction(0) for j in services]
        column = solve_linear(matrix, rhs)
        for j, value in zip(services, column, strict=True):
            if totals[j] != 0 and value != 0:
                result[j][k] = value
    return result
