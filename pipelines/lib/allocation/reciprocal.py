"""Exact solution of reciprocal support services: services that consume each other.

A reciprocal support service j passes on its total cost T_j, which is what it has itself
(`available`: its own ledger cost plus what earlier step-down steps gave it) plus its shares of
the other reciprocal services' totals:

    T_j = available_j + sum_i share(i -> j) * T_i        (x = d + S x, solved as (I - S) x = d)

Solved exactly with Fractions (Gauss-Jordan), so the exact solution has no residual at all.

`allocate_reciprocal` books it to the öre. The exact flows are F(i -> r) = share(i -> r) x T_i,
to the other reciprocal services and to ordinary services ("external" receivers). Per group
(the services connected by shares between them) and month:

1. what each external receiver gets from the group, summed over the givers, is its exact
   amount rounded by largest remainder over the group's external receivers (the pool is the
   sum of the available amounts, an integer: the group passes on exactly what it had);
2. the flows from each giver to each receiver, and between the group's services, are integers
   that add up to those amounts and net every service to zero exactly (available + received =
   passed on = its booked total), chosen by `flow_rounding.round_flow` as near the exact flows
   as those amounts allow: every flow, and every booked total, is its exact value rounded down
   or up whenever the receivers' amounts admit that (`rounding_excess` 0, the normal case),
   and otherwise goes beyond by the smallest possible excess (|booked - exact| < 1 + excess).

Step 1 alone fixes the amounts, so no fixed bound holds for the flows: a giver whose own
receivers were all rounded up by the group's largest remainder must give that much less to the
other services of the group (tests/allocation/test_reciprocal.py: a pair whose 22 receivers
tie is forced 3 öre off). The bound that always holds is the one stated: within one öre of
exact whenever possible, else the smallest excess possible, reported per flow and total.

`trace_origins` answers the explanation's question for any chain of support services (step-down
and reciprocal alike): which part of a support service's booked total comes from which support
service's own ledger cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import TypeVar

from pipelines.lib.allocation.flow_rounding import excess_over_band, round_flow
from pipelines.lib.allocation.largest_remainder import largest_remainder

Number = int | Fraction | Decimal
Key = TypeVar("Key", str, tuple[str, str])  # a service, or a (group, service) pair


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
    """Exact totals of a group of reciprocal services."""

    available: dict[str, Fraction]
    shares: dict[tuple[str, str], Fraction]  # (giver, receiver) -> share, within the group
    totals: dict[str, Fraction]

    def residuals(self, totals: Mapping[str, Number]) -> dict[str, Fraction]:
        """T_j - available_j - sum_i share(i -> j) T_i for the given totals (e.g. booked)."""
        values = {k: _fraction(v) for k, v in totals.items()}
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
    return ReciprocalSolution(
        available={s: _fraction(available[s]) for s in services},
        shares=inside,
        totals=dict(zip(services, solved, strict=True)),
    )


def exact_decimal(value: Fraction, scale: int) -> Decimal:
    """An exact value shown as a Decimal to `scale` decimals, rounded once (half even)."""
    return Decimal(round(value * 10**scale)).scaleb(-scale)


def reciprocal_shares(
    rows: Iterable[tuple[int, str, str, Number, int]],
) -> tuple[dict[int, dict[str, int]], dict[int, dict[tuple[str, str], Fraction]]]:
    """support_allocations rows of method 'reciprocal' (fiscal_year, support_service_id,
    receiving_service_id, share, step_order) as (year -> service -> step_order, year ->
    (giver, receiver) -> share): the reciprocal services of each year are the givers."""
    step_orders: dict[int, dict[str, int]] = {}
    shares: dict[int, dict[tuple[str, str], Fraction]] = {}
    for year, giver, receiver, share, step_order in rows:
        step_orders.setdefault(year, {})[giver] = step_order
        shares.setdefault(year, {})[(giver, receiver)] = _fraction(share)
    return step_orders, shares


def round_exact(values: Mapping[Key, Fraction]) -> dict[Key, int]:
    """Exact amounts whose sum is an integer, each rounded down or up by largest remainder.

    The sum's worth of fractional parts, k, goes as one öre each to the k amounts with the
    largest fractional part, ties by key ascending: `largest_remainder` splitting k over the
    fractional parts. This is largest_remainder(sum, values) itself (floor(sum x v / sum) = v
    floored, the same remainders) without dividing by the sum, which may be 0.
    """
    floors = {key: floor(value) for key, value in values.items()}
    leftover = sum(values.values(), Fraction(0)) - sum(floors.values())
    if leftover.denominator != 1:
        raise ValueError(f"the amounts sum to {sum(values.values())}, not to a whole number")
    if not leftover:
        return floors
    extra = largest_remainder(
        int(leftover), sorted((key, value - floors[key]) for key, value in values.items())
    )
    return {key: floors[key] + extra[key] for key in floors}


@dataclass(frozen=True)
class ReciprocalAllocation:
    """A month of reciprocal support services booked to the öre (`allocate_reciprocal`).

    Flows are keyed (giver, receiver); receivers are other services of the group or ordinary
    ("external") services. rounding_excess: how far a booked value lies beyond its exact value
    rounded down or up (0 normally; |booked - exact| < 1 + rounding_excess always).
    """

    solution: ReciprocalSolution
    group: dict[str, str]  # service -> its group (the group's first service id)
    exact: dict[tuple[str, str], Fraction]
    amounts: dict[tuple[str, str], int]
    rounding_excess: dict[tuple[str, str], int]
    booked: dict[str, int]  # available + received = passed on
    total_rounding_excess: dict[str, int]
    external: dict[tuple[str, str], int]  # (group, external receiver) -> amount from the group


def allocate_reciprocal(
    available: Mapping[str, int], shares: Mapping[tuple[str, str], Number]
) -> ReciprocalAllocation:
    """The reciprocal services in `available` solved exactly and booked to the öre.

    `shares` maps (giver, receiver) to the receiver's share of the giver's total, for the
    services in `available` (givers outside it are ignored); each giver's shares must sum to 1.
    Groups are the services connected by shares between them; each is rounded on its own (see
    the module docstring): receivers' amounts by largest remainder, then the flows by
    `round_flow`, so each service nets to zero and each group passes on exactly what it had.
    """
    solution = solve_reciprocal(available, shares)
    members = sorted(solution.totals)
    outgoing: dict[str, dict[str, Fraction]] = {s: {} for s in members}
    for (giver, receiver), share in shares.items():
        if giver in outgoing and share:
            outgoing[giver][receiver] = _fraction(share)
    for giver, to in outgoing.items():
        if sum(to.values(), Fraction(0)) != 1:
            raise ValueError(
                f"the shares of {giver} sum to {float(sum(to.values(), Fraction(0)))}, not 1: "
                "a reciprocal service must pass on all of its cost"
            )

    # groups: services connected by shares between them (union-find, the first id as root)
    root = {s: s for s in members}

    def find(s: str) -> str:
        while root[s] != s:
            s = root[s]
        return s

    for giver in members:
        for receiver in outgoing[giver]:
            if receiver in root:
                a, b = sorted((find(giver), find(receiver)))
                root[b] = a
    group = {s: find(s) for s in members}

    exact = {
        (giver, receiver): share * solution.totals[giver]
        for giver in members
        for receiver, share in sorted(outgoing[giver].items())
    }
    amounts: dict[tuple[str, str], int] = {}
    external: dict[tuple[str, str], int] = {}
    for group_id in sorted(set(group.values())):
        inside = [s for s in members if group[s] == group_id]
        pairs = [(g, r) for (g, r) in exact if group[g] == group_id]
        to_external: dict[str, Fraction] = {}
        for giver, receiver in pairs:
            if receiver not in root:
                to_external[receiver] = (
                    to_external.get(receiver, Fraction(0)) + exact[(giver, receiver)]
                )
        received = round_exact(to_external)
        external.update({(group_id, r): amount for r, amount in received.items()})
        # The network: a service j is two nodes, "in" (what the others give it) and "out"
        # (what it passes on), joined by an edge carrying what it received, so its booked
        # total (available + received) is rounded like every flow.
        edges: list[tuple[tuple[str, str], tuple[str, str], Fraction]] = []
        for giver, receiver in pairs:
            head = ("in", receiver) if receiver in root else ("to", receiver)
            edges.append((("out", giver), head, exact[(giver, receiver)]))
        receivers_inside = sorted({r for _, r in pairs if r in root})
        for s in receivers_inside:
            edges.append((("in", s), ("out", s), solution.totals[s] - available[s]))
        supply = {("out", s): int(available[s]) for s in inside}
        supply.update({("to", r): -amount for r, amount in received.items()})
        rounded = round_flow(edges, supply)
        amounts.update(zip(pairs, rounded[: len(pairs)], strict=True))

    booked = {
        s: int(available[s]) + sum(a for (_, r), a in amounts.items() if r == s) for s in members
    }
    return ReciprocalAllocation(
        solution=solution,
        group=group,
        exact=exact,
        amounts=amounts,
        rounding_excess={pair: excess_over_band(exact[pair], amounts[pair]) for pair in exact},
        booked=booked,
        total_rounding_excess={s: excess_over_band(solution.totals[s], booked[s]) for s in members},
        external=external,
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
