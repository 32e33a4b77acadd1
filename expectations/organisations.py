"""Contract for the organisation register (`raw.organisations`): one row per organisation and validity."""

from __future__ import annotations

from expectations.base import Contract, allowed, required, unique

ORG_GROUPS = ("Stadsdelsförvaltningar", "Fackförvaltningar", "Bolag", "Kommunalförbund")

CONTRACT = Contract(
    table="organisations",
    rules=(
        *required("org_code", "org_name", "org_group", "valid_from"),
        allowed("org_group", ORG_GROUPS),
        unique("org_code", "valid_from"),
    ),
)
