"""Largest-remainder rounding: the one Python implementation, the same rule as the dbt macro.

Every Python caller (the explanation, the reciprocal solver, what-if, the demo generator, test
fixtures) splits an integer with `largest_remainder` or `split_in_order` from here; the dbt
macro `largest_remainder` (dbt_project/macros/largest_remainder.sql) is the same rule in SQL,
and tests/allocation/test_largest_remainder_sql.py runs both on random inputs through DuckDB.
Only deliberate second implementations (the benchmark's baselines in bench/, the demo's
oracle) round on their own, and say so in their first line.

The rule, for an integer pool P over weights w_i with total W != 0, in exact arithmetic:

    floor_i = floor(P * w_i / W)                (toward minus infinity, so credits split too)
    k       = P - sum(floor_i)                  (0 <= k < number of weights)
    the k weights with the largest fractional part of P * w_i / W get one more;
    ties: the lower key first (the macro's `tie_breaker asc`; in `split_in_order` the key is
    the position, so the earlier weight first).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from decimal import Decimal
from fractions import Fraction
from math import floor, lcm
from numbers import Integral
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
# A weight is taken at its exact value: a float as the binary fraction it holds (no float
# arithmetic happens here), a Decimal as its decimal fraction. Money is never a weight's type
# problem: the pool is an integer (öre, kronor, share units).
Weight = int | Fraction | Decimal | float


def round_half_away(value: Fraction) -> int:
    """The nearest integer, halves away from zero (2.5 -> 3, -2.5 -> -3)."""
    magnitude = floor(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def _as_integers(weights: Sequence[Weight]) -> list[int]:
    """The same proportions as integers: scaled by the common denominator, exactly."""
    if all(type(w) is int for w in weights):
        return list(weights)  # type: ignore[arg-type]
    fractions = [w if isinstance(w, Fraction) else Fraction(w) for w in weights]
    denominator = lcm(*(f.denominator for f in fractions))
    return [f.numerator * (denominator // f.denominator) for f in fractions]


def largest_remainder(pool: int, weights: Sequence[tuple[K, Weight]]) -> dict[K, int]:
    """Split the integer `pool` over `weights` (key, weight) exactly (see the module docstring).

    Keys must be unique: they break ties (ascending, as the SQL macro's `tie_breaker`).
    Weights may have mixed signs as long as their total W is not zero (n and W are then both
    negated, which leaves each ratio unchanged). Zero weights get zero. The result sums to
    `pool`.
    """
    if not isinstance(pool, Integral) or isinstance(pool, bool):
        raise TypeError(f"the pool must be an integer (öre, kronor, units), not {pool!r}")
    pool = int(pool)
    if not weights:
        if pool:
            raise ValueError(f"nothing to split {pool} over")
        return {}
    keys = [key for key, _ in weights]
    if len(set(keys)) != len(keys):
        raise ValueError("largest_remainder needs unique keys: they break the ties")
    integer = _as_integers([w for _, w in weights])
    total = sum(integer)
    if total == 0:
        raise ValueError("the weights sum to zero: no proportion to split by")
    sign = -1 if total < 0 else 1
    total *= sign
    floors: dict[K, int] = {}
    remainders: list[tuple[int, K]] = []
    for key, w in zip(keys, integer, strict=True):
        whole, rest = divmod(pool * w * sign, total)  # Python's divmod floors, 0 <= rest < total
        floors[key] = whole
        remainders.append((rest, key))
    leftover = pool - sum(floors.values())
    if leftover:
        remainders.sort(key=lambda item: (-item[0], item[1]))  # type: ignore[operator]
        for _, key in remainders[:leftover]:
            floors[key] += 1
    return floors


def split_in_order(pool: int, weights: Sequence[Weight]) -> list[int]:
    """`largest_remainder` over a list: the key of each weight is its position, so ties go to
    the earlier weight. For callers whose rows are already in tie-break order (sorted by code)
    or that have no keys (months, posting kinds)."""
    split = largest_remainder(pool, list(enumerate(weights)))
    return [split[i] for i in range(len(weights))]
