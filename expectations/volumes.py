"""Contract for actual usage volumes (`raw.volumes`): period x driver x consumer cost centre."""

from __future__ import annotations

from expectations.base import (
    Contract,
    known_cost_centre,
    known_driver,
    non_negative,
    open_year,
    required,
    unique,
)

CONTRACT = Contract(
    table="volumes",
    rules=(
        *required("period", "driver_code", "cost_centre_code", "quantity"),
        known_driver("driver_code"),
        known_cost_centre("cost_centre_code"),
        non_negative("quantity"),
        open_year("period"),
        unique("period", "driver_code", "cost_centre_code"),
    ),
)
