"""Contract for the versioned account -> service mapping rules (`raw.mapping_rules`)."""

from __future__ import annotations

from expectations.base import COST_TYPES, Contract, allowed, known_service, required, unique

CONTRACT = Contract(
    table="mapping_rules",
    rules=(
        *required("rule_id", "fiscal_year", "priority", "account_from", "account_to", "service_id"),
        known_service("service_id"),
        allowed("cost_type", COST_TYPES),
        unique("rule_id"),
    ),
)
