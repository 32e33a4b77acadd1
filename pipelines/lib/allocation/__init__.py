"""The allocation engine's Python parts: the exact reciprocal solver and the explanation query.

Everything else of the engine is SQL in dbt (dbt_project/models/intermediate). No Dagster here:
the solver is called from the dbt Python models `int_allocations_reciprocal_solved` and
`int_reciprocal_flows_rounded`, the explanation from the dashboards.
"""

from __future__ import annotations

from pipelines.lib.allocation.flow_rounding import excess_over_band, round_flow
from pipelines.lib.allocation.largest_remainder import (
    largest_remainder,
    round_half_away,
    split_in_order,
)
from pipelines.lib.allocation.reciprocal import (
    ReciprocalAllocation,
    ReciprocalSolution,
    SingularSystemError,
    allocate_reciprocal,
    round_exact,
    solve_linear,
    solve_reciprocal,
    trace_origins,
)

__all__ = [
    "ReciprocalAllocation",
    "ReciprocalSolution",
    "SingularSystemError",
    "allocate_reciprocal",
    "excess_over_band",
    "largest_remainder",
    "round_exact",
    "round_flow",
    "round_half_away",
    "solve_linear",
    "solve_reciprocal",
    "split_in_order",
    "trace_origins",
]
