"""Contract for the optional register of organisation groups (`raw.org_groups`): names and order."""

from __future__ import annotations

from expectations.base import Contract, required, unique

CONTRACT = Contract(
    table="org_groups",
    rules=(*required("org_group", "name_sv", "name_en", "sort_order"), unique("org_group")),
)
