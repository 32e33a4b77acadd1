"""Contract for service lineage (`raw.service_lineage`): how one year's services map to a later year's."""

from __future__ import annotations

from expectations.base import Contract, allowed, known_service, required, unique

CONTRACT = Contract(
    table="service_lineage",
    rules=(
        *required("from_service_id", "to_service_id", "relation", "weight", "effective_date"),
        known_service("from_service_id"),
        known_service("to_service_id"),
        allowed("relation", ("rename", "move", "split", "merge")),
        unique("from_service_id", "to_service_id", "relation", "effective_date"),
    ),
)
