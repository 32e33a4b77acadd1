"""Contract for how the producer's internal support pools are charged on (`raw.support_allocations`).

One row per fiscal year x scenario x support pool x receiving service: the receiver's share of
the pool (step-down in `step_order`, or reciprocal between pools that use each other).
"""

from __future__ import annotations

from expectations.base import SERVICES, Contract, allowed, known, non_negative, required, unique

CONTRACT = Contract(
    table="support_allocations",
    rules=(
        *required(
            "fiscal_year",
            "scenario",
            "support_service_id",
            "receiving_service_id",
            "share",
            "method",
        ),
        known(
            "unknown_service",
            "support_service_id",
            SERVICES,
            "unknown support pool '{value}'",
            "add it to services/services.csv (with is_support = true) or correct the row",
        ),
        known(
            "unknown_service",
            "receiving_service_id",
            SERVICES,
            "unknown service '{value}'",
            "add it to services/services.csv or correct the row",
        ),
        allowed("method", ("step_down", "reciprocal")),
        # A plan's service lines already carry their part of the support cost: support
        # allocations are an outcome matter, and a row of another scenario would be ignored.
        allowed(
            "scenario",
            ("outcome",),
            "support allocations apply to the outcome only (a plan's service lines already carry "
            "their part of the support cost, so this row would never be used); set the scenario "
            "to outcome or remove the row",
        ),
        non_negative("share"),
        unique("fiscal_year", "scenario", "support_service_id", "receiving_service_id"),
    ),
)
