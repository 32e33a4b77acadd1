"""Reciprocal support services solved exactly, per month (outcome only).

For each month, the support services whose support_allocations method is 'reciprocal' (they
use each other, e.g. internal IT operations and internal HR) pass on their total cost

    T_j = available_j + sum_i share(i -> j) * T_i

where available_j is the service's own ledger cost of the month plus what the step-down steps
gave it (int_support_costs_stepped_down). The system is solved exactly with Fractions by
pipelines.lib.allocation.reciprocal.solve_reciprocal (a dbt Python model, so the solve stays in
the dbt DAG); the total booked is T rounded to the öre, halves away from zero. How the booked
totals are split into flows (to each other and to ordinary services) is SQL again:
int_support_costs_reciprocal_allocated. The residual of the booked totals is computed
independently, in SQL, in fct_reciprocal_solution and tested to be below 0.01 SEK.

One row per month x reciprocal support service.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pyarrow as pa

from pipelines.lib.allocation.reciprocal import solve_reciprocal

TOTAL_SCALE = 12  # decimals of the exact total shown (öre)


def _decimal(value: Fraction) -> Decimal:
    quantum = Decimal(1).scaleb(-TOTAL_SCALE)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum)


def model(dbt: Any, session: Any) -> pa.Table:
    dbt.config(materialized="table")
    shares_rel = dbt.ref("stg_raw__support_allocations")
    pools_rel = dbt.ref("int_outcome_pools_monthly")
    stepped_rel = dbt.ref("int_support_costs_stepped_down")

    shares_rows = (
        shares_rel.filter("scenario = 'outcome' and method = 'reciprocal'")
        .project("fiscal_year, support_service_id, receiving_service_id, share, step_order")
        .fetchall()
    )
    members: dict[int, dict[str, int]] = defaultdict(dict)  # year -> service -> step_order
    shares: dict[int, dict[tuple[str, str], Fraction]] = defaultdict(dict)
    for year, giver, receiver, share, step_order in shares_rows:
        members[year][giver] = step_order
        shares[year][(giver, receiver)] = Fraction(str(share))

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
        group = members.get(year)
        if not group:
            continue
        available = {s: direct[(period_month, s)] + stepped[(period_month, s)] for s in group}
        solution = solve_reciprocal(available, shares[year])
        for service_id in sorted(group):
            rows["fiscal_year"].append(year)
            rows["period_month"].append(period_month)
            rows["support_service_id"].append(service_id)
            rows["step_order"].append(group[service_id])
            rows["direct_ore"].append(direct[(period_month, service_id)])
            rows["step_down_received_ore"].append(stepped[(period_month, service_id)])
            rows["available_ore"].append(available[service_id])
            rows["total_exact_ore"].append(_decimal(solution.totals[service_id]))
            rows["total_ore"].append(solution.booked[service_id])

    schema = pa.schema(
        [
            ("fiscal_year", pa.int32()),
            ("period_month", pa.date32()),
            ("support_service_id", pa.string()),
            ("step_order", pa.int32()),
            ("direct_ore", pa.int64()),
            ("step_down_received_ore", pa.int64()),
            ("available_ore", pa.int64()),
            ("total_exact_ore", pa.decimal128(38, TOTAL_SCALE)),
            ("total_ore", pa.int64()),
        ]
    )
    return pa.table({name: rows[name] for name in schema.names}, schema=schema)
