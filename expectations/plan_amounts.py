"""Contract for plan amounts (`raw.plan_amounts`): budget and forecasts per service line."""

from __future__ import annotations

import great_expectations as gx

from expectations.base import LINEAGE_COLUMNS, Contract, KnownCodes, sorted_codes, suite

E = gx.expectations

COLUMNS = ["fiscal_year", "scenario", "plan_version", "service_id", "cost_type", "amount_sek"]


def build_suite(codes: KnownCodes) -> gx.ExpectationSuite:
    return suite(
        "plan_amounts",
        E.ExpectTableColumnsToMatchSet(column_set=COLUMNS + LINEAGE_COLUMNS, exact_match=True),
        *(E.ExpectColumnValuesToNotBeNull(column=c) for c in COLUMNS),
        E.ExpectColumnValuesToMatchRegex(column="amount_sek", regex=r"^-?\d+(\.\d{1,2})?$"),
        E.ExpectColumnValuesToMatchRegex(column="scenario", regex=r"^(budget|forecast_\d+|proposal)$"),
        E.ExpectColumnValuesToBeInSet(column="cost_type", value_set=["maintenance", "development"]),
        E.ExpectColumnValuesToBeInSet(column="service_id", value_set=sorted_codes(codes.services)),
        E.ExpectCompoundColumnsToBeUnique(column_list=["fiscal_year", "scenario", "service_id"]),
    )


CONTRACT = Contract(name="plan_amounts", table="plan_amounts", severity="blocking", build_suite=build_suite)
