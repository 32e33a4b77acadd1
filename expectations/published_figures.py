"""Contract for the reference pack's printed figures (`raw.published_figures`, optional).

One row per figure a city has printed (tkr), to be reproduced from the warehouse by
`rpt_reconciliation_published`; nothing is allocated from them.
"""

from __future__ import annotations

from expectations.base import COST_TYPES, Contract, allowed, required, unique

# What a printed figure is the total of (docs/input-formats.md, "Reference pack").
LEVELS = (
    "organisation", "org_group", "service", "service_area", "cost_type_total", "adjustment",
    "total", "change",
)  # fmt: skip

CONTRACT = Contract(
    table="published_figures",
    rules=(
        *required("plan_version", "source", "level", "label_sv", "amount_tkr"),
        allowed("level", LEVELS),
        allowed(
            "cost_type", COST_TYPES, "use maintenance or development, or leave it empty (both)"
        ),
        unique(
            "plan_version",
            "source",
            "level",
            "service_area_code",
            "code",
            "cost_type",
            what="same plan version, source, level, area, code and cost type",
        ),
    ),
)
