"""Contract for development initiatives (`raw.initiatives`)."""

from __future__ import annotations

from expectations.base import Contract, known_service, known_service_area, required, unique

CONTRACT = Contract(
    table="initiatives",
    rules=(
        *required("initiative_id", "service_id", "name_sv"),
        known_service_area("service_area_code"),
        known_service("service_id"),
        unique("initiative_id"),
    ),
)
