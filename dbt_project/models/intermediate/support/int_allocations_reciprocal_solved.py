"""Reciprocal support services solved exactly, per month (outcome only).

For each month, the support services whose support_allocations method is 'reciprocal' (they
use each other, e.g. internal IT operations and internal HR) pass on their total cost

    T_j = available_j + sum_i share(i -> j) * T_i

where available_j is the service's own ledger cost of the month plus what the step-down steps
gave it (int_support_costs_stepped_down). The system is solved exactly with Fractions and
booked to the öre by pipelines.lib.allocation.reciprocal.allocate_reciprocal (a dbt Python
model, so the solve stays in the dbt DAG): every ordinary service gets from the group its exact
amount rounded by largest remainder, and the flows (int_reciprocal_flows_rounded, the same
call) are integers that add up to those amounts and net every service to zero. total_ore is
the booked total that follows from them (available + received = passed on); it is the exact
total rounded down or up unless the receivers' amounts force more (rounding_excess_ore, 0
normally: |total_ore - total_exact_ore| < 1 + rounding_excess_ore). fct_reciprocal_solution
recomputes the residual in SQL; assert_reciprocal_totals_within_one_ore tests both.

One row per month x reciprocal support service.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pyarrow as pa

from pipelines.lib.allocation.reciprocal import (
    allocate_reciprocal,
    exact_decimal,
    reciprocal_shares,
)

TOTAL_SCALE = 12  # decimals of the exact total shown (öre)


def model(dbt: Any, session: Any) -> pa.Table:
    dbt.config(materialized="table")
    shares_rel = dbt.ref("stg_raw__support_allocations")
    pools_rel = dbt.ref("int_outcome_pools_monthly")
    stepped_rel = dbt.ref("int_support_costs_stepped_down")

    step_orders, shares = reciprocal_shares(
        shares_rel.filter("scenario = 'outcome' and method = 'reciprocal'")
        .project("fiscal_year, support_service_id, receiving_service_id, share, step_order")
        .fetchall()
    )

    months = pools_rel.project("fiscal_year, period_month").distinct().fetchall()
    direct: dict[tuple[date, str], int] = defaultdict(int)
    for period_month, service_id, pool_ore in (
        pools_rel.filter("not is_unallocated")
        .project("period_month, service_id, pool_ore")
        .fetchall()
    ):
        direct[(period_month, service_id)] += int(pool_ore)
    stepped: dict[tuple[date, str], int] = defaultdict(int)
    for period_month, receiver, amount_ore in stepped_rel.project(
        "period_month, receiving_service_id, amount_ore"
    ).fetchall():
        stepped[(period_month, receiver)] += int(amount_ore)

    rows: dict[str, list[object]] = defaultdict(list)
    for year, period_month in sorted(months):
        group = step_orders.get(year)
        if not group:
            continue
        available = {s: direct[(period_month, s)] + stepped[(period_month, s)] for s in group}
        try:
            allocation = allocate_reciprocal(available, shares[year])
        except ValueError as error:
            raise ValueError(
                f"support_allocations {year}, {period_month:%Y-%m}: {error}"
            ) from error
        for service_id in sorted(group):
            rows["fiscal_year"].append(year)
            rows["period_month"].append(period_month)
            rows["support_service_id"].append(service_id)
            rows["group_id"].append(allocation.group[service_id])
            rows["step_order"].append(group[service_id])
            rows["direct_ore"].append(direct[(period_month, service_id)])
            rows["step_down_received_ore"].append(stepped[(period_month, service_id)])
            rows["available_ore"].append(available[service_id])
            rows["total_exact_ore"].append(
                exact_decimal(allocation.solution.totals[service_id], TOTAL_SCALE)
            )
            rows["total_ore"].append(allocation.booked[service_id])
            rows["rounding_excess_ore"].append(allocation.total_rounding_excess[service_id])

    schema = pa.schema(
        [
            ("fiscal_year", pa.int32()),
            ("period_month", pa.date32()),
            ("support_service_id", pa.string()),
            ("group_id", pa.string()),
            ("step_order", pa.int32()),
            ("direct_ore", pa.int64()),
            ("step_down_received_ore", pa.int64()),
            ("available_ore", pa.int64()),
            ("total_exact_ore", pa.decimal128(38, TOTAL_SCALE)),
            ("total_ore", pa.int64()),
            ("rounding_excess_ore", pa.int64()),
        ]
    )
    return pa.table({name: rows[name] for name in schema.names}, schema=schema)
