"""Normalise one cell (text from a CSV, or a typed Excel value) to its canonical string."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pipelines.lib.readers.columns import (
    BOOLEAN_COLUMNS,
    DATE_COLUMNS,
    DECIMAL_COLUMNS,
    INTEGER_COLUMNS,
    MONEY_COLUMNS,
    PERIOD_COLUMNS,
)


class ValueProblem(Exception):
    """One cell that cannot be normalised: what is wrong (`what`) and how to write it (`fix`)."""

    def __init__(self, check: str, what: str, fix: str) -> None:
        super().__init__(what)
        self.check = check
        self.what = what
        self.fix = fix


_SPACES = "\u0020\u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
_SPACED_GROUPS = re.compile(rf"\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?")
_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+")
_INTEGER = re.compile(r"[+-]?\d+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_PERIOD = re.compile(r"(\d{4})-?(\d{2})")

_TRUE = frozenset({"true", "sant", "ja", "yes", "t", "1"})
_FALSE = frozenset({"false", "falskt", "nej", "no", "f", "0"})

NUMBER_FIX = "write numbers like 1234.50, 1234,50 or 1 234,50 (no currency or unit)"
DATE_FIX = "write dates as YYYY-MM-DD (e.g. 2031-03-15)"
PERIOD_FIX = "write periods as YYYY-MM (e.g. 2031-03)"


def normalise_decimal(text: str) -> str | None:
    """`1 234,50`, `-1234,5`, `1234.50`, `1.234,50`, `1,234.50` -> `1234.50` etc.; None if not a number.

    A single comma is a decimal comma (Swedish), never a thousands separator.
    """
    s = text.strip().replace("\u2212", "-")
    negative = False
    if s[:1] in ("-", "+"):
        negative = s[0] == "-"
        s = s[1:].lstrip(_SPACES)
    if not s:
        return None
    if any(ch in s for ch in _SPACES):
        if not _SPACED_GROUPS.fullmatch(s):
            return None
        s = "".join(ch for ch in s if ch not in _SPACES)
    if "," in s and "." in s:
        decimal_sign = "," if s.rfind(",") > s.rfind(".") else "."
        integer, _, fraction = s.rpartition(decimal_sign)
        groups = _DOT_GROUPS if decimal_sign == "," else _COMMA_GROUPS
        if not groups.fullmatch(integer) or not fraction.isdigit():
            return None
        s = integer.replace("." if decimal_sign == "," else ",", "") + "." + fraction
    elif "," in s:
        if s.count(",") > 1:
            return None
        s = s.replace(",", ".")
    if not _PLAIN.fullmatch(s):
        return None
    if s.startswith("."):
        s = "0" + s
    return "-" + s if negative else s


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def normalise_date(text: str) -> str | None:
    """`2031-03-15`, `2031-03-15 00:00:00`, `20310315` -> `2031-03-15`; None otherwise."""
    s = text.strip()
    match = _ISO_DATE.fullmatch(s) or _COMPACT_DATE.fullmatch(s)
    if not match:
        return None
    return _iso(int(match[1]), int(match[2]), int(match[3]))


def normalise_period(text: str) -> str | None:
    """`2031-03`, `203103` or a date in the month -> `2031-03`; None otherwise."""
    s = text.strip()
    match = _PERIOD.fullmatch(s)
    if match:
        month = int(match[2])
        return f"{match[1]}-{match[2]}" if 1 <= month <= 12 else None
    day = normalise_date(s)
    return day[:7] if day else None


def format_number(value: float | int | Decimal, column: str) -> str:
    """An Excel number as canonical text: integral values without decimals, no exponent."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueProblem("number", f"'{value}' is not a finite number", NUMBER_FIX)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        exact = Decimal(repr(value))
        if column in MONEY_COLUMNS and exact.as_tuple().exponent < -2:  # type: ignore[operator]
            rounded = round(value, 2)
            if abs(value - rounded) < 1e-6:
                exact = Decimal(f"{rounded:.2f}")
        return format(exact, "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(int(value))


def _text_value(text: str, column: str) -> str | None:
    s = text.strip()
    if not s:
        return None
    if column in DECIMAL_COLUMNS:
        number = normalise_decimal(s)
        if number is None:
            raise ValueProblem("number", f"'{text}' is not a number", NUMBER_FIX)
        return number
    if column in DATE_COLUMNS:
        day = normalise_date(s)
        if day is None:
            raise ValueProblem("date", f"'{text}' is not a date", DATE_FIX)
        return day
    if column in PERIOD_COLUMNS:
        period = normalise_period(s)
        if period is None:
            raise ValueProblem("period", f"'{text}' is not a period", PERIOD_FIX)
        return period
    if column in INTEGER_COLUMNS:
        if not _INTEGER.fullmatch(s):
            raise ValueProblem(
                "integer", f"'{text}' is not a whole number", "write it as digits only, e.g. 2031"
            )
        return str(int(s))
    if column in BOOLEAN_COLUMNS:
        key = s.casefold()
        if key in _TRUE:
            return "true"
        if key in _FALSE:
            return "false"
        raise ValueProblem(
            "boolean",
            f"'{text}' is not true or false",
            "write true or false (SANT/FALSKT and ja/nej are also read)",
        )
    return s


def normalise_cell(value: object, column: str) -> str | None:
    """One cell (str from CSV, or a typed value from Excel) -> canonical text or None if empty.

    Raises ValueProblem when the value cannot be what the column holds.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return _text_value(value, column)
    if isinstance(value, bool):
        if column in BOOLEAN_COLUMNS:
            return "true" if value else "false"
        if column in DECIMAL_COLUMNS | INTEGER_COLUMNS | DATE_COLUMNS | PERIOD_COLUMNS:
            raise ValueProblem(
                "type",
                f"'{value}' (a true/false cell) is not valid here",
                "enter the value itself, not TRUE/FALSE",
            )
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        text = format_number(value, column)
        if column in DATE_COLUMNS and len(text) != 8:
            # A number in a date column is either YYYYMMDD typed as a number or an unformatted
            # Excel serial day; only the first is unambiguous.
            raise ValueProblem(
                "date",
                f"'{text}' is a number, not a date",
                "format the column as a date (YYYY-MM-DD) in Excel",
            )
        return _text_value(text, column)
    if isinstance(value, datetime):
        if column in PERIOD_COLUMNS:
            return value.strftime("%Y-%m")
        if value.time() == time(0, 0):
            return value.date().isoformat()
        if column in DATE_COLUMNS:
            raise ValueProblem("date", f"'{value.isoformat(sep=' ')}' has a time of day", DATE_FIX)
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        if column in PERIOD_COLUMNS:
            return value.strftime("%Y-%m")
        return value.isoformat()
    if isinstance(value, time | timedelta):
        if column in DECIMAL_COLUMNS | INTEGER_COLUMNS | DATE_COLUMNS | PERIOD_COLUMNS:
            raise ValueProblem(
                "type", f"'{value}' is a time, not valid here", "enter the value itself"
            )
        return str(value)
    raise ValueProblem("type", f"'{value!r}' cannot be read", "enter the value as text or a number")
