"""Contract for the planned amounts of development initiatives (`raw.initiative_plan`)."""

from __future__ import annotations

from expectations.base import INITIATIVES, Contract, known, required, unique

CONTRACT = Contract(
    table="initiative_plan",
    rules=(
        *required("initiative_id", "fiscal_year", "amount_sek"),
        known(
            "unknown_initiative",
            "initiative_id",
            INITIATIVES,
            "unknown initiative '{value}'",
            "add it to plan/initiatives.csv or correct the row",
        ),
        unique("initiative_id", "fiscal_year"),
    ),
)
