"""Sjöbacka's expected allocation, worked out by hand: a deliberate second implementation.

The engine (dbt) and the generic file oracle (`pipelines.lib.demo.oracle`) compute what the
delivered files say; this module states what Sjöbacka was *designed* to give, from the design
constants and the contract's rules alone, in steps a person can redo with a calculator:

- **Key-based plan lines** (`fixed_key`, and `direct` in a plan scenario): every plan line is
  a multiple of 12 000 kr, so each month's pool is amount / 12 in whole kronor; an
  organisation's part is pool x its key share, on its default cost centre `<org>.100`. The
  two-decimal keys give whole öre; the thirds of DIG-UTV (0.333333333333 / ...333 / ...334)
  leave one or two öre a month to the largest remainders (`keyed_plan`).
- **Driver-based plan lines** (`driver_share`, `price_list`): an organisation's part is the
  line x its share of the planned volume (only the administrations for EKO-FAKT). The engine
  rounds per cost centre and month, so per organisation this is exact only to within one öre
  per cost centre and month (`driver_plan`).
- **Support pools** (outcome): the step-down and the reciprocal pair solved in closed form,
  T_IT = (a_IT + s(HR->IT) a_HR) / (1 - s(IT->HR) s(HR->IT)) (`support_by_hand`); with the
  designed pools every flow is a whole krona every month (T_IT = 100 000, T_HR = 60 000 kr in
  2024).
- **The price list**: the first year's delivered price is budget / planned computer-months
  (350.00 kr in 2024); the next year's price is carried from the settlement,
  (budget(t+1) - (charged(t) - cost(t))) / planned volume(t+1) (`carried_price`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from pipelines.lib.demo.cities.sjobacka import (
    ADMINISTRATIONS,
    KEYS,
    ORG_BY_CODE,
    ORGANISATIONS,
    PLAN_SERVICES,
    PRICE_LIST_SERVICE,
    SERVICE_BY_ID,
    SUPPORT_MONTHLY,
    SUPPORT_SHARES,
    org_plan_units,
    plan_amount,
    support_factor,
)
from pipelines.lib.demo.oracle import allocate_plan_detail, largest_remainder

KEYED_METHODS = ("fixed_key", "direct")


def default_cost_centre(org: str) -> str:
    return f"{org}.100"


def keyed_plan(year: int, scenario: str) -> dict[tuple[str, int, str], int]:
    """(service, month, default cost centre) -> öre for the key-based plan lines, by hand."""
    out: dict[tuple[str, int, str], int] = {}
    for sid in PLAN_SERVICES:
        amount = plan_amount(sid, year, scenario)
        if not amount or SERVICE_BY_ID[sid].method not in KEYED_METHODS:
            continue
        assert amount % 12_000 == 0, (sid, amount)
        pool = amount * 100 // 12  # öre, the same every month
        split = largest_remainder(
            pool, [(default_cost_centre(org), Fraction(s)) for org, s in KEYS[sid].items()]
        )
        for month in range(1, 13):
            for cc, ore in split.items():
                out[(sid, month, cc)] = ore
    return out


def driver_plan(year: int) -> dict[tuple[str, str], Fraction]:
    """(service, organisation) -> exact SEK of the budget's driver-based plan lines: the line
    x the organisation's share of the planned volume (within the population, if any). Stocks
    count 12 x the stock for everyone, so the stock itself gives the share."""
    out: dict[tuple[str, str], Fraction] = {}
    for sid in PLAN_SERVICES:
        service = SERVICE_BY_ID[sid]
        amount = plan_amount(sid, year)
        if not amount or service.method not in ("driver_share", "price_list"):
            continue
        members = ADMINISTRATIONS if service.population else tuple(ORG_BY_CODE)
        volumes = {org: org_plan_units(ORG_BY_CODE[org], service.driver, year) for org in members}
        total = sum(volumes.values())
        for org in members:
            out[(sid, org)] = Fraction(amount) * volumes[org] / total
    return out


def plan_by_org(landing_dir: Path, year: int, scenario: str) -> dict[tuple[str, str], int]:
    """(service, organisation) -> öre from the delivered files (the generic file oracle)."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for (sid, _, cc), ore in allocate_plan_detail(landing_dir, year, scenario).items():
        totals[(sid, cc.split(".")[0])] += ore
    return dict(totals)


@dataclass(frozen=True)
class SupportMonth:
    """One month of the support pools, by hand (SEK)."""

    totals: dict[str, Fraction]  # T of each pool: own cost + received (reciprocal: solved)
    to_services: dict[str, Fraction]  # what each ordinary service receives


def support_by_hand(year: int) -> SupportMonth:
    """A month of `year`: STÖD-LOKAL (step 1) and STÖD-LEDN (step 2) step down, STÖD-IT and
    STÖD-HR (step 3) solved as a 2 x 2 reciprocal system in closed form."""
    f = support_factor(year)
    own = {pool: SUPPORT_MONTHLY[pool] * f for pool in SUPPORT_MONTHLY}
    share = {pool: {r: Fraction(s) for r, s in SUPPORT_SHARES[pool][1].items()} for pool in own}
    received: dict[str, Fraction] = defaultdict(Fraction)
    totals: dict[str, Fraction] = {}
    for pool in ("STÖD-LOKAL", "STÖD-LEDN"):  # the step-down, in step order
        totals[pool] = own[pool] + received.pop(pool, Fraction(0))
        for receiver, s in share[pool].items():
            received[receiver] += totals[pool] * s
    a_it = own["STÖD-IT"] + received.pop("STÖD-IT")
    a_hr = own["STÖD-HR"] + received.pop("STÖD-HR")
    it_to_hr, hr_to_it = share["STÖD-IT"]["STÖD-HR"], share["STÖD-HR"]["STÖD-IT"]
    t_it = (a_it + hr_to_it * a_hr) / (1 - it_to_hr * hr_to_it)
    t_hr = a_hr + it_to_hr * t_it
    totals["STÖD-IT"], totals["STÖD-HR"] = t_it, t_hr
    for pool, total in (("STÖD-IT", t_it), ("STÖD-HR", t_hr)):
        for receiver, s in share[pool].items():
            if receiver not in ("STÖD-IT", "STÖD-HR"):
                received[receiver] += total * s
    return SupportMonth(totals, dict(sorted(received.items())))


def carried_price(
    budget_next_sek: Fraction, planned_volume_next: Fraction, charged_sek: Fraction,
    cost_sek: Fraction,
) -> Fraction:  # fmt: skip
    """The contract's carried price, exactly: (budget(t+1) - (charged(t) - cost(t))) /
    planned volume(t+1), per unit and month."""
    return (budget_next_sek - (charged_sek - cost_sek)) / planned_volume_next


def delivered_price(year: int) -> Fraction:
    """The price list of a first year: budget / planned computer-months (exact)."""
    service = SERVICE_BY_ID[PRICE_LIST_SERVICE]
    volume = sum(12 * org_plan_units(o, service.driver, year) for o in ORGANISATIONS)
    return Fraction(plan_amount(PRICE_LIST_SERVICE, year), volume)
