"""Budget-versus-outcome variance: the exact decomposition, a reference for the SQL.

The decomposition is computed in dbt (`int_bvo_variance_decomposed`); `decompose_service_month`
here is an independent re-implementation in plain integers, used by the tests to check the
SQL row by row. The sentence that explains a variance line is written in dbt only
(macros/sentences.sql, stored in `rpt_budget_vs_outcome_monthly` and, per service,
`rpt_service_variance_ytd`).

The rule, per service x month, between a plan scenario (0) and the outcome (1), amounts in öre:

* ``driver`` (driver_share / price_list in both): a consumer pays ``A = u * v`` with unit cost
  ``u = C / V`` (C: the service's amount charged to consumers, V: their driver volume).
  volume = ``u0 * (v1 - v0)``, price = ``(u1 - u0) * v1``, key = 0.
* ``key`` (fixed keys and everything else with a plan): ``A = C * s`` with share ``s = A / C``.
  price (cost level) = ``(C1 - C0) * s0``, key = ``C0 * (s1 - s0)``; the interaction
  ``(C1 - C0) * (s1 - s0)`` is left to mix/residual. A side with nothing charged keeps the
  other side's shares (no key change claimed).
* ``unplanned`` (no plan amount in the service x month): everything is mix/residual.
* The part of a service's cost that is not charged to any consumer (price-list surplus or
  deficit, pools not allocated) is its own line (``is_uncharged``): price effect when the
  service has a plan, otherwise mix/residual.

Each of volume, price and key is rounded to the öre (half away from zero); mix/residual is
``total - volume - price - key``, so the four always add up to the total exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Method = Literal["driver", "key", "unplanned"]


# --------------------------------------------------------------------------- decomposition


def round_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero."""
    if denominator == 0:
        raise ZeroDivisionError("round_div by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient = (2 * abs(numerator) + denominator) // (2 * denominator)
    return quotient if numerator >= 0 else -quotient


@dataclass(frozen=True)
class ConsumerAmounts:
    """One consumer's side of a service x month comparison, in öre and milli-units.

    `plan_volume_milli_annual` is the planned annual driver quantity (the plan charges a
    monthly pool by the annual volume share, so a month's planned volume is a twelfth of it);
    `outcome_volume_milli` is the month's actual quantity.
    """

    consumer: str
    plan_ore: int
    outcome_ore: int
    plan_volume_milli_annual: int = 0
    outcome_volume_milli: int = 0
    is_uncharged: bool = False


@dataclass(frozen=True)
class Components:
    """Variance components of one line, in öre; they add up to `total_ore` exactly."""

    volume_ore: int
    price_ore: int
    key_ore: int
    residual_ore: int

    @property
    def total_ore(self) -> int:
        return self.volume_ore + self.price_ore + self.key_ore + self.residual_ore


def decompose_service_month(
    rows: Sequence[ConsumerAmounts], method: Method
) -> dict[str, Components]:
    """The variance of every consumer line of one service x month (see the module docstring)."""
    charged = [r for r in rows if not r.is_uncharged]
    c0 = sum(r.plan_ore for r in charged)
    c1 = sum(r.outcome_ore for r in charged)
    w0 = sum(r.plan_volume_milli_annual for r in charged)
    w1 = sum(r.outcome_volume_milli for r in charged)
    has_plan = method != "unplanned"
    out: dict[str, Components] = {}
    for r in rows:
        total = r.outcome_ore - r.plan_ore
        volume = price = key = 0
        if r.is_uncharged:
            price = total if has_plan else 0
        elif method == "driver" and w0 > 0:
            # u0 = 12 C0 / W0 per milli-unit and month; v0 = x0 / 12.
            volume = round_div(c0 * (12 * r.outcome_volume_milli - r.plan_volume_milli_annual), w0)
            if w1 > 0:
                price = round_div(r.outcome_volume_milli * (c1 * w0 - 12 * c0 * w1), w1 * w0)
        elif has_plan:
            if c0 != 0:
                price = round_div((c1 - c0) * r.plan_ore, c0)
            if c1 != 0:
                key = round_div(c0 * r.outcome_ore, c1) - r.plan_ore
        out[r.consumer] = Components(volume, price, key, total - volume - price - key)
    return out
