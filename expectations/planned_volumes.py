"""Contract for planned volumes per fiscal year and scenario (`raw.planned_volumes`)."""

from __future__ import annotations

from expectations.base import (
    Contract,
    known_cost_centre,
    known_driver,
    non_negative,
    required,
    unique,
)

CONTRACT = Contract(
    table="planned_volumes",
    rules=(
        *required("fiscal_year", "scenario", "driver_code", "cost_centre_code", "quantity"),
        known_driver("driver_code"),
        known_cost_centre("cost_centre_code"),
        non_negative("quantity"),
        unique("fiscal_year", "scenario", "driver_code", "cost_centre_code"),
    ),
)
