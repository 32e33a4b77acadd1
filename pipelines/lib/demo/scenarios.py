"""The demo city's forecasts and outcome story: what differs from the budget, and why.

Forecasts of 2017 (P1 in April, P2 in August, `catalogue.FORECASTS_2017`) keep the budget's
keys and planned volumes, with extra IT workplaces in the schools (the digital classroom).

The outcome of a year is designed per service before the ledger is written:

- every service: the budget give or take a seeded few percent, or, where the year's last
  forecast foresaw a deviation, that forecast give or take 1 %;
- 2017, `IT-ARB` (volume effect): +1 200 devices on average (schools, digital classroom), at
  the budget's unit price, and the same devices in the actual WORKPLACE volumes;
- 2017, `IT-WAN` (price effect): the operator's connection fee rose 7.5 % from May; volumes as
  planned, so the price list under-recovers;
- 2017, `VO-VO` (key change): Angered (N131) took its home care into the care system in the
  spring; the outcome key `KEYS-2017-U` gives it 2 percentage points more of Vård och omsorg,
  the other organisations proportionally less;
- then Intraservice's support pools are carved out of the services (`support.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from pipelines.lib.allocation.largest_remainder import split_in_order
from pipelines.lib.demo.calibrate import SHARE_UNITS, VersionCalibration
from pipelines.lib.demo.catalogue import (
    DIRECT_CHARGE,
    SDF_CODES,
    SUPPORT_IDS,
    UTBILDNINGSFORVALTNINGEN,
    Catalogue,
    PlanVersion,
)
from pipelines.lib.demo.support import STEPS, carve_out, pool_amounts

# Where extra IT workplaces go: the schools (the districts and the education administration).
SCHOOL_ORGS = SDF_CODES + (UTBILDNINGSFORVALTNINGEN,)
# Extra devices (average stock over the year) in the outcome.
OUTCOME_EXTRA_WORKPLACES = {2017: 1_200}
# (year, service, relative price rise, first month it applies)
PRICE_RISES = ((2017, "IT-WAN", 0.075, 5),)
# (year, service, organisation, added share on the 1e-12 grid)
KEY_CHANGES = ((2017, "VO-VO", "N131", 20_000_000_000),)


def outcome_key_set(year: int) -> str:
    return f"KEYS-{year}-U"


def with_extra_workplaces(
    cc_volumes: dict[str, dict[str, int]], devices: int
) -> dict[str, dict[str, int]]:
    """The volumes with `devices` x 12 more WORKPLACE unit-months on the schools' cost centres
    (in proportion to the workplaces they already have)."""
    if not devices:
        return cc_volumes
    workplaces = cc_volumes["WORKPLACE"]
    schools = [cc for cc in workplaces if cc.split("-")[0] in SCHOOL_ORGS]
    extra = split_in_order(devices * 12, [workplaces[cc] for cc in schools])
    grown = dict(workplaces)
    for cc, units in zip(schools, extra, strict=True):
        grown[cc] += units
    return {**cc_volumes, "WORKPLACE": grown}


def derive_forecast(base: VersionCalibration, version: PlanVersion) -> VersionCalibration:
    """A forecast with the keys of `base` and its planned volumes plus the foreseen devices."""
    return replace(
        base,
        version=version,
        targets={},
        result={},
        cc_volumes=with_extra_workplaces(base.cc_volumes, version.extra_workplaces),
    )


def outcome_volumes(
    budget: VersionCalibration,
) -> tuple[dict[str, dict[str, int]], tuple[str, ...]]:
    """The annual volumes the actual monthly volumes are drawn around, and the drivers that
    carry a story (drawn without year drift)."""
    devices = OUTCOME_EXTRA_WORKPLACES.get(budget.version.fiscal_year, 0)
    steady = ("WORKPLACE",) if devices else ()
    return with_extra_workplaces(budget.cc_volumes, devices), steady


@dataclass
class OutcomeDesign:
    """The designed annual outcome of one fiscal year, in öre."""

    year: int
    designed: dict[str, int]  # published service lines, before the support pools are carved out
    carved: dict[str, int]  # taken from each service and booked on the support pools instead
    outcome: dict[str, int]  # what the ledger books: services after carve-out, and the pools
    effects: dict[str, int] = field(default_factory=dict)  # story effect per service (öre)


def design_outcome(
    cat: Catalogue,
    budget: VersionCalibration,
    forecast: PlanVersion | None,
    rng: np.random.Generator,
) -> OutcomeDesign:
    """The year's outcome per service (independent of the scale: its own random stream)."""
    version = budget.version
    year = version.fiscal_year
    designed: dict[str, int] = {}
    for sid in sorted(version.amounts):
        if cat.period(sid, year).is_adjustment:
            continue
        variance = float(np.clip(rng.normal(0.01, 0.03), -0.08, 0.08))
        noise = float(rng.normal(0.0, 0.01))
        amount = version.amounts[sid]
        if forecast is not None and forecast.amounts.get(sid, amount) != amount:
            total = forecast.amounts[sid] * (1 + noise)  # a foreseen deviation, give or take
        else:
            total = amount * (1 + variance)
        designed[sid] = int(round(total / 100)) * 100
    effects: dict[str, int] = {}
    devices = OUTCOME_EXTRA_WORKPLACES.get(year, 0)
    if devices and "IT-ARB" in version.amounts:
        planned_units = sum(budget.cc_volumes["WORKPLACE"].values())
        amount = version.amounts["IT-ARB"]
        effects["IT-ARB"] = round(amount * devices * 12 / planned_units / 100) * 100
        designed["IT-ARB"] = amount + effects["IT-ARB"]
    for rise_year, sid, rise, first_month in PRICE_RISES:
        if rise_year == year and sid in version.amounts:
            amount = version.amounts[sid]
            effects[sid] = round(amount * rise * (13 - first_month) / 12 / 100) * 100
            designed[sid] = amount + effects[sid]
    carved = carve_out(cat, version)
    outcome = {sid: total - carved.get(sid, 0) for sid, total in designed.items()}
    outcome.update(pool_amounts(year))
    return OutcomeDesign(year, designed, carved, outcome, effects)


def outcome_keys(budget: VersionCalibration) -> dict[str, dict[str, int]]:
    """Key changes of the outcome: service -> org -> share units (the budget's key, changed)."""
    year = budget.version.fiscal_year
    out: dict[str, dict[str, int]] = {}
    for change_year, sid, org, added in KEY_CHANGES:
        if change_year != year or sid not in budget.fixed_shares:
            continue
        old = budget.fixed_shares[sid]
        mine = old[org] + added
        others = sorted(c for c in old if c != org)
        parts = split_in_order(SHARE_UNITS - mine, [old[c] for c in others])
        out[sid] = dict(sorted({org: mine, **dict(zip(others, parts, strict=True))}.items()))
    return out


def outcome_methods(cat: Catalogue, budget: VersionCalibration) -> list[list[str]]:
    """service_methods rows of scenario `outcome`: the budget's rule for every service, except
    directly charged services, changed keys and the support pools."""
    version = budget.version
    year = version.fiscal_year
    changed = outcome_keys(budget)
    methods = {sid: step_method for sid, _, step_method, _ in STEPS}
    rows: list[list[str]] = []
    services = [s for s in version.amounts if not cat.period(s, year).is_adjustment]
    for sid in sorted([*services, *SUPPORT_IDS]):
        if sid in SUPPORT_IDS:
            method, driver, key_set = methods[sid], "", ""
        elif sid in DIRECT_CHARGE:
            method, driver, key_set = "direct", "", ""
        elif sid in changed:
            method, driver, key_set = "fixed_key", "", outcome_key_set(year)
        else:
            m = budget.methods[sid]
            method, driver, key_set = m.method, m.driver, version.key_set_for(m)
        rows.append(
            [str(year), "outcome", sid, f"ALLOC-{year}-outcome-{sid}", method, driver, key_set]
        )
    return rows
