"""Contract for decided allocation keys (`raw.allocation_keys`)."""

from __future__ import annotations

from expectations.base import (
    Contract,
    known_organisation,
    known_service,
    non_negative,
    required,
    unique,
)

CONTRACT = Contract(
    table="allocation_keys",
    rules=(
        *required("key_set", "service_id", "org_code", "share", "valid_from"),
        known_service("service_id"),
        known_organisation("org_code"),
        non_negative("share"),
        unique("key_set", "service_id", "org_code", "valid_from"),
    ),
)
