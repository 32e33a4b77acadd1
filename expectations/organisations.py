"""Contract for the organisation register (`raw.organisations`): one row per organisation and validity.

Groups are the city's own: any text, checked against `organisations/org_groups.csv` only when the
city delivers that register. At least one organisation should be the producer (`is_producer`):
a warning, not an error, because the column is optional and nothing is allocated from it; without
a producer, a controller only misses the producer's ledger rows behind her charges.
"""

from __future__ import annotations

from expectations.base import Contract, Reference, contains, known, required, unique

ORG_GROUPS = Reference("org_groups", "org_group", optional=True)

CONTRACT = Contract(
    table="organisations",
    rules=(
        *required("org_code", "org_name", "org_group", "valid_from"),
        known(
            "unknown_org_group",
            "org_group",
            ORG_GROUPS,
            "organisation group '{value}' is not in organisations/org_groups.csv",
            "add the group to organisations/org_groups.csv or correct the row's org_group",
        ),
        contains(
            "no_producer",
            "is_producer",
            ("true",),
            "no organisation is marked as producer (is_producer = true)",
            "mark the shared-service centre(s) that book the services' cost with is_producer = "
            "true in organisations/organisations.csv; until then controllers do not see the "
            "producer's ledger rows behind their charges",
        ),
        unique("org_code", "valid_from"),
    ),
)
