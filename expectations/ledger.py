"""Contract for general-ledger transactions (`raw.ledger`): one file per period, balanced vouchers."""

from __future__ import annotations

import great_expectations as gx
import pandas as pd

from expectations.base import LINEAGE_COLUMNS, Contract, KnownCodes, sorted_codes, suite

E = gx.expectations

COLUMNS = [
    "voucher_series", "voucher_number", "voucher_date", "period", "account", "cost_centre_code",
    "activity_code", "project_code", "counterparty", "amount_sek", "text",
]
AMOUNT = r"^-?\d+(\.\d{1,2})?$"


def build_suite(codes: KnownCodes) -> gx.ExpectationSuite:
    years = "|".join(str(y) for y in sorted(codes.fiscal_years)) or r"\d{4}"
    periods = rf"^({years})-(0[1-9]|1[0-2])$"
    return suite(
        "ledger",
        E.ExpectTableColumnsToMatchSet(column_set=COLUMNS + LINEAGE_COLUMNS, exact_match=True),
        *(E.ExpectColumnValuesToNotBeNull(column=c) for c in
          ("voucher_series", "voucher_number", "voucher_date", "period", "account", "amount_sek")),
        E.ExpectColumnValuesToMatchRegex(column="amount_sek", regex=AMOUNT),
        E.ExpectColumnValuesToMatchRegex(column="period", regex=periods),
        E.ExpectColumnValuesToBeInSet(column="account", value_set=sorted_codes(codes.accounts)),
        E.ExpectColumnValuesToBeInSet(column="cost_centre_code", value_set=sorted_codes(codes.cost_centres)),
        # Unknown activity codes are not fatal: they land in the unallocated pool, shown, never dropped.
        E.ExpectColumnValuesToBeInSet(column="activity_code", value_set=sorted_codes(codes.services), mostly=0.99),
        E.ExpectCompoundColumnsToBeUnique(
            column_list=["voucher_series", "voucher_number", "account", "cost_centre_code",
                         "activity_code", "project_code", "amount_sek", "text"]
        ),
    )


def derive(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One row per voucher with the sum of its rows in öre, which must be 0."""
    cents = pd.to_numeric(frame["amount_sek"], errors="coerce").mul(100).round()
    vouchers = (
        frame.assign(amount_ore=cents)
        .groupby(["_source_file", "voucher_series", "voucher_number"], dropna=False)["amount_ore"]
        .sum()
        .reset_index()
    )
    return {"vouchers": vouchers}


def build_voucher_suite(codes: KnownCodes) -> gx.ExpectationSuite:
    return suite(
        "ledger_vouchers_balanced",
        E.ExpectColumnValuesToBeBetween(column="amount_ore", min_value=0, max_value=0),
    )


CONTRACT = Contract(
    name="ledger",
    table="ledger",
    severity="blocking",
    build_suite=build_suite,
    derive=derive,
    derived_suites={"vouchers": build_voucher_suite},
)
