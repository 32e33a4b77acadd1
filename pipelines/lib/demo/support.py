"""Intraservice's internal support pools in the outcome: how much they cost and how they are charged on.

Four pools that are not published service lines (their budget sits inside the service lines):
premises `IS-LOKAL`, management and staff `IS-ADM`, internal IT operations `IS-ITDRIFT` and
internal HR and payroll `IS-HR`. In each year's ledger a fixed amount (about 4 % of
Intraservice's cost, `SUPPORT_POOLS_SEK`) is booked on them instead of on the services: it is
carved out of the maintenance services in proportion to their staff cost, so the ledger total
does not change. `plan/support_allocations.csv` says how the pools go back to the services:

1. `IS-LOKAL`, step-down, by floor area, to `IS-ADM`, `IS-ITDRIFT`, `IS-HR` and the services;
2. `IS-ADM`, step-down, by headcount, to `IS-ITDRIFT`, `IS-HR` and the services (never back);
3. `IS-ITDRIFT` (by tickets) and `IS-HR` (by headcount), reciprocal: they use each other
   (8 % of IT operations goes to HR, 5 % of HR to IT operations), the rest to the services.

Everything here is deterministic (no seed, no scale): the pools, the bases and so the shares
are the same in every generated city, so the hand-computed solution in the tests holds for all.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from pipelines.lib.allocation.largest_remainder import split_in_order
from pipelines.lib.demo.catalogue import (
    DIRECT_CHARGE,
    SUPPORT_IDS,
    Catalogue,
    PlanVersion,
)
from pipelines.lib.demo.ledger import cost_mix

SHARE_UNITS = 10**12
# Designed annual cost of each pool (SEK); later years grow 2.5 % a year.
SUPPORT_POOLS_SEK: dict[int, dict[str, int]] = {
    2016: {
        "IS-LOKAL": 8_760_000,
        "IS-ADM": 10_800_000,
        "IS-ITDRIFT": 5_040_000,
        "IS-HR": 3_600_000,
    },
    2017: {
        "IS-LOKAL": 9_000_000,
        "IS-ADM": 11_400_000,
        "IS-ITDRIFT": 5_400_000,
        "IS-HR": 3_840_000,
    },
}
# (support service, step order, method, basis)
STEPS: tuple[tuple[str, int, str, str], ...] = (
    ("IS-LOKAL", 1, "step_down", "floor_area"),
    ("IS-ADM", 2, "step_down", "headcount"),
    ("IS-ITDRIFT", 3, "reciprocal", "tickets"),
    ("IS-HR", 3, "reciprocal", "headcount"),
)
# Fixed shares inside the reciprocal pair (on the 1e-12 grid).
RECIPROCAL_SHARES = {
    ("IS-ITDRIFT", "IS-HR"): 80_000_000_000,
    ("IS-HR", "IS-ITDRIFT"): 50_000_000_000,
}
# The support units' own headcount (tenths of FTE) and floor area (m²; management has the
# reception and the board room, IT operations a server room).
SUPPORT_HEADCOUNT_TENTHS = {"IS-ADM": 220, "IS-ITDRIFT": 120, "IS-HR": 90}
SUPPORT_FLOOR_AREA = {"IS-ADM": 460, "IS-ITDRIFT": 250, "IS-HR": 130}
COST_PER_FTE_ORE = 850_000_00  # salary incl. employer contributions per full-time employee
FLOOR_AREA_PER_FTE = 14.0
TICKETS_PER_FTE = 35.0


@dataclass(frozen=True)
class SupportShare:
    """One row of plan/support_allocations.csv."""

    fiscal_year: int
    support_service_id: str
    receiving_service_id: str
    basis: str
    share_units: int  # on the 1e-12 grid; the shares of one support service sum to 1e12
    step_order: int
    method: str


def pool_amounts(year: int) -> dict[str, int]:
    """Designed annual cost (öre) of each support pool in `year`."""
    if year in SUPPORT_POOLS_SEK:
        sek = SUPPORT_POOLS_SEK[year]
    else:
        base = SUPPORT_POOLS_SEK[max(SUPPORT_POOLS_SEK)]
        growth = 1.025 ** (year - max(SUPPORT_POOLS_SEK))
        sek = {s: round(v * growth / 1000) * 1000 for s, v in base.items()}
    return {s: sek[s] * 100 for s in SUPPORT_IDS}


def receiving_services(cat: Catalogue, budget: PlanVersion) -> list[str]:
    """Services that carry (and get back) Intraservice's overhead: the positive maintenance
    lines of the year's budget, except balancing lines and directly charged services."""
    year = budget.fiscal_year
    out = []
    for sid, amount in sorted(budget.amounts.items()):
        period = cat.period(sid, year)
        if (
            amount > 0
            and period.cost_type == "maintenance"
            and not period.is_adjustment
            and not period.is_support
            and sid not in DIRECT_CHARGE
        ):
            out.append(sid)
    return out


def staff_weights(cat: Catalogue, budget: PlanVersion) -> dict[str, int]:
    """Budgeted staff cost (öre) of each receiving service: budget x salary share of its mix."""
    year = budget.fiscal_year
    out = {}
    for sid in receiving_services(cat, budget):
        share = cost_mix(sid, cat.period(sid, year)).get("salary", 0.0)
        out[sid] = max(1, round(budget.amounts[sid] * share))
    return out


def carve_out(cat: Catalogue, budget: PlanVersion) -> dict[str, int]:
    """Öre taken from each receiving service's outcome to book on the support pools instead.

    Whole kronor, in proportion to the budgeted staff cost; sums to the pools' total exactly.
    """
    weights = staff_weights(cat, budget)
    total_kr = sum(pool_amounts(budget.fiscal_year).values()) // 100
    codes = sorted(weights)
    parts = split_in_order(total_kr, [weights[c] for c in codes])
    return {c: p * 100 for c, p in zip(codes, parts, strict=True)}


def _jitter(basis: str, sid: str) -> float:
    """A fixed factor 0.8-1.2 per basis and service (reproducible without a seed)."""
    return 0.8 + 0.4 * (zlib.crc32(f"{basis}:{sid}".encode()) % 1000) / 999


def bases(cat: Catalogue, budget: PlanVersion) -> dict[str, dict[str, int]]:
    """basis -> receiving service (incl. support units) -> quantity (integers)."""
    weights = staff_weights(cat, budget)
    headcount = {
        sid: max(1, round(w * 10 / COST_PER_FTE_ORE * _jitter("headcount", sid)))
        for sid, w in weights.items()
    }
    area = {
        sid: max(1, round(hc / 10 * FLOOR_AREA_PER_FTE * _jitter("floor_area", sid)))
        for sid, hc in headcount.items()
    }
    year = budget.fiscal_year
    tickets = {
        sid: max(
            1,
            round(
                hc / 10 * TICKETS_PER_FTE * _jitter("tickets", sid)
                * (1.6 if cat.period(sid, year).area == "IT" else 1.0)
            ),
        )
        for sid, hc in headcount.items()
    }  # fmt: skip
    return {
        "headcount": {**SUPPORT_HEADCOUNT_TENTHS, **headcount},
        "floor_area": {**SUPPORT_FLOOR_AREA, **area},
        "tickets": tickets,
    }


def support_shares(cat: Catalogue, budget: PlanVersion) -> list[SupportShare]:
    """The rows of plan/support_allocations.csv for the budget's fiscal year (scenario outcome)."""
    year = budget.fiscal_year
    quantities = bases(cat, budget)
    services = receiving_services(cat, budget)
    order = {sid: step for sid, step, _, _ in STEPS}
    rows: list[SupportShare] = []
    for sid, step, method, basis in STEPS:
        fixed = {r: u for (s, r), u in RECIPROCAL_SHARES.items() if s == sid}
        if method == "step_down":
            # Only to support units of later steps, never back to an earlier (or the same) one.
            receivers = [s for s in SUPPORT_IDS if order[s] > step] + services
        else:
            receivers = [s for s in SUPPORT_IDS if s in fixed] + services
        free = [r for r in receivers if r not in fixed]
        units = split_in_order(
            SHARE_UNITS - sum(fixed.values()), [quantities[basis][r] for r in free]
        )
        shares = {**fixed, **dict(zip(free, units, strict=True))}
        for r in receivers:
            if shares[r] > 0:
                rows.append(SupportShare(year, sid, r, basis, shares[r], step, method))
    return rows
