"""Contract for general-ledger transactions (`raw.ledger`): one file per period, balanced vouchers.

An unknown activity code is a warning, not a quarantine: the row is a real cost, and the
allocation shows it in the unallocated pool until a mapping rule or the code is corrected.
"""

from __future__ import annotations

from expectations.base import (
    ACCOUNTS,
    INITIATIVES,
    SERVICES,
    Contract,
    VoucherRule,
    known,
    known_cost_centre,
    open_year,
    required,
    unique,
)

CONTRACT = Contract(
    table="ledger",
    rules=(
        *required(
            "voucher_series", "voucher_number", "voucher_date", "period", "account", "amount_sek"
        ),
        known(
            "unknown_account",
            "account",
            ACCOUNTS,
            "unknown account '{value}' (not in the chart of accounts of that fiscal year)",
            "add it to ledger/accounts.csv for the year or correct the row",
            year_from="period",
        ),
        known_cost_centre("cost_centre_code"),
        open_year("period"),
        known(
            "unknown_activity_code",
            "activity_code",
            SERVICES,
            "unknown activity code '{value}'",
            "the amount goes to the unallocated pool; correct the code in the ledger or add a "
            "mapping rule",
            action="warning",
        ),
        known(
            "unknown_project",
            "project_code",
            INITIATIVES,
            "unknown project '{value}'",
            "add the initiative to plan/initiatives.csv or correct the code in the ledger",
            action="warning",
        ),
        # An identical row is quarantined when it repeats a row of another file, or when its
        # voucher balances without the copy but not with it (an export repeated a line). Identical
        # lines in a voucher that balances with them are real (a salary voucher with a thousand
        # rows) and stay; the GX check lists them as a warning.
        unique(
            "voucher_series",
            "voucher_number",
            "voucher_date",
            "period",
            "account",
            "cost_centre_code",
            "activity_code",
            "project_code",
            "counterparty",
            "amount_sek",
            "text",
            what="an identical ledger row",
            check_action="warning",
        ),
    ),
    vouchers=VoucherRule(),
)
