"""Driver volumes of the demo city: planned volumes per organisation and cost centre, and actuals.

Quantities are real-world counts and do **not** depend on `--scale`: about 24 000 IT
workplaces, 405 000 paper invoices planned for 2016 (400 000 actual, per the E-handel plan),
whatever the scale. The scale only changes how many cost centres (and so how many rows) the
same organisation totals are spread over, so rows shrink in quantity when the scale grows.

Every quantity is additive over months. For stock drivers (workplaces, connections, ports,
GB, mailboxes, employees, subscriptions, registered chemical products) the annual planned
quantity is in unit-months, i.e. the sum of the twelve monthly stocks, and the price list is
per unit and month. HEADCOUNT has one decimal (part-time staff); every other driver is integer.
Internally quantities are integer "units" (tenths for HEADCOUNT).
"""

from __future__ import annotations

import numpy as np

from pipelines.lib.allocation.largest_remainder import split_in_order
from pipelines.lib.demo.catalogue import (
    DRIVER_BY_CODE,
    SDF_CODES,
    SOCIAL_RESURS,
    UTBILDNINGSFORVALTNINGEN,
    Catalogue,
    PlanVersion,
)
from pipelines.lib.demo.costcentres import CostCentre

# Average monthly stock in 2016 (P0), or annual count for flow drivers. Telephony runs on the
# city-wide contract, so every organisation has subscriptions, inside the IT environment or not.
BASE_2016: dict[str, int] = {
    "WORKPLACE": 24_000,
    "WAN_CONN": 1_400,
    "LAN_PORT": 45_000,
    "STORAGE_GB": 420_000,
    "MAILBOX": 52_000,
    "HEADCOUNT": 58_000,
    "PHONE_SUB": 36_000,
    "CHEM_PRODUCT": 11_000,
    "EINVOICE": 520_000,
    "PAPER_INVOICE": 405_000,
}
FLOW_DRIVERS = ("EINVOICE", "PAPER_INVOICE", "INVOICE")
# Planned growth per year after 2016 (paper invoices fall as e-invoices rise towards 80 %).
GROWTH: dict[str, float] = {
    "WORKPLACE": 1.04, "WAN_CONN": 1.02, "LAN_PORT": 1.03, "STORAGE_GB": 1.15, "MAILBOX": 1.02,
    "HEADCOUNT": 1.01, "PHONE_SUB": 1.00, "CHEM_PRODUCT": 1.05, "EINVOICE": 1.22,
    "PAPER_INVOICE": 0.76,
}  # fmt: skip
# The first forecast of 2016 revised the ordered volumes slightly.
FORECAST_1_REVISION: dict[str, float] = {
    "WORKPLACE": 1.012, "WAN_CONN": 1.0, "LAN_PORT": 1.005, "STORAGE_GB": 1.04, "MAILBOX": 1.01,
    "HEADCOUNT": 1.004, "PHONE_SUB": 0.995, "CHEM_PRODUCT": 1.0, "EINVOICE": 1.03,
    "PAPER_INVOICE": 0.985,
}  # fmt: skip
DRIVER_POPULATION: dict[str, str] = {
    "WORKPLACE": "IT_ENV", "WAN_CONN": "IT_ENV", "LAN_PORT": "IT_ENV", "STORAGE_GB": "IT_ENV",
    "MAILBOX": "IT_ENV", "PHONE_SUB": "ALL", "HEADCOUNT": "ALL", "EINVOICE": "EHANDEL_ALL",
    "PAPER_INVOICE": "EHANDEL_ALL", "CHEM_PRODUCT": "CHEMICALS",
}  # fmt: skip
BASE_DRIVERS = tuple(BASE_2016)
CHEMICALS_FROM = 2017
# Intensity of use relative to the organisation's size (its published cost), per kind of org.
CARE_ORGS = SDF_CODES + (SOCIAL_RESURS, UTBILDNINGSFORVALTNINGEN)
INTENSITY: dict[str, dict[str, float]] = {
    "care": {"HEADCOUNT": 1.5, "WORKPLACE": 0.8, "CHEM_PRODUCT": 1.2, "PAPER_INVOICE": 1.1},
    "admin": {"HEADCOUNT": 0.9, "WORKPLACE": 1.1, "STORAGE_GB": 1.3},
    "company": {"HEADCOUNT": 4.0, "WAN_CONN": 0.7, "STORAGE_GB": 0.6, "PAPER_INVOICE": 1.3},
    "joint": {"HEADCOUNT": 2.0},
}
# Share of a cost centre population that carries each driver (the default always does).
CARRY_PROBABILITY: dict[str, float] = {
    "HEADCOUNT": 1.0, "WORKPLACE": 0.95, "MAILBOX": 0.95, "PHONE_SUB": 0.9, "LAN_PORT": 0.5,
    "WAN_CONN": 0.3, "STORAGE_GB": 0.25, "EINVOICE": 0.4, "PAPER_INVOICE": 0.4,
    "CHEM_PRODUCT": 0.3,
}  # fmt: skip
# Central (default) cost centres hold more storage and receive more invoices.
DEFAULT_WEIGHT: dict[str, float] = {"STORAGE_GB": 6.0, "EINVOICE": 4.0, "PAPER_INVOICE": 4.0}

SEASON_FLOW = np.array([1.0, 1.0, 1.1, 1.0, 1.05, 1.05, 0.6, 0.85, 1.05, 1.1, 1.1, 1.1])
# Within-year slope of actual volumes (relative change from January to December).
SLOPE: dict[str, float] = {
    "WORKPLACE": 0.03, "WAN_CONN": 0.01, "LAN_PORT": 0.02, "STORAGE_GB": 0.12, "MAILBOX": 0.02,
    "HEADCOUNT": 0.01, "PHONE_SUB": -0.01, "CHEM_PRODUCT": 0.05, "EINVOICE": 0.16,
    "PAPER_INVOICE": -0.22,
}  # fmt: skip
# Actual / plan over a year, before noise.
DRIFT: dict[str, float] = {"PAPER_INVOICE": 0.988, "EINVOICE": 1.02, "STORAGE_GB": 1.03}


def org_kind(code: str, group: str) -> str:
    if code in CARE_ORGS:
        return "care"
    if group == "Fackförvaltningar":
        return "admin"
    if group == "Bolag":
        return "company"
    return "joint"


def driver_total_units(driver: str, version: PlanVersion) -> int:
    """Planned annual quantity of a driver for the whole city, in units."""
    base = float(BASE_2016[driver])
    base *= GROWTH[driver] ** (version.fiscal_year - 2016)
    if version.scenario.startswith("forecast"):
        base *= FORECAST_1_REVISION[driver]
    if driver not in FLOW_DRIVERS:
        base *= 12
    return int(round(base * 10 ** DRIVER_BY_CODE[driver].decimals))


class OrgVolumeModel:
    """Planned annual volumes per organisation, stable across versions up to growth and noise."""

    def __init__(self, cat: Catalogue, rng: np.random.Generator) -> None:
        self.cat = cat
        codes = [o.code for o in cat.organisations]
        # One persistent intensity per (driver, org): the organisation's way of working.
        draws = rng.lognormal(0.0, 0.25, size=(len(BASE_DRIVERS), len(codes)))
        self.noise = {
            d: {c: float(draws[i, j]) for j, c in enumerate(codes)}
            for i, d in enumerate(BASE_DRIVERS)
        }
        self.version_rng = rng

    def planned(
        self,
        version: PlanVersion,
        targets: dict[str, int],
        damp: dict[str, float],
        version_noise: dict[tuple[str, str], float],
    ) -> dict[str, dict[str, int]]:
        """driver -> org -> units for one plan version (flow and stock base drivers)."""
        year = version.fiscal_year
        out: dict[str, dict[str, int]] = {}
        org_by_code = self.cat.org_by_code
        for driver in BASE_DRIVERS:
            if driver == "CHEM_PRODUCT" and year < CHEMICALS_FROM:
                continue
            members = [
                c
                for c in self.cat.population_members(DRIVER_POPULATION[driver], year)
                if targets.get(c, 0) > 0
            ]
            weights: list[float] = []
            for c in members:
                org = org_by_code[c]
                kind = org_kind(c, org.group)
                w = targets[c] * INTENSITY[kind].get(driver, 1.0) * self.noise[driver][c]
                w *= version_noise.get((driver, c), 1.0)
                if driver != "HEADCOUNT":  # headcount is a fact, not a lever of calibration
                    w *= damp.get(c, 1.0)
                weights.append(w)
            units = split_in_order(driver_total_units(driver, version), weights)
            out[driver] = {c: u for c, u in zip(members, units, strict=True) if u > 0}
        return out


class CostCentreSplitter:
    """Spreads organisation volumes over the organisation's cost centres (stable carriers)."""

    def __init__(self, cost_centres: list[CostCentre], rng: np.random.Generator) -> None:
        self.consumers = [c for c in cost_centres if not c.producer]
        n = len(self.consumers)
        self.weights: dict[str, np.ndarray] = {}
        for driver in BASE_DRIVERS:
            carry = rng.random(n) < CARRY_PROBABILITY[driver]
            w = rng.lognormal(0.0, 0.8, size=n) * carry
            for i, cc in enumerate(self.consumers):
                if cc.is_default:
                    w[i] = max(w[i], 1.0) * DEFAULT_WEIGHT.get(driver, 1.0)
            self.weights[driver] = w

    def split(self, org_volumes: dict[str, dict[str, int]], year: int) -> dict[str, dict[str, int]]:
        """driver -> cost centre -> units, with INVOICE = EINVOICE + PAPER_INVOICE."""
        index: dict[str, list[int]] = {}
        for i, cc in enumerate(self.consumers):
            if cc.valid_in(year):
                index.setdefault(cc.org_code, []).append(i)
        out: dict[str, dict[str, int]] = {}
        for driver, per_org in org_volumes.items():
            w = self.weights[driver]
            cc_units: dict[str, int] = {}
            for org_code, total in per_org.items():
                idx = [i for i in index[org_code] if w[i] > 0]
                parts = split_in_order(total, [float(w[i]) for i in idx])
                for i, part in zip(idx, parts, strict=True):
                    if part > 0:
                        cc_units[self.consumers[i].code] = part
            out[driver] = dict(sorted(cc_units.items()))
        if "EINVOICE" in out:
            invoice: dict[str, int] = dict(out["EINVOICE"])
            for code, units in out.get("PAPER_INVOICE", {}).items():
                invoice[code] = invoice.get(code, 0) + units
            out["INVOICE"] = dict(sorted(invoice.items()))
        return out


def monthly_actuals(
    planned_cc: dict[str, dict[str, int]],
    year: int,
    rng: np.random.Generator,
    steady: tuple[str, ...] = (),
) -> list[list[tuple[str, str, int]]]:
    """Actual volumes per month (index 0 = January): rows (driver, cost centre, units > 0).

    `steady` drivers keep their annual volume (no year drift), so that a designed outcome
    story on them (e.g. 1 200 extra workplaces) shows undiluted.
    """
    months: list[list[tuple[str, str, int]]] = [[] for _ in range(12)]
    position = (np.arange(12) - 5.5) / 11.0
    flows: dict[str, np.ndarray] = {}
    codes_by_driver: dict[str, list[str]] = {}
    for driver in BASE_DRIVERS:
        per_cc = planned_cc.get(driver)
        if not per_cc:
            continue
        codes = list(per_cc)
        annual = np.array([per_cc[c] for c in codes], dtype=float)
        year_drift = DRIFT.get(driver, 1.0) * float(rng.normal(1.0, 0.01))
        if driver in steady:
            year_drift = 1.0
        profile = (1.0 + SLOPE[driver] * position) * (
            SEASON_FLOW if driver in FLOW_DRIVERS else 1.0
        )
        profile = profile / profile.mean() * year_drift
        mu = annual[:, None] / 12.0 * profile[None, :]
        if driver in FLOW_DRIVERS:
            qty = rng.poisson(mu)
        else:
            # Stochastic rounding keeps small stocks (1.4 connections a month) unbiased.
            noisy = mu * rng.normal(1.0, 0.006, size=mu.shape)
            qty = np.floor(noisy + rng.random(size=mu.shape)).astype(np.int64)
        codes_by_driver[driver] = codes
        flows[driver] = qty
    if "EINVOICE" in flows and "PAPER_INVOICE" in flows:
        total: dict[str, np.ndarray] = {}
        for driver in ("EINVOICE", "PAPER_INVOICE"):
            for code, row in zip(codes_by_driver[driver], flows[driver], strict=True):
                total[code] = total[code] + row if code in total else row.copy()
        codes_by_driver["INVOICE"] = sorted(total)
        flows["INVOICE"] = np.array([total[c] for c in codes_by_driver["INVOICE"]])
    for driver in sorted(flows):
        qty = flows[driver]
        for code, row in zip(codes_by_driver[driver], qty.tolist(), strict=True):
            for m in range(12):
                if row[m] > 0:
                    months[m].append((driver, code, int(row[m])))
    for rows in months:
        rows.sort(key=lambda r: (r[0], r[1]))
    return months
