"""Largest-remainder rounding in Python, the same rule as the dbt macro `largest_remainder`."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from fractions import Fraction
from math import floor, lcm
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def round_half_away(value: Fraction) -> int:
    """The nearest integer, halves away from zero (2.5 -> 3, -2.5 -> -3)."""
    magnitude = floor(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def largest_remainder(pool: int, weights: Sequence[tuple[K, Fraction | int]]) -> dict[K, int]:
    """Split the integer `pool` over `weights` (key, weight) exactly.

    floor_i = floor(pool * w_i / W); the pool - sum(floor_i) keys with the largest fractional
    part get one more, ties by key ascending (as the SQL macro: `tie_breaker asc`). Weights may
    have mixed signs as long as their total W is not zero (n and W are then both negated,
    which leaves each ratio unchanged). Zero weights get zero. The result sums to `pool`.
    """
    if not weights:
        if pool:
            raise ValueError(f"nothing to split {pool} over")
        return {}
    fractions = [(key, Fraction(w)) for key, w in weights]
    denominator = lcm(*(w.denominator for _, w in fractions))
    integer = [(key, int(w * denominator)) for key, w in fractions]
    total = sum(w for _, w in integer)
    if total == 0:
        raise ValueError("the weights sum to zero: no proportion to split by")
    sign = -1 if total < 0 else 1
    total *= sign
    floors: dict[K, int] = {}
    remainders: list[tuple[int, K]] = []
    for key, w in integer:
        numerator = pool * w * sign
        whole, rest = divmod(numerator, total)  # Python's divmod floors, 0 <= rest < total
        floors[key] = floors.get(key, 0) + whole
        remainders.append((rest, key))
    leftover = pool - sum(floors.values())
    remainders.sort(key=lambda item: (-item[0], item[1]))  # type: ignore[operator]
    for _, key in remainders[:leftover]:
        floors[key] += 1
    return floors
