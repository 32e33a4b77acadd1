"""Swedish and English display formats for money, shares and dates (babel, never hand-rolled)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers

Lang = Literal["sv", "en"]
Unit = Literal["tkr", "sek"]

LOCALES: dict[Lang, str] = {"sv": "sv_SE", "en": "en_GB"}
# The city's clock: timestamps are stored in UTC and shown in local time.
TIMEZONE = ZoneInfo("Europe/Stockholm")
# Between number and unit, so that "1 234,5 tkr" never wraps before the unit.
NBSP = "\u00a0"
MISSING = "–"

_UNIT_LABELS: dict[Unit, dict[Lang, str]] = {
    "tkr": {"sv": "tkr", "en": "kSEK"},
    "sek": {"sv": "kr", "en": "SEK"},
}

Number = Decimal | int | float


def to_decimal(value: Number | str | None) -> Decimal | None:
    """An exact Decimal for a money value; None for missing values (None, NaN)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        # str() gives the shortest repr, so 0.1 becomes Decimal("0.1"), not 0.1000000000000000055.
        return Decimal(str(value))
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _quantize(value: Decimal, decimals: int) -> Decimal:
    # Half-up, as money is rounded in Swedish public accounts (babel alone would round half-even).
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    # -0.04 tkr rounds to -0.0, which should read as 0,0.
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def sek_to_tkr(amount_sek: Number | None, decimals: int = 1) -> Decimal | None:
    """Thousand SEK rounded half-up to `decimals` places."""
    amount = to_decimal(amount_sek)
    if amount is None:
        return None
    return _quantize(amount / 1000, decimals)


def format_number(value: Number | None, lang: Lang = "sv", decimals: int = 0) -> str:
    """A plain number with the locale's grouping and decimal separators."""
    number = to_decimal(value)
    if number is None:
        return MISSING
    return babel_numbers.format_decimal(
        _quantize(number, decimals), _pattern(decimals), locale=LOCALES[lang]
    )


def unit_label(unit: Unit, lang: Lang = "sv") -> str:
    return _UNIT_LABELS[unit][lang]


def format_tkr(amount_sek: Number | None, lang: Lang = "sv", decimals: int = 1) -> str:
    """SEK shown in thousands: 1234549.99 -> '1 234,5 tkr' (sv) or '1,234.5 kSEK' (en)."""
    tkr = sek_to_tkr(amount_sek, decimals)
    if tkr is None:
        return MISSING
    number = babel_numbers.format_decimal(tkr, _pattern(decimals), locale=LOCALES[lang])
    return f"{number}{NBSP}{unit_label('tkr', lang)}"


def format_sek(amount_sek: Number | None, lang: Lang = "sv", decimals: int = 2) -> str:
    """SEK with öre: 1234549.99 -> '1 234 549,99 kr' (sv) or '1,234,549.99 SEK' (en)."""
    amount = to_decimal(amount_sek)
    if amount is None:
        return MISSING
    number = babel_numbers.format_decimal(
        _quantize(amount, decimals), _pattern(decimals), locale=LOCALES[lang]
    )
    return f"{number}{NBSP}{unit_label('sek', lang)}"


def format_amount(amount_sek: Number | None, unit: Unit = "tkr", lang: Lang = "sv") -> str:
    """The page-level switch between tkr (default) and SEK."""
    return format_sek(amount_sek, lang) if unit == "sek" else format_tkr(amount_sek, lang)


def format_share(share: Number | None, lang: Lang = "sv", decimals: int = 1) -> str:
    """A share of 1 as a percentage: 0.2345 -> '23,5 %' (sv) or '23.5%' (en)."""
    value = to_decimal(share)
    if value is None:
        return MISSING
    # Rounded half-up here; babel's percent pattern would round half-even.
    percent = _quantize(value * 100, decimals)
    pattern = _pattern(decimals) + ("\u00a0%" if lang == "sv" else "%")
    return babel_numbers.format_percent(percent / 100, pattern, locale=LOCALES[lang])


def format_date(value: date | None, lang: Lang = "sv", style: str = "long") -> str:
    """A calendar date: 2031-03-01 -> '1 mars 2031' (sv) or '1 March 2031' (en)."""
    if value is None:
        return MISSING
    return babel_dates.format_date(value, format=style, locale=LOCALES[lang])


def format_month(value: date | None, lang: Lang = "sv") -> str:
    """A period month: 2031-03-01 -> 'mars 2031' (sv) or 'March 2031' (en)."""
    if value is None:
        return MISSING
    return babel_dates.format_skeleton("yMMMM", value, locale=LOCALES[lang])


def format_datetime(value: datetime | None, lang: Lang = "sv", style: str = "medium") -> str:
    """A moment in Göteborg time. Naive datetimes are taken as UTC (how the pipeline stores them)."""
    if value is None:
        return MISSING
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return babel_dates.format_datetime(value, format=style, tzinfo=TIMEZONE, locale=LOCALES[lang])


def format_signed_amount(amount_sek: Number | None, unit: Unit = "tkr", lang: Lang = "sv") -> str:
    """A variance: '+412,0 tkr', '-1 474,0 tkr', '0,0 tkr' (no sign for what rounds to zero)."""
    text = format_amount(amount_sek, unit, lang)
    if text == MISSING or text.startswith("-"):
        return text
    shown = sek_to_tkr(amount_sek) if unit == "tkr" else to_decimal(amount_sek)
    if shown is None or shown.is_zero():
        return text
    return "+" + text


def format_quantity(value: Number | None, lang: Lang = "sv", decimals: int = 0) -> str:
    """A driver volume or a count: '24 417' (sv) or '24,417' (en)."""
    return format_number(value, lang, decimals)


def format_unit_price(value: Number | None, lang: Lang = "sv") -> str:
    """A unit price in SEK with öre: '285,94 kr' (sv) / '285.94 SEK' (en)."""
    return format_sek(value, lang, decimals=2)


def format_signed_number(value: Number | None, lang: Lang = "sv", decimals: int = 0) -> str:
    """A difference as a plain number with its sign: '+1,5', '-11,2', '0,0'."""
    number = to_decimal(value)
    if number is None:
        return MISSING
    text = format_number(number, lang, decimals)
    return text if text.startswith("-") or _quantize(number, decimals).is_zero() else "+" + text
