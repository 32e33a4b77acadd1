"""Cell normalisation: Swedish numbers, dates, periods, booleans and Excel-typed values."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pipelines.lib.readers.values import (
    ValueProblem,
    normalise_cell,
    normalise_decimal,
    normalise_period,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.50", "1234.50"),
        ("1234,50", "1234.50"),
        ("-1234,5", "-1234.5"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234\u00a0567,89", "1234567.89"),
        ("1\u202f234,5", "1234.5"),
        ("\u22121 234", "-1234"),
        ("+12", "12"),
        (",5", "0.5"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("  42  ", "42"),
        ("0,000000000001", "0.000000000001"),
    ],
)
def test_numbers_in_swedish_and_canonical_forms(text: str, expected: str) -> None:
    assert normalise_decimal(text) == expected


@pytest.mark.parametrize(
    "text", ["ett tusen", "12 kr", "1,2,3", "1.2.3", "12 34,5", "1E+05", "1234.", "-", "1.23,4"]
)
def test_things_that_are_not_numbers(text: str) -> None:
    assert normalise_decimal(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2017-03", "2017-03"), ("201703", "2017-03"), ("2017-03-01", "2017-03"), ("2017-13", None)],
)
def test_periods(text: str, expected: str | None) -> None:
    assert normalise_period(text) == expected


@pytest.mark.parametrize(
    ("value", "column", "expected"),
    [
        ("2017-03-15", "voucher_date", "2017-03-15"),
        ("20170315", "voucher_date", "2017-03-15"),
        ("2017-03-15 00:00:00", "valid_from", "2017-03-15"),
        (date(2017, 3, 15), "voucher_date", "2017-03-15"),
        (datetime(2017, 3, 15), "voucher_date", "2017-03-15"),
        (date(2017, 3, 1), "period", "2017-03"),
        (20170315.0, "voucher_date", "2017-03-15"),
        (201703.0, "period", "2017-03"),
        (5460.0, "account", "5460"),
        (12.0, "voucher_number", "12"),
        (1234.5, "amount_sek", "1234.5"),
        (1234.4999999999998, "amount_sek", "1234.50"),
        (0.1 + 0.2, "share", "0.30000000000000004"),
        (2017.0, "fiscal_year", "2017"),
        (True, "is_default", "true"),
        ("SANT", "is_default", "true"),
        ("falskt", "is_adjustment", "false"),
        ("  N131 ", "org_code", "N131"),
        ("", "amount_sek", None),
        ("   ", "text", None),
        (None, "text", None),
    ],
)
def test_cells_become_canonical_text(value: object, column: str, expected: str | None) -> None:
    assert normalise_cell(value, column) == expected


@pytest.mark.parametrize(
    ("value", "column", "check"),
    [
        ("15/3/2017", "voucher_date", "date"),
        ("2017-02-30", "valid_to", "date"),
        (42809.0, "voucher_date", "date"),  # an unformatted Excel serial day
        (datetime(2017, 3, 15, 13, 30), "voucher_date", "date"),
        ("mars 2017", "period", "period"),
        ("tjugo", "quantity", "number"),
        ("2017.5", "fiscal_year", "integer"),
        ("kanske", "is_default", "boolean"),
        (True, "amount_sek", "type"),
        (float("nan"), "amount_sek", "number"),
    ],
)
def test_values_that_do_not_fit_their_column(value: object, column: str, check: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        normalise_cell(value, column)
    assert caught.value.check == check
