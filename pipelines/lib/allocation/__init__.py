"""The allocation engine's Python parts: the exact reciprocal solver and the explanation query.

Everything else of the engine is SQL in dbt (dbt_project/models/intermediate). No Dagster here:
the solver is called from the dbt Python model `int_allocations_reciprocal_solved`, the
explanation from the dashboards.
"""

from __future__ import annotations

from pipelines.lib.allocation.largest_remainder import largest_remainder, round_half_away
from pipelines.lib.allocation.reciprocal import (
    ReciprocalSolution,
    SingularSystemError,
    solve_linear,
    solve_reciprocal,
    trace_origins,
)

__all__ = [
    "ReciprocalSolution",
    "SingularSystemError",
    "largest_remainder",
    "round_half_away",
    "solve_linear",
    "solve_reciprocal",
    "trace_origins",
]
