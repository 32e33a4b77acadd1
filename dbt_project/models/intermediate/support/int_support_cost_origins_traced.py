"""Where each support service's booked total comes from, per month (for the explanation).

A support service's total is its own ledger cost plus what other support services gave it
(step-down and reciprocal flows as booked, int_support_costs_allocated), and what it passes on
has the composition of that total. pipelines.lib.allocation.reciprocal.trace_origins solves
this exactly (a linear system, because reciprocal services feed each other), giving for every
support service j the fraction of its total that originates in each support service k's own
ledger cost. origin_ore splits j's total over the origins by largest remainder on those exact
fractions, so it sums to the total exactly; the explanation then splits any amount that came
from j over the origins' ledger rows.

One row per month x support service x origin support service.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pyarrow as pa

from pipelines.lib.allocation.largest_remainder import largest_remainder
from pipelines.lib.allocation.reciprocal import exact_decimal, trace_origins

SHARE_SCALE = 18


def model(dbt: Any, session: Any) -> pa.Table:
    dbt.config(materialized="table")
    flows_rel = dbt.ref("int_support_costs_allocated")
    pools_rel = dbt.ref("int_outcome_pools_monthly")

    supports: dict[int, set[str]] = defaultdict(set)
    flows: dict[date, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    flow_rows = flows_rel.project(
        "fiscal_year, period_month, support_service_id, receiving_service_id, amount_ore"
    ).fetchall()
    for year, _, giver, _, _ in flow_rows:
        supports[year].add(giver)
    year_of: dict[date, int] = {}
    for year, period_month, giver, receiver, amount_ore in flow_rows:
        year_of[period_month] = year
        if receiver in supports[year]:
            flows[period_month][(giver, receiver)] += int(amount_ore)
    direct: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for period_month, service_id, pool_ore in (
        pools_rel.filter("not is_unallocated")
        .project("period_month, service_id, pool_ore")
        .fetchall()
    ):
        direct[period_month][service_id] += int(pool_ore)

    rows: dict[str, list[object]] = defaultdict(list)
    for period_month in sorted(year_of):
        year = year_of[period_month]
        own = {s: direct[period_month].get(s, 0) for s in supports[year]}
        month_flows = dict(flows[period_month])
        origins = trace_origins(own, month_flows)
        for service_id in sorted(supports[year]):
            total = own[service_id] + sum(
                amount for (_, receiver), amount in month_flows.items() if receiver == service_id
            )
            fractions = origins.get(service_id, {})
            if total == 0 or not fractions:
                continue
            split = largest_remainder(total, sorted(fractions.items()))
            for origin_id, fraction in sorted(fractions.items()):
                rows["fiscal_year"].append(year)
                rows["period_month"].append(period_month)
                rows["support_service_id"].append(service_id)
                rows["origin_service_id"].append(origin_id)
                rows["origin_share"].append(exact_decimal(fraction, SHARE_SCALE))
                rows["origin_ore"].append(split[origin_id])
                rows["total_ore"].append(total)

    schema = pa.schema(
        [
            ("fiscal_year", pa.int32()),
            ("period_month", pa.date32()),
            ("support_service_id", pa.string()),
            ("origin_service_id", pa.string()),
            ("origin_share", pa.decimal128(38, SHARE_SCALE)),
            ("origin_ore", pa.int64()),
            ("total_ore", pa.int64()),
        ]
    )
    return pa.table({name: rows[name] for name in schema.names}, schema=schema)
