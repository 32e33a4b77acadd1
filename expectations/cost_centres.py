"""Contract for consumer cost centres (`raw.cost_centres`): every cost centre belongs to a known organisation."""

from __future__ import annotations

from expectations.base import Contract, known_organisation, required, unique

CONTRACT = Contract(
    table="cost_centres",
    rules=(
        *required("cost_centre_code", "org_code", "is_default", "valid_from"),
        known_organisation("org_code"),
        unique("cost_centre_code", "valid_from"),
    ),
)
