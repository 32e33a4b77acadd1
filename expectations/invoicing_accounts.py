"""Contract for the internal-invoicing account map (`raw.invoicing_accounts`): which accounts the
charges of each service are booked on when a closed month is exported to the ledger."""

from __future__ import annotations

from expectations.base import (
    ACCOUNTS,
    Contract,
    Rule,
    known,
    known_cost_centre,
    known_service,
    required,
    unique,
)


def _known_account(column: str) -> Rule:
    return known(
        "unknown_account",
        column,
        ACCOUNTS,
        "unknown account '{value}' (not in the chart of accounts of that fiscal year)",
        "add it to ledger/accounts.csv for the year or correct the row",
        year_from="fiscal_year",
    )


CONTRACT = Contract(
    table="invoicing_accounts",
    rules=(
        *required("fiscal_year", "debit_account", "credit_account", "credit_cost_centre"),
        _known_account("debit_account"),
        _known_account("credit_account"),
        known_cost_centre("credit_cost_centre"),
        # An empty service_id is the year's default row: not checked against the catalogue.
        known_service("service_id"),
        # At most one row per year and service, and one default row (empty service) per year.
        unique("fiscal_year", "service_id", what="the same fiscal year and service"),
    ),
)
