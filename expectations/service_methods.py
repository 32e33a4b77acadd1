"""Contract for the allocation method of each service (`raw.service_methods`)."""

from __future__ import annotations

from expectations.base import Contract, allowed, known_driver, known_service, required, unique

METHODS = ("direct", "fixed_key", "driver_share", "price_list", "step_down", "reciprocal")

CONTRACT = Contract(
    table="service_methods",
    rules=(
        *required("fiscal_year", "scenario", "service_id", "allocation_method"),
        allowed("allocation_method", METHODS),
        known_service("service_id"),
        known_driver("driver_code"),
        unique("fiscal_year", "scenario", "service_id"),
    ),
)
