"""Contract for the chart of accounts per fiscal year (`raw.accounts`)."""

from __future__ import annotations

from expectations.base import Contract, allowed, required, unique

CONTRACT = Contract(
    table="accounts",
    rules=(
        *required("fiscal_year", "account", "account_class"),
        allowed("account_class", ("balance", "revenue", "cost")),
        unique("fiscal_year", "account"),
    ),
)
