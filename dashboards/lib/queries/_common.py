"""What every query module shares: the access-control parameters and small typed helpers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import pandas as pd

from dashboards.lib.auth import Principal

# Outcome (actuals from the ledger) is one scenario among the plan versions.
OUTCOME = "outcome"


def scope(principal: Principal) -> dict[str, object]:
    """Bound parameters of the organisation filter that every organisation-level statement has:
    `and (not $restricted or list_contains($allowed_orgs::varchar[], <org column>))`.

    Both values come from the principal only; no caller can pass them in.
    """
    if not isinstance(principal, Principal):
        raise TypeError(f"queries need the signed-in Principal, got {type(principal).__name__}")
    return {"restricted": principal.is_restricted, "allowed_orgs": principal.org_list}


def may_see_org(principal: Principal, org_code: str | None) -> bool:
    """True when the principal may see rows of `org_code` (used before calls that are not SQL)."""
    scope(principal)
    if org_code is None:
        return False
    return not principal.is_restricted or org_code in (principal.allowed_orgs or ())


def as_date(value: object) -> date:
    """A period month from the snapshot (date, datetime or pandas Timestamp) as a date."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "date") and callable(value.date):
        return value.date()  # type: ignore[no-any-return]
    if isinstance(value, date):
        return value
    raise TypeError(f"not a date: {value!r}")


def decimal_sum(values: Iterable[object]) -> Decimal:
    """Exact sum of money values (Decimal from the snapshot; None/NaN count as nothing)."""
    total = Decimal(0)
    for value in values:
        if value is None:
            continue
        if isinstance(value, float):
            if value != value:  # NaN
                continue
            total += Decimal(str(value))
        else:
            total += Decimal(value)  # type: ignore[arg-type]
    return total


def text_param(value: str | None, limit: int = 200) -> str:
    """Free text from a widget as a bound parameter: stripped, bounded, NUL removed."""
    return (value or "").replace("\x00", "").strip()[:limit]
