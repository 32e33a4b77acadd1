"""Contract for the reference pack's named differences (`raw.published_differences`, optional).

Each row names a known inconsistency of the printed figures and the range of
(warehouse - printed) it explains, for the lines it covers.
"""

from __future__ import annotations

from expectations.base import COST_TYPES, Contract, allowed, required, unique
from expectations.published_figures import LEVELS

CONTRACT = Contract(
    table="published_differences",
    rules=(
        *required(
            "plan_version",
            "source",
            "level",
            "difference_code",
            "min_difference_tkr",
            "max_difference_tkr",
        ),
        allowed("level", LEVELS),
        allowed(
            "cost_type", COST_TYPES, "use maintenance or development, or leave it empty (both)"
        ),
        unique(
            "plan_version",
            "source",
            "level",
            "code",
            "cost_type",
            "difference_code",
            "min_difference_tkr",
            what="same lines, difference code and range",
        ),
    ),
)
