"""Integer flows nearest to an exact flow (pipelines.lib.allocation.flow_rounding.round_flow).

The oracle here is a deliberate second implementation: brute force over every integer flow in
a window around the exact one, on small networks, ranked by the same objective (the excess
profile, then the distance to the exact flow)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction
from math import ceil, floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.lib.allocation import excess_over_band, round_flow

Edge = tuple[int, int, Fraction]


def _net_out(edges: list[Edge], flow: Sequence[int | Fraction], node: int) -> Fraction:
    net = Fraction(0)
    for (tail, head, _), value in zip(edges, flow, strict=True):
        net += (tail == node) * value - (head == node) * value
    return net


def _objective(edges: list[Edge], flow: list[int]) -> tuple[list[int], Fraction]:
    """The excess levels sorted from the largest (compared as a list), then sum |y - x|."""
    excess = sorted(
        (excess_over_band(x, y) for (_, _, x), y in zip(edges, flow, strict=True)), reverse=True
    )
    return excess, sum((abs(y - x) for (_, _, x), y in zip(edges, flow, strict=True)), Fraction(0))


def _brute_force(edges: list[Edge], supply: dict[int, int], window: int) -> list[int] | None:
    nodes = {v for t, h, _ in edges for v in (t, h)}
    ranges = [range(floor(x) - window, ceil(x) + window + 1) for _, _, x in edges]
    best: list[int] | None = None
    for flow in itertools.product(*ranges):
        meets = all(_net_out(edges, list(flow), v) == supply.get(v, 0) for v in nodes)
        if meets and (best is None or _objective(edges, list(flow)) < _objective(edges, best)):
            best = list(flow)
    return best


@st.composite
def networks(draw: st.DrawFn, balanced: bool) -> tuple[list[Edge], dict[int, int]]:
    """A connected network of 2-4 nodes and 2-5 edges with exact flows, and integer supplies:
    those the exact flow meets (`balanced`), or any that sum to 0."""
    n = draw(st.integers(2, 4))
    edges: list[Edge] = []
    for v in range(1, n):  # a random spanning tree keeps it connected
        u = draw(st.integers(0, v - 1))
        edges.append((u, v) if draw(st.booleans()) else (v, u))  # type: ignore[arg-type]
    for _ in range(draw(st.integers(0, 5 - (n - 1)))):
        u, v = draw(st.permutations(range(n)))[:2]
        edges.append((u, v))  # type: ignore[arg-type]
    denominator = draw(st.sampled_from([2, 3, 7, 10]))
    flows = [Fraction(draw(st.integers(-30, 30)), denominator) for _ in edges]
    full = [(t, h, x) for (t, h), x in zip(edges, flows, strict=True)]  # type: ignore[misc]
    if balanced:
        # move each node's fractional net onto the tree edge to its parent, leaves first
        order = list(range(n - 1, 0, -1))
        for v in order:
            net = _net_out(full, [x for _, _, x in full], v)
            rest = net - floor(net)
            e = v - 1  # edge v - 1 joins v to its parent
            t, h, x = full[e]
            full[e] = (t, h, x - rest) if t == v else (t, h, x + rest)
        supply = {v: int(_net_out(full, [x for _, _, x in full], v)) for v in range(n)}
    else:
        parts = [draw(st.integers(-6, 6)) for _ in range(n - 1)]
        supply = dict(enumerate([*parts, -sum(parts)]))
    return full, supply


@settings(max_examples=150, deadline=None)
@given(problem=networks(balanced=True))
def test_an_exact_flow_that_meets_the_supplies_rounds_within_one(
    problem: tuple[list[Edge], dict[int, int]],
) -> None:
    """The integral flow theorem: every edge rounded down or up, and the nearest such flow."""
    edges, supply = problem
    flow = round_flow(edges, supply)
    nodes = {v for t, h, _ in edges for v in (t, h)}
    assert all(_net_out(edges, flow, v) == supply.get(v, 0) for v in nodes)
    assert all(excess_over_band(x, y) == 0 for (_, _, x), y in zip(edges, flow, strict=True))
    best = _brute_force(edges, supply, window=0)
    assert best is not None and _objective(edges, flow) == _objective(edges, best)


@settings(max_examples=150, deadline=None)
@given(problem=networks(balanced=False))
def test_any_supplies_give_the_smallest_excess(
    problem: tuple[list[Edge], dict[int, int]],
) -> None:
    """Supplies far from the exact flow: the result meets them with the smallest excess profile
    and then the smallest distance (brute force within 2 öre beyond the band: when the result
    lies further out, no flow within that window exists)."""
    edges, supply = problem
    flow = round_flow(edges, supply)
    nodes = {v for t, h, _ in edges for v in (t, h)}
    assert all(_net_out(edges, flow, v) == supply.get(v, 0) for v in nodes)
    best = _brute_force(edges, supply, window=2)
    if max(_objective(edges, flow)[0]) <= 2:
        assert best is not None and _objective(edges, flow) == _objective(edges, best)
    else:
        assert best is None


def test_a_cycle_takes_the_nearest_rounding_within_the_band() -> None:
    """a -> b -> c -> a with exact flows 0.4, 1 and 0.4 and no supplies: the booked flows go
    round the cycle, so they are all equal. All 1 keeps every flow within its band (distance
    0.6 + 0 + 0.6); all 0 would take b -> c a whole öre below its exact 1."""
    edges = [("a", "b", Fraction(2, 5)), ("b", "c", Fraction(1)), ("c", "a", Fraction(2, 5))]
    assert round_flow(edges, {}) == [1, 1, 1]
    # a sends one öre net to c: a -> b -> c carries one more than c -> a
    assert round_flow(edges, {"a": 1, "c": -1}) == [1, 1, 0]


def test_no_flow_between_disconnected_parts() -> None:
    with pytest.raises(ValueError, match="do not sum to 0"):
        round_flow([("a", "b", Fraction(1, 2)), ("c", "d", Fraction(1, 2))], {"a": 1, "d": -1})


def test_deterministic() -> None:
    edges = [(u, v, Fraction(1, 2)) for u, v in itertools.permutations("abcd", 2)]
    supply = {"a": 2, "b": -1, "c": 1, "d": -2}
    first = round_flow(edges, supply)
    assert all(round_flow(edges, supply) == first for _ in range(5))
