"""What-if arithmetic: re-allocate one service's plan with another key, driver, price, volume or
cost, in memory. Pure functions over DataFrames; nothing is written anywhere.

The re-allocation uses the same rule as the warehouse: shares of the weights, rounded to the
öre by the engine's largest remainder (pipelines.lib.allocation.largest_remainder, ties to the
lower organisation code), so the simulated amounts add up to the simulated pool exactly. A new
unit price on a price-list service charges price x volume instead, and the difference to the
pool is shown as the surplus or deficit it would leave.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import pandas as pd

from pipelines.lib.allocation.largest_remainder import largest_remainder

Basis = Literal["current", "driver", "equal"]
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Change:
    """One what-if: every field left at its default changes nothing."""

    basis: Basis = "current"  # current method, another driver's volumes, equal shares
    driver_code: str | None = None  # for basis == "driver"
    pool_change_pct: Decimal = Decimal(0)  # the service's cost, +/- percent
    unit_price_sek: Decimal | None = None  # price-list services: a new price per unit and month
    volume_change_pct: Mapping[str, Decimal] = field(default_factory=dict)  # org -> +/- percent

    @property
    def is_neutral(self) -> bool:
        return (
            self.basis == "current"
            and self.pool_change_pct == 0
            and self.unit_price_sek is None
            and not any(v != 0 for v in self.volume_change_pct.values())
        )


def _split_sek(pool_sek: Decimal, orgs: list[str], weights: list[Fraction]) -> list[Decimal]:
    """`pool_sek` over the organisations' weights in whole öre by the engine's largest
    remainder (ties: the lower organisation code), so the parts sum to the pool exactly."""
    pool_ore = int((Decimal(pool_sek) / CENT).to_integral_value())
    split = largest_remainder(pool_ore, list(zip(orgs, weights, strict=True)))
    return [Decimal(split[org]) * CENT for org in orgs]


def _fraction(value: object) -> Fraction:
    if value is None:
        return Fraction(0)
    if isinstance(value, float):
        return Fraction(0) if value != value else Fraction(Decimal(str(value)))
    return Fraction(Decimal(value))  # type: ignore[arg-type]


def simulate(
    base: pd.DataFrame,
    *,
    method: str,
    pool_sek: Decimal,
    change: Change,
    driver_volumes: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, Decimal, Decimal]:
    """Re-allocate one service for every organisation in `base`.

    `base` columns: org_code, org_name, amount_sek (current), annual_volume (driver quantity,
    null for fixed keys), share (current share of the pool). `driver_volumes` (org_code,
    annual_volume) is the other driver for basis "driver".
    Returns (rows, simulated pool, simulated charged total) where rows has org_code, org_name,
    current_sek, simulated_sek, difference_sek, current_share, simulated_share.
    """
    # Organisations keep the order of `base` (group, then code); new consumers come last.
    rows = base[["org_code", "org_name", "amount_sek", "annual_volume", "share"]].copy()
    if change.basis == "driver" and driver_volumes is not None:
        extra = driver_volumes[~driver_volumes["org_code"].isin(rows["org_code"])]
        if not extra.empty:
            rows = pd.concat(
                [
                    rows,
                    pd.DataFrame(
                        {
                            "org_code": extra["org_code"],
                            "org_name": extra.get("org_name", extra["org_code"]),
                            "amount_sek": [Decimal(0)] * len(extra),
                            "annual_volume": [None] * len(extra),
                            "share": [None] * len(extra),
                        }
                    ),
                ],
                ignore_index=True,
            )
    rows = rows.reset_index(drop=True)
    pct = Decimal(1) + Decimal(change.pool_change_pct) / 100
    new_pool = (Decimal(pool_sek) * pct).quantize(CENT)

    def volume_factor(org: str) -> Fraction:
        return Fraction(Decimal(1) + Decimal(change.volume_change_pct.get(org, 0)) / 100)

    if change.basis == "equal":
        weights = [Fraction(1) if _fraction(a) != 0 else Fraction(0) for a in rows["amount_sek"]]
    elif change.basis == "driver" and driver_volumes is not None:
        volumes = dict(
            zip(driver_volumes["org_code"], driver_volumes["annual_volume"], strict=True)
        )
        weights = [_fraction(volumes.get(org)) * volume_factor(org) for org in rows["org_code"]]
    elif method in ("driver_share", "price_list"):
        weights = [
            _fraction(v) * volume_factor(org)
            for org, v in zip(rows["org_code"], rows["annual_volume"], strict=True)
        ]
    else:
        # A fixed key (or another method without a volume): the decided shares.
        weights = [_fraction(s) for s in rows["share"]]

    if change.unit_price_sek is not None and method == "price_list" and change.basis == "current":
        price = Decimal(change.unit_price_sek)
        simulated = [
            (price * Decimal(w.numerator) / Decimal(w.denominator)).quantize(CENT) for w in weights
        ]
    elif sum(weights, Fraction(0)) == 0:
        simulated = [Decimal(0)] * len(rows)
    else:
        simulated = _split_sek(new_pool, [str(o) for o in rows["org_code"]], weights)

    current = [Decimal(a) if a is not None else Decimal(0) for a in rows["amount_sek"]]
    current_total = sum(current, Decimal(0))
    simulated_total = sum(simulated, Decimal(0))
    out = pd.DataFrame(
        {
            "org_code": rows["org_code"],
            "org_name": rows["org_name"],
            "current_sek": current,
            "simulated_sek": simulated,
            "difference_sek": [s - c for s, c in zip(simulated, current, strict=True)],
            "current_share": [c / current_total if current_total else None for c in current],
            "simulated_share": [
                s / simulated_total if simulated_total else None for s in simulated
            ],
        }
    )
    return out, new_pool, simulated_total
