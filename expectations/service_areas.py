"""Contract for the service areas (`raw.service_areas`)."""

from __future__ import annotations

from expectations.base import Contract, required, unique

CONTRACT = Contract(
    table="service_areas",
    rules=(*required("service_area_code", "name_sv"), unique("service_area_code")),
)
