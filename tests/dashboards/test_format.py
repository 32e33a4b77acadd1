"""Display formats: Swedish and English, negatives, and öre rounded half-up to tkr with one decimal."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboards.lib.format import (
    format_amount,
    format_date,
    format_datetime,
    format_month,
    format_number,
    format_sek,
    format_share,
    format_tkr,
    sek_to_tkr,
)

NB = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "sv", "en"),
    [
        (Decimal("1234549.99"), f"1{NB}234,5{NB}tkr", f"1,234.5{NB}kSEK"),
        (1234549.99, f"1{NB}234,5{NB}tkr", f"1,234.5{NB}kSEK"),
        (Decimal("689695000.00"), f"689{NB}695,0{NB}tkr", f"689,695.0{NB}kSEK"),
        (Decimal("-1474000.00"), f"-1{NB}474,0{NB}tkr", f"-1,474.0{NB}kSEK"),
        (Decimal("-1234549.99"), f"-1{NB}234,5{NB}tkr", f"-1,234.5{NB}kSEK"),
        (0, f"0,0{NB}tkr", f"0.0{NB}kSEK"),
        (999, f"1,0{NB}tkr", f"1.0{NB}kSEK"),
    ],
)
def test_format_tkr_swedish_and_english(amount: Decimal | float, sv: str, en: str) -> None:
    assert format_tkr(amount) == sv  # Swedish is the default
    assert format_tkr(amount, "sv") == sv
    assert format_tkr(amount, "en") == en


@pytest.mark.parametrize(
    ("amount_sek", "tkr"),
    [
        ("1234549.99", "1234.5"),  # 1 234,54999 -> 1 234,5
        ("1234550.00", "1234.6"),  # exactly half: up, not to even
        ("1234450.00", "1234.5"),  # half-even would give 1 234,4
        ("30000450.00", "30000.5"),
        ("49.99", "0.0"),
        ("50.00", "0.1"),
        ("-50.00", "-0.1"),  # half away from zero, symmetric for credits
        ("-49.99", "0.0"),  # no "-0,0"
        ("0.01", "0.0"),
    ],
)
def test_sek_to_tkr_rounds_ore_half_up_to_one_decimal(amount_sek: str, tkr: str) -> None:
    assert sek_to_tkr(Decimal(amount_sek)) == Decimal(tkr)
    assert str(sek_to_tkr(Decimal(amount_sek))) == tkr


def test_negative_zero_is_printed_as_zero() -> None:
    assert format_tkr(Decimal("-49.99")) == f"0,0{NB}tkr"
    assert format_tkr(Decimal("-50.00")) == f"-0,1{NB}tkr"


def test_format_sek_keeps_ore() -> None:
    assert format_sek(Decimal("1234549.99")) == f"1{NB}234{NB}549,99{NB}kr"
    assert format_sek(Decimal("1234549.99"), "en") == f"1,234,549.99{NB}SEK"
    assert format_sek(Decimal("-0.5")) == f"-0,50{NB}kr"
    assert format_amount(Decimal("1234549.99"), "sek") == f"1{NB}234{NB}549,99{NB}kr"
    assert format_amount(Decimal("1234549.99"), "tkr", "en") == f"1,234.5{NB}kSEK"


@pytest.mark.parametrize("missing", [None, float("nan"), Decimal("NaN")])
def test_missing_values_print_as_dash(missing: object) -> None:
    assert format_tkr(missing) == "–"  # type: ignore[arg-type]
    assert format_sek(missing) == "–"  # type: ignore[arg-type]
    assert format_share(missing) == "–"  # type: ignore[arg-type]


def test_format_share_and_number() -> None:
    assert format_share(Decimal("0.2345")) == f"23,5{NB}%"
    assert format_share(Decimal("0.2345"), "en") == "23.5%"
    assert format_share(Decimal("-0.05")) == f"-5,0{NB}%"
    assert format_number(63) == "63"
    assert format_number(12345) == f"12{NB}345"
    assert format_number(12345, "en") == "12,345"


def test_dates_and_months() -> None:
    assert format_date(date(2017, 3, 1)) == "1 mars 2017"
    assert format_date(date(2017, 3, 1), "en") == "1 March 2017"
    assert format_month(date(2017, 3, 1)) == "mars 2017"
    assert format_month(date(2017, 3, 1), "en") == "March 2017"
    assert format_date(None) == "–"


def test_datetimes_are_shown_in_goteborg_time() -> None:
    # Stored as naive UTC by the pipeline: 11:30 UTC is 12:30 in Göteborg in winter ...
    assert format_datetime(datetime(2017, 3, 1, 11, 30)) == "1 mars 2017 12:30:00"
    # ... and 13:30 in summer.
    assert "13:30" in format_datetime(datetime(2017, 7, 1, 11, 30), "en")


@settings(database=None)  # no .hypothesis/ folder in the checkout
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_swedish_tkr_string_reads_back_as_the_rounded_value(amount: Decimal) -> None:
    text = format_tkr(amount)
    assert text.endswith(f"{NB}tkr")
    number = text.removesuffix(f"{NB}tkr").replace(NB, "").replace(",", ".")
    assert Decimal(number) == sek_to_tkr(amount)
    assert abs(Decimal(number) * 1000 - amount) <= 50
