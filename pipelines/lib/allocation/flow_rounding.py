"""Integer flows nearest to an exact (fractional) flow, for given integer node supplies.

`round_flow` is the rounding step of the reciprocal allocation (reciprocal.allocate_reciprocal):
the exact flows between reciprocal support services and to ordinary services are rationals, the
booked ones must be whole öre that still balance at every service to the öre.

Given edges (tail, head, exact x_e) and integer supplies b_v, it returns integers y_e with

    sum of y_e leaving v - sum of y_e entering v = b_v        for every node v

that minimise, in this order:

1. the excess of the flows over their rounding band: excess_e = how far y_e lies outside
   [floor x_e, ceil x_e] (0 when y_e is x_e rounded down or up). Compared lexicographically
   from the top: first the largest excess, then how many edges have it, then the next level,
   and so on. So whenever some integer flow meets the supplies with every edge rounded down or
   up, every edge of the result is (|y_e - x_e| < 1); when none does, the largest excess is as
   small as it can be, and |y_e - x_e| < 1 + excess_e on every edge.
2. sum |y_e - x_e|: among those, the flow nearest to the exact one.

When x itself meets the supplies, the integral flow theorem guarantees a flow within the band
(Ahuja, Magnanti & Orlin, Network Flows, 1993, the integrality property), so every excess is 0.

Algorithm: successive shortest paths for convex separable costs (ibid., ch. 9 and 14.2). Every
edge starts at its nearest integer (each edge at its own minimum, so no cycle of the residual
network has a negative cost); then one unit at a time moves from a node with too much to the
nearest node with too little along a cheapest path (Dijkstra on reduced costs, potentials
kept up to date), which keeps the flow optimal for the supplies met so far. Costs are exact
integer pairs compared lexicographically: P = sum over edges of B + B^2 + ... + B^excess_e
with B = number of edges + 1 (a number whose base-B digits count the edges at each excess
level, so comparing P compares the excess profile), then Q = sum |y_e - x_e| in units of one
over the exact flows' common denominator.
Deterministic: nodes are taken in sorted order, ties in Dijkstra broken by node order, edges in
the order given.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from math import ceil, floor, lcm
from typing import Any, Protocol, TypeVar


class _Node(Hashable, Protocol):
    """A node: hashable and sortable (the order breaks ties)."""

    def __lt__(self, other: Any, /) -> bool: ...


N = TypeVar("N", bound=_Node)
# (excess profile P, distance Q in units of 1 / the exact flows' common denominator),
# compared lexicographically; integers, which keeps the search fast
Cost = tuple[int, int]

ZERO: Cost = (0, 0)


def excess_over_band(exact: Fraction, value: int) -> int:
    """How far `value` lies outside [floor(exact), ceil(exact)] (0 when inside)."""
    return max(0, floor(exact) - value, value - ceil(exact))


def _add(a: Cost, b: Cost) -> Cost:
    return (a[0] + b[0], a[1] + b[1])


def _sub(a: Cost, b: Cost) -> Cost:
    return (a[0] - b[0], a[1] - b[1])


def round_flow(edges: Sequence[tuple[N, N, Fraction]], supply: Mapping[N, int]) -> list[int]:
    """Integer flows y_e, one per edge (tail, head, exact), meeting `supply` at every node.

    `supply[v]` is what node v sends out net (negative: what it takes in); nodes absent from
    `supply` have 0. The supplies of every connected part of the network must sum to 0, else
    there is no such flow (ValueError). Nodes must be sortable (the order breaks ties).
    """
    nodes = sorted({v for tail, head, _ in edges for v in (tail, head)} | set(supply))
    index = {v: n for n, v in enumerate(nodes)}
    base = len(edges) + 1
    exact = [Fraction(x) for _, _, x in edges]
    unit = lcm(*(x.denominator for x in exact)) if exact else 1
    scaled = [x.numerator * (unit // x.denominator) for x in exact]  # x_e x unit, exact
    low = [floor(x) for x in exact]
    high = [ceil(x) for x in exact]
    tails = [index[tail] for tail, _, _ in edges]
    heads = [index[head] for _, head, _ in edges]

    def cost(e: int, value: int) -> Cost:
        level = max(0, low[e] - value, value - high[e])
        return (base * (base**level - 1) // (base - 1), abs(value * unit - scaled[e]))

    # arcs leaving each node: (edge, +1) increases the edge's flow (tail -> head),
    # (edge, -1) decreases it (head -> tail)
    arcs: list[list[tuple[int, int]]] = [[] for _ in nodes]
    for e in range(len(edges)):
        arcs[tails[e]].append((e, 1))
        arcs[heads[e]].append((e, -1))

    flow = [floor(x + Fraction(1, 2)) for x in exact]  # each edge at its own minimum
    excess = [supply.get(v, 0) for v in nodes]  # what each node still has to send out
    for e, value in enumerate(flow):
        excess[tails[e]] -= value
        excess[heads[e]] += value
    potential: list[Cost] = [ZERO for _ in nodes]

    while True:
        source = next((v for v in range(len(nodes)) if excess[v] > 0), None)
        if source is None:
            break
        dist: dict[int, Cost] = {source: ZERO}
        via: dict[int, tuple[int, int]] = {}
        done: set[int] = set()
        heap: list[tuple[Cost, int]] = [(ZERO, source)]
        target = None
        while heap:
            d, u = heapq.heappop(heap)
            if u in done:
                continue
            done.add(u)
            if excess[u] < 0:
                target = u
                break
            for e, step in arcs[u]:
                v = heads[e] if step == 1 else tails[e]
                if v in done:
                    continue
                reduced = _add(
                    _sub(cost(e, flow[e] + step), cost(e, flow[e])),
                    _sub(potential[u], potential[v]),
                )
                candidate = _add(d, reduced)
                if v not in dist or candidate < dist[v]:
                    dist[v] = candidate
                    via[v] = (e, step)
                    heapq.heappush(heap, (candidate, v))
        if target is None:
            raise ValueError(
                f"no integer flow meets the supplies: {nodes[source]} cannot pass on "
                f"{excess[source]} to any node that lacks it (the supplies of a connected "
                "part of the network do not sum to 0)"
            )
        # potentials: shortest distances, capped at the target's, keep reduced costs >= 0
        reach = dist[target]
        for v in range(len(nodes)):
            potential[v] = _add(potential[v], dist[v] if v in done else reach)
        v = target
        while v != source:
            e, step = via[v]
            flow[e] += step
            v = tails[e] if step == 1 else heads[e]
        excess[source] -= 1
        excess[target] += 1
    return flow
