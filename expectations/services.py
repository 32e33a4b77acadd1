"""Contract for the service catalogue with its history (`raw.services`)."""

from __future__ import annotations

from expectations.base import COST_TYPES, Contract, allowed, known_service_area, required, unique

CONTRACT = Contract(
    table="services",
    rules=(
        *required("service_id", "service_name_sv", "cost_type", "is_adjustment", "valid_from"),
        # Empty only on balancing lines such as Reglering; an unknown area is an error.
        known_service_area("service_area_code"),
        allowed("cost_type", COST_TYPES),
        unique("service_id", "valid_from"),
    ),
)
