"""Property tests of the engine's largest-remainder SQL (the dbt macro, run on DuckDB).

The macro `largest_remainder` (dbt_project/macros/largest_remainder.sql) is rendered with Jinja
exactly as dbt renders it, and run on random pools and weights: every partition's amounts sum
to its pool, the result does not depend on the order of the rows, each amount is the floor or
the ceiling of its exact share, and it equals the one Python implementation
(pipelines.lib.allocation.largest_remainder), which every Python caller imports (explanation,
reciprocal solver, what-if, demo generator, test fixtures): the same outputs for the same
inputs, ties included, whatever the keys (codes with å, ä, ö; numbers; positions) and whatever
the weights' type (integers, fractions, decimals, floats taken at their exact value).
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from functools import cache
from math import floor, lcm

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.lib.allocation import largest_remainder, split_in_order
from tests.dbt_macros import SPLIT_MACROS, render


@cache
def render_split(relation: str, *, total: str | None = None) -> str:
    """The macro call as dbt renders it."""
    return render(
        "select * from {{ largest_remainder(relation, partition_by='pid', pool='pool',"
        " weight='w', tie_breaker='k'" + (", total='total_w'" if total else "") + ") }}",
        SPLIT_MACROS,
        relation=relation,
    )


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


# A pool: (pool in öre, [(key, weight)]). Keys unique within a pool. Pools reach 10^12 öre and
# weights 10^13 so that products pass 10^24 (HUGEINT, and the double estimate's limits).
pool_values = st.one_of(
    st.integers(-(10**6), 10**6), st.integers(-(10**12), 10**12), st.sampled_from([0, 1, -1])
)
positive_weights = st.one_of(st.integers(1, 10), st.integers(1, 10**13))
pools = st.tuples(
    pool_values,
    st.lists(positive_weights, min_size=1, max_size=12),
)


def _rows(problems: list[tuple[int, list[int]]]) -> list[tuple[int, str, int, int]]:
    return [
        (pid, f"K{n:03d}", pool, w)
        for pid, (pool, weights) in enumerate(problems)
        for n, w in enumerate(weights)
    ]


def _run(
    con: duckdb.DuckDBPyConnection,
    rows: list[tuple[int, str, int, int]],
    *,
    with_total: bool = False,
) -> dict[tuple[int, str], int]:
    con.execute("create or replace temp table t (pid integer, k varchar, pool hugeint, w hugeint)")
    if rows:
        con.executemany("insert into t values (?, ?, ?, ?)", rows)
    relation = "t"
    if with_total:
        con.execute(
            "create or replace temp table tt as"
            " select *, sum(w) over (partition by pid) as total_w from t"
        )
        relation = "tt"
    result = con.execute(render_split(relation, total="total_w" if with_total else None))
    return {(pid, k): int(amount) for pid, k, *_, amount in result.fetchall()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems=st.lists(pools, min_size=1, max_size=6), seed=st.integers(0, 2**32 - 1))
def test_sql_split_conserves_is_order_free_and_matches_python(
    con: duckdb.DuckDBPyConnection, problems: list[tuple[int, list[int]]], seed: int
) -> None:
    rows = _rows(problems)
    got = _run(con, rows)
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    assert _run(con, shuffled) == got  # row order does not matter
    assert _run(con, rows, with_total=True) == got  # a given total gives the same split
    for pid, (pool, weights) in enumerate(problems):
        amounts = {k: a for (p, k), a in got.items() if p == pid}
        assert sum(amounts.values()) == pool  # conservation, to the öre
        total = sum(weights)
        for n, w in enumerate(weights):
            exact = Fraction(pool * w, total)
            assert amounts[f"K{n:03d}"] in (floor(exact), floor(exact) + 1)
        reference = largest_remainder(pool, [(f"K{n:03d}", w) for n, w in enumerate(weights)])
        assert amounts == reference


@settings(max_examples=60, deadline=None)
@given(
    pool=pool_values,
    weights=st.lists(st.integers(-(10**9), 10**9).filter(bool), min_size=2, max_size=8),
)
def test_sql_split_of_mixed_sign_weights(
    con: duckdb.DuckDBPyConnection, pool: int, weights: list[int]
) -> None:
    """Weights of both signs (ledger rows, for the explanation): exact as long as W != 0."""
    if sum(weights) == 0:
        weights = [*weights, 1]
    got = _run(con, _rows([(pool, weights)]))
    assert sum(got.values()) == pool
    assert got == {
        (0, k): a
        for k, a in largest_remainder(
            pool, [(f"K{n:03d}", w) for n, w in enumerate(weights)]
        ).items()
    }


def test_ties_go_to_the_lower_key(con: duckdb.DuckDBPyConnection) -> None:
    got = _run(con, [(0, "C-2", 100, 1), (0, "C-3", 100, 1), (0, "C-1", 100, 1)])
    assert got == {(0, "C-1"): 34, (0, "C-2"): 33, (0, "C-3"): 33}


def test_negative_pool_floors_toward_minus_infinity(con: duckdb.DuckDBPyConnection) -> None:
    got = _run(con, [(0, "C-1", -100, 1), (0, "C-2", -100, 1), (0, "C-3", -100, 1)])
    assert got == {(0, "C-1"): -33, (0, "C-2"): -33, (0, "C-3"): -34}


# Codes as cities write them: letters with and without diacritics, digits, separators. DuckDB
# orders varchar by byte (UTF-8), Python str by code point: the same order, which this checks.
code_letters = st.sampled_from(list("AaBbZzÅåÄäÖöÉé019-._ "))
codes = st.text(code_letters, min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pool=pool_values,
    rows=st.lists(
        st.tuples(codes, st.integers(0, 5)), min_size=1, max_size=10, unique_by=lambda r: r[0]
    ),
)
def test_ties_between_codes_break_the_same_way_in_sql_and_python(
    con: duckdb.DuckDBPyConnection, pool: int, rows: list[tuple[str, int]]
) -> None:
    """Small weights make many equal remainders: the tie-break decides, by code."""
    if not any(w for _, w in rows):
        rows = [*rows[:-1], (rows[-1][0], 1)]
    got = _run(con, [(0, code, pool, w) for code, w in rows])
    assert {k: a for (_, k), a in got.items()} == largest_remainder(pool, rows)


# Kept small enough that pool x weight, with the weights scaled to integers over their common
# denominator (up to 2^55 x 10^3 x 10^2), stays inside HUGEINT for the SQL side.
weight_values = st.one_of(
    st.integers(0, 10**4),
    st.fractions(min_value=0, max_value=10**4, max_denominator=1000),
    st.decimals(min_value=0, max_value=10**4, places=2, allow_nan=False, allow_infinity=False),
    st.integers(0, 10**7).map(lambda n: n / 1000),  # floats such as 0.1, inexact in binary
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pool=st.integers(-(10**6), 10**6), weights=st.lists(weight_values, min_size=1, max_size=10))
def test_positional_split_of_any_weight_type_is_the_sql_split(
    con: duckdb.DuckDBPyConnection, pool: int, weights: list[int | Fraction | Decimal | float]
) -> None:
    """`split_in_order` (the demo generator's and the fixtures' call) is the macro with the
    position as tie-breaker, on the weights scaled exactly to integers (a float is the binary
    fraction it holds: no float arithmetic)."""
    exact = [Fraction(w) for w in weights]
    if not any(exact):
        exact[0] = Fraction(1)
        weights = [1, *weights[1:]]
    scale = lcm(*(w.denominator for w in exact))
    integer = [int(w * scale) for w in exact]
    con.execute("create or replace temp table t (pid integer, k integer, pool hugeint, w hugeint)")
    con.executemany(
        "insert into t values (0, ?, ?, ?)", [(i, pool, w) for i, w in enumerate(integer)]
    )
    result = con.execute(render_split("t")).fetchall()
    sql = [int(amount) for _, _, _, _, amount in sorted(result, key=lambda r: r[1])]
    assert split_in_order(pool, weights) == sql
    assert sum(sql) == pool


def test_keys_must_be_unique_and_weights_must_not_cancel() -> None:
    with pytest.raises(ValueError, match="unique keys"):
        largest_remainder(10, [("A", 1), ("A", 2)])
    with pytest.raises(ValueError, match="sum to zero"):
        largest_remainder(10, [("A", 1), ("B", -1)])
    with pytest.raises(TypeError, match="integer"):
        largest_remainder(Decimal("10.5"), [("A", 1)])  # type: ignore[arg-type]
    assert split_in_order(0, []) == []
