"""The hand-computed reciprocal pair through dbt itself: the Python models
int_allocations_reciprocal_solved and int_reciprocal_flows_rounded, the SQL model
int_support_costs_reciprocal_allocated and the data test on the flows, run by `dbt build` on a
warehouse that holds only their inputs (dbt unit tests cannot run Python models).

The numbers are those of tests/allocation/test_reciprocal.py::THREE_RECEIVERS and of the dbt
unit test reciprocal_pair_solved_by_hand: every ordinary service gets its exact amount rounded
by largest remainder (X 16 072, Y 28 571, Z 105 357 öre, the tie of 3/7 to X)."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.defs.transform.dbt import dbt_executable
from pipelines.lib.allocation.reciprocal import exact_decimal
from pipelines.lib.settings import DBT_PROJECT_DIR
from tests.allocation.test_reciprocal import THREE_RECEIVERS, THREE_RECEIVERS_BOOKED

pytestmark = pytest.mark.slow  # a dbt parse and build, about a minute

JANUARY = date(2017, 1, 1)
SELECTED = (
    "int_allocations_reciprocal_solved int_reciprocal_flows_rounded "
    "int_support_costs_reciprocal_allocated "
    "assert_reciprocal_flows_rounded_from_the_exact_solution"
)


def _warehouse(path: Path) -> None:
    """The models' inputs only: shares, January's pools (IT 1 000.00, HR 500.00 SEK of their
    own), no step-down."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema staging; create schema intermediate")
        con.execute(
            """create table staging.stg_raw__support_allocations (
                fiscal_year integer, scenario varchar, support_service_id varchar,
                receiving_service_id varchar, basis varchar, method varchar,
                step_order integer, share decimal(18, 12), _source_file varchar,
                _source_row integer)"""
        )
        con.executemany(
            "insert into staging.stg_raw__support_allocations values (2017, 'outcome', ?, ?,"
            " 'tickets', 'reciprocal', 3, ?, 'plan/support_allocations.csv', ?)",
            [
                (giver, receiver, exact_decimal(share, 12), n)
                for n, ((giver, receiver), share) in enumerate(THREE_RECEIVERS.items(), start=2)
            ],
        )
        con.execute(
            """create table intermediate.int_outcome_pools_monthly as
            select * from (values
                (2017, date '2017-01-01', 'IT', 100000, false),
                (2017, date '2017-01-01', 'HR', 50000, false),
                (2017, date '2017-01-01', 'UNALLOCATED', 999, true)
            ) as t (fiscal_year, period_month, service_id, pool_ore, is_unallocated)"""
        )
        con.execute(
            """create table intermediate.int_support_costs_stepped_down (
                period_month date, receiving_service_id varchar, amount_ore bigint)"""
        )


def test_hand_computed_pair_through_dbt(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    _warehouse(warehouse)
    completed = subprocess.run(
        [
            dbt_executable(),
            "build",
            "--select",
            *SELECTED.split(),
            "--indirect-selection",
            "cautious",
            "--exclude-resource-type",
            "unit_test",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        env={**os.environ, "FORDELA_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert "assert_reciprocal_flows_rounded_from_the_exact_solution" in completed.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        flows = con.execute(
            """select support_service_id, receiving_service_id, amount_ore, is_within_group,
                rounding_excess_ore
            from intermediate.int_support_costs_reciprocal_allocated
            where period_month = ?""",
            [JANUARY],
        ).fetchall()
        solved = con.execute(
            """select support_service_id, available_ore, total_ore, rounding_excess_ore
            from intermediate.int_allocations_reciprocal_solved order by all"""
        ).fetchall()
    amounts = {(g, r): a for g, r, a, _, _ in flows}
    assert amounts == THREE_RECEIVERS_BOOKED
    receivers = {r: sum(a for (_, rr), a in amounts.items() if rr == r) for r in "XYZ"}
    assert receivers == {"X": 16_072, "Y": 28_571, "Z": 105_357}
    assert {(g, r) for g, r, _, within, _ in flows if within} == {("IT", "HR"), ("HR", "IT")}
    assert {excess for *_, excess in flows} == {0}
    assert solved == [("HR", 50_000, 71_429, 0), ("IT", 100_000, 107_143, 0)]
