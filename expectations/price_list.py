"""Contract for the price list per unit and month (`raw.price_list`)."""

from __future__ import annotations

from expectations.base import Contract, known_driver, known_service, non_negative, required, unique

CONTRACT = Contract(
    table="price_list",
    rules=(
        *required("fiscal_year", "service_id", "driver_code", "unit_price_sek"),
        known_service("service_id"),
        known_driver("driver_code"),
        non_negative("unit_price_sek"),
        unique("fiscal_year", "service_id", "driver_code"),
    ),
)
