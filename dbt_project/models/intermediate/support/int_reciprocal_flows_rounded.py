"""The reciprocal support services' flows booked to the öre, per month (outcome only).

The same call as int_allocations_reciprocal_solved (pipelines.lib.allocation.reciprocal.
allocate_reciprocal, on the available amounts that model gathered), one row per flow: for each
reciprocal service (giver) and each service it has a share for (another reciprocal service of
its group or an ordinary service), the exact flow share x T_giver and the integer amount booked.
What the group gives each ordinary service, summed over the givers, is its exact amount rounded
by largest remainder over the group's ordinary receivers; the amounts between the group's
services make each of them net to zero; every amount is its exact value rounded down or up
unless the receivers' amounts force more (rounding_excess_ore, 0 normally, and as small as it
can be: |amount_ore - exact_ore| < 1 + rounding_excess_ore). Why this is Python and not the
`largest_remainder` macro: the exact amounts have denominators up to (10^12)^n for 12-decimal
shares and n services, beyond DuckDB's 128-bit integers.

One row per month x reciprocal support service x receiving service (flows that are 0 exactly
and booked 0 are left out).
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

EXACT_SCALE = 12  # decimals of the exact flow shown (öre)


def model(dbt: Any, session: Any) -> pa.Table:
    dbt.config(materialized="table")
    shares_rel = dbt.ref("stg_raw__support_allocations")
    solved_rel = dbt.ref("int_allocations_reciprocal_solved")

    _, shares = reciprocal_shares(
        shares_rel.filter("scenario = 'outcome' and method = 'reciprocal'")
        .project("fiscal_year, support_service_id, receiving_service_id, share, step_order")
        .fetchall()
    )
    available: dict[tuple[int, date], dict[str, int]] = defaultdict(dict)
    for year, period_month, service_id, available_ore in solved_rel.project(
        "fiscal_year, period_month, support_service_id, available_ore"
    ).fetchall():
        available[(year, period_month)][service_id] = int(available_ore)

    rows: dict[str, list[object]] = defaultdict(list)
    for (year, period_month), month in sorted(available.items()):
        allocation = allocate_reciprocal(month, shares[year])
        for (giver, receiver), exact in sorted(allocation.exact.items()):
            amount = allocation.amounts[(giver, receiver)]
            if exact == 0 and amount == 0:
                continue
            rows["fiscal_year"].append(year)
            rows["period_month"].append(period_month)
            rows["group_id"].append(allocation.group[giver])
            rows["support_service_id"].append(giver)
            rows["receiving_service_id"].append(receiver)
            rows["exact_ore"].append(exact_decimal(exact, EXACT_SCALE))
            rows["amount_ore"].append(amount)
            rows["rounding_excess_ore"].append(allocation.rounding_excess[(giver, receiver)])

    schema = pa.schema(
        [
            ("fiscal_year", pa.int32()),
            ("period_month", pa.date32()),
            ("group_id", pa.string()),
            ("support_service_id", pa.string()),
            ("receiving_service_id", pa.string()),
            ("exact_ore", pa.decimal128(38, EXACT_SCALE)),
            ("amount_ore", pa.int64()),
            ("rounding_excess_ore", pa.int64()),
        ]
    )
    return pa.table({name: rows[name] for name in schema.names}, schema=schema)
