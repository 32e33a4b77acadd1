"""Contract for actual usage volumes (`raw.volumes`): period x driver x consumer cost centre."""

from __future__ import annotations

import great_expectations as gx

from expectations.base import LINEAGE_COLUMNS, Contract, KnownCodes, sorted_codes, suite

E = gx.expectations

COLUMNS = ["period", "driver_code", "cost_centre_code", "quantity"]


def build_suite(codes: KnownCodes) -> gx.ExpectationSuite:
    return suite(
        "volumes",
        E.ExpectTableColumnsToMatchSet(column_set=COLUMNS + LINEAGE_COLUMNS, exact_match=True),
        *(E.ExpectColumnValuesToNotBeNull(column=c) for c in COLUMNS),
        E.ExpectColumnValuesToMatchRegex(column="quantity", regex=r"^\d+(\.\d+)?$"),
        E.ExpectColumnValuesToMatchRegex(column="period", regex=r"^\d{4}-(0[1-9]|1[0-2])$"),
        E.ExpectColumnValuesToBeInSet(column="driver_code", value_set=sorted_codes(codes.drivers)),
        E.ExpectColumnValuesToBeInSet(column="cost_centre_code", value_set=sorted_codes(codes.cost_centres)),
        E.ExpectCompoundColumnsToBeUnique(column_list=["period", "driver_code", "cost_centre_code"]),
    )


CONTRACT = Contract(name="volumes", table="volumes", severity="blocking", build_suite=build_suite)
