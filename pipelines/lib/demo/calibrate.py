"""Calibration: planned volumes and allocation keys that reproduce the published cost per organisation.

For each plan version (P0 2016, P1 2016, Budget 2017, synthetic later years):

1. per-organisation targets in öre from the published lines, adjusted within each group so the
   groups meet the printed subtotals (see `org_targets`);
2. integer planned volumes per organisation (plausible, proportional to size with noise) and
   their split over cost centres; organisations whose driver-based cost would crowd out their
   decided keys are damped until they leave room;
3. the driver-based and price-list services, and the *Reglering* line, allocated with the exact
   engine rule (`allocate_annual`), giving each organisation's residual;
4. the fixed-key services fitted to the residuals by iterative proportional fitting (service x
   organisation, zeros outside each service's population) and rounded to shares on the 1e-12
   grid that sum to exactly 1 (largest remainder).

The engine rule (monthly pools, the engine's own largest remainder with ties by cost centre
code: `pipelines.lib.allocation.largest_remainder`) is applied here in memory for speed;
`oracle.py` re-implements it independently from the written files.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from pipelines.lib.allocation.largest_remainder import split_in_order
from pipelines.lib.demo.catalogue import (
    GROUPS,
    REGLERING,
    SDF_CODES,
    SOCIAL_RESURS,
    UTBILDNINGSFORVALTNINGEN,
    Catalogue,
    Method,
    PlanVersion,
)
from pipelines.lib.demo.costcentres import CostCentre
from pipelines.lib.demo.volumes import BASE_DRIVERS, CARE_ORGS, CostCentreSplitter, OrgVolumeModel

SHARE_UNITS = 10**12
# Largest share of an organisation's target that driver-based services may take.
DRIVER_CAP = {"care": 0.62, "other": 0.80}
# Rounding (one öre per month and service at most) leaves a few kronor; more means a bug.
MAX_RESIDUAL_ORE = 100_00


@dataclass
class VersionCalibration:
    """Everything written for one plan version, and what the engine rule gives for it."""

    version: PlanVersion
    targets: dict[str, int]  # org -> öre
    methods: dict[str, Method]
    org_volumes: dict[str, dict[str, int]]  # driver -> org -> units
    cc_volumes: dict[str, dict[str, int]]  # driver -> cost centre -> units
    fixed_shares: dict[str, dict[str, int]]  # fixed-key service -> org -> share units (1e-12)
    pop_shares: dict[str, dict[str, int]]  # driver_share service -> member org -> share units
    result: dict[str, int] = field(default_factory=dict)  # org -> öre by the engine rule

    @property
    def max_deviation(self) -> int:
        return max(abs(self.result.get(o, 0) - t) for o, t in self.targets.items())


# ------------------------------------------------------------------------------- targets


def org_targets(cat: Catalogue, version: PlanVersion) -> dict[str, int]:
    """Per-organisation targets (öre) for a published version, summing exactly to the plan total.

    Group targets are the printed group subtotals when those sum to the plan total (Budget
    2017), otherwise the sums of the organisation lines when those do (P0 2016), otherwise the
    printed subtotals with the difference on the largest group (P1 2016, whose plan lines incl.
    Reglering sum to 616 751 tkr). Each group's difference to its lines is spread over its
    organisations in proportion to their lines, to the krona (largest remainder).
    """
    col = version.published_column
    total_sek = version.total // 100
    lines = {o.code: o.published_tkr[col] * 1000 for o in cat.organisations}
    group_of = {o.code: o.group for o in cat.organisations}
    printed = {g: cat.published_groups[col][g] * 1000 for g in GROUPS}
    line_sums = {g: sum(v for c, v in lines.items() if group_of[c] == g) for g in GROUPS}
    if sum(printed.values()) == total_sek:
        group_targets = printed
    elif sum(line_sums.values()) == total_sek:
        group_targets = line_sums
    else:
        group_targets = dict(printed)
        largest = max(GROUPS, key=lambda g: printed[g])
        group_targets[largest] += total_sek - sum(printed.values())
    targets: dict[str, int] = {}
    for g in GROUPS:
        codes = [c for c in lines if group_of[c] == g]
        diff = group_targets[g] - line_sums[g]
        weights = [lines[c] for c in codes]
        spread = split_in_order(diff, weights) if diff else [0] * len(codes)
        for c, d in zip(codes, spread, strict=True):
            targets[c] = (lines[c] + d) * 100 if lines[c] else 0
    assert sum(targets.values()) == version.total
    return targets


def scaled_targets(previous: dict[str, int], version: PlanVersion) -> dict[str, int]:
    """Targets of a synthetic year: last year's, scaled to the new plan total."""
    codes = sorted(c for c, v in previous.items() if v > 0)
    parts = split_in_order(version.total, [previous[c] for c in codes])
    return {c: p for c, p in zip(codes, parts, strict=True)}


# ---------------------------------------------------------------------------- engine rule


def allocate_annual(amount: int, weights: list[int]) -> list[int]:
    """Annual amount (öre) over rows sorted by cost centre code: sum of the twelve months."""
    q, r = divmod(amount, 12)
    low = split_in_order(q, weights)
    if not r:
        return [12 * x for x in low]
    high = split_in_order(q + 1, weights)
    return [r * h + (12 - r) * lo for h, lo in zip(high, low, strict=True)]


# ----------------------------------------------------------------------------- calibration


class Calibrator:
    """Calibrates plan versions one after the other with shared volume models."""

    def __init__(
        self,
        cat: Catalogue,
        cost_centres: list[CostCentre],
        model: OrgVolumeModel,
        splitter: CostCentreSplitter,
        seed: int,
    ) -> None:
        self.cat = cat
        self.model = model
        self.splitter = splitter
        self.seed = seed
        self.default_cc = {c.org_code: c.code for c in cost_centres if c.is_default}
        self.org_of_cc = {c.code: c.org_code for c in cost_centres}

    def calibrate(self, version: PlanVersion, targets: dict[str, int]) -> VersionCalibration:
        cat = self.cat
        year = version.fiscal_year
        rng = np.random.default_rng([self.seed, 71, year, zlib.crc32(version.scenario.encode())])
        active = sorted(c for c, t in targets.items() if t > 0)
        methods = {sid: cat.method(sid, year) for sid in sorted(version.amounts)}
        version_noise = {
            (d, c): float(x)
            for d, row in zip(
                BASE_DRIVERS,
                rng.lognormal(0.0, 0.03, size=(len(BASE_DRIVERS), len(active))),
                strict=True,
            )
            for c, x in zip(active, row, strict=True)
        }
        members = {
            m.population: [
                c for c in cat.population_members(m.population, year) if targets.get(c, 0) > 0
            ]
            for m in methods.values()
            if m.population
        }

        # 1. Volumes, damped where driver-based cost would leave too little for the keys.
        damp = dict.fromkeys(active, 1.0)
        for _ in range(60):
            org_volumes = self.model.planned(version, targets, damp, version_noise)
            money = self._approximate_driver_money(version, methods, members, org_volumes)
            over = False
            for c in active:
                cap = DRIVER_CAP["care" if c in CARE_ORGS else "other"] * targets[c]
                if money.get(c, 0.0) > cap:
                    damp[c] *= max(0.5, cap / money[c] * 0.97)
                    over = True
            if not over:
                break
        else:
            raise RuntimeError(
                f"{version.label}: driver volumes could not be damped below the caps"
            )
        cc_volumes = self.splitter.split(org_volumes, year)

        # 2. Population key sets for driver-based services (equal shares mark membership).
        pop_shares: dict[str, dict[str, int]] = {}
        for sid, m in methods.items():
            if m.method != "fixed_key" and m.population:
                orgs = members[m.population]
                pop_shares[sid] = dict(
                    zip(orgs, split_in_order(SHARE_UNITS, [1] * len(orgs)), strict=True)
                )

        # 3. Exact engine for driver-based services and Reglering.
        result = dict.fromkeys(active, 0)
        for sid, m in methods.items():
            if m.method == "fixed_key":
                continue
            self._add_driver_allocation(
                result, version.amounts[sid], cc_volumes[m.driver], pop_shares.get(sid)
            )
        fixed_shares: dict[str, dict[str, int]] = {}
        if REGLERING in version.amounts:
            orgs = members[methods[REGLERING].population]
            fixed_shares[REGLERING] = dict(
                zip(orgs, split_in_order(SHARE_UNITS, [targets[c] for c in orgs]), strict=True)
            )
            self._add_fixed_allocation(result, version.amounts[REGLERING], fixed_shares[REGLERING])

        # 4. Fixed keys fitted to the residuals.
        residual = {c: targets[c] - result[c] for c in active}
        bad = {c: r for c, r in residual.items() if r <= 0}
        if bad:
            raise RuntimeError(f"{version.label}: no room left for fixed keys at {bad}")
        fixed = [sid for sid, m in methods.items() if m.method == "fixed_key" and sid != REGLERING]
        shares = self._fit_fixed(version, fixed, methods, members, residual, rng)
        fixed_shares.update(shares)
        for sid in fixed:
            self._add_fixed_allocation(result, version.amounts[sid], shares[sid])
        worst = max(active, key=lambda c: abs(result[c] - targets[c]))
        if abs(result[worst] - targets[worst]) > MAX_RESIDUAL_ORE:
            raise RuntimeError(
                f"{version.label}: {worst} is allocated {result[worst] / 100:.2f} SEK "
                f"against a target of {targets[worst] / 100:.2f} SEK"
            )
        return VersionCalibration(
            version, targets, methods, org_volumes, cc_volumes, fixed_shares, pop_shares, result
        )

    # -- helpers -------------------------------------------------------------------------

    def _approximate_driver_money(
        self,
        version: PlanVersion,
        methods: dict[str, Method],
        members: dict[str, list[str]],
        org_volumes: dict[str, dict[str, int]],
    ) -> dict[str, float]:
        money: dict[str, float] = {}
        for sid, m in methods.items():
            if m.method == "fixed_key":
                continue
            if m.driver == "INVOICE":
                vols = dict(org_volumes["EINVOICE"])
                for c, v in org_volumes["PAPER_INVOICE"].items():
                    vols[c] = vols.get(c, 0) + v
            else:
                vols = org_volumes[m.driver]
            if m.population:
                allowed = set(members[m.population])
                vols = {c: v for c, v in vols.items() if c in allowed}
            total = sum(vols.values())
            for c, v in vols.items():
                money[c] = money.get(c, 0.0) + version.amounts[sid] * v / total
        return money

    def _add_driver_allocation(
        self,
        result: dict[str, int],
        amount: int,
        cc_units: dict[str, int],
        population: dict[str, int] | None,
    ) -> None:
        rows = sorted(
            (code, units)
            for code, units in cc_units.items()
            if population is None or population.get(self.org_of_cc[code], 0) > 0
        )
        alloc = allocate_annual(amount, [u for _, u in rows])
        for (code, _), a in zip(rows, alloc, strict=True):
            org = self.org_of_cc[code]
            result[org] = result.get(org, 0) + a

    def _add_fixed_allocation(
        self, result: dict[str, int], amount: int, shares: dict[str, int]
    ) -> None:
        rows = sorted((self.default_cc[org], units) for org, units in shares.items() if units > 0)
        alloc = allocate_annual(amount, [u for _, u in rows])
        for (code, _), a in zip(rows, alloc, strict=True):
            org = self.org_of_cc[code]
            result[org] = result.get(org, 0) + a

    def _fit_fixed(
        self,
        version: PlanVersion,
        services: list[str],
        methods: dict[str, Method],
        members: dict[str, list[str]],
        residual: dict[str, int],
        rng: np.random.Generator,
    ) -> dict[str, dict[str, int]]:
        orgs = sorted(residual)
        col = {c: j for j, c in enumerate(orgs)}
        org_by_code = self.cat.org_by_code
        prior = np.zeros((len(services), len(orgs)))
        noise = rng.lognormal(0.0, 0.3, size=prior.shape)
        for i, sid in enumerate(services):
            pop = methods[sid].population
            area = self.cat.period(sid, version.fiscal_year).area
            for c in members[pop]:
                j = col[c]
                prior[i, j] = (
                    residual[c] * _prior_factor(area, c, org_by_code[c].group) * noise[i, j]
                )
        row_t = np.array([float(version.amounts[s]) for s in services])
        col_t = np.array([float(residual[c]) for c in orgs])
        x = prior
        for _ in range(5000):
            x *= (row_t / x.sum(axis=1))[:, None]
            x *= (col_t / x.sum(axis=0))[None, :]
            if np.max(np.abs(x.sum(axis=1) - row_t) / row_t) < 1e-12:
                break
        else:
            err = np.max(np.abs(x.sum(axis=1) - row_t) / row_t)
            raise RuntimeError(
                f"{version.label}: fixed-key fit did not converge (row error {err:.2e})"
            )
        shares: dict[str, dict[str, int]] = {}
        for i, sid in enumerate(services):
            keyed = [c for c in members[methods[sid].population] if x[i, col[c]] > 0]
            units = split_in_order(SHARE_UNITS, [float(x[i, col[c]]) for c in keyed])
            shares[sid] = {c: u for c, u in zip(keyed, units, strict=True) if u > 0}
        return shares


def _prior_factor(area: str, org: str, group: str) -> float:
    """Plausible shape of the decided keys before fitting."""
    if area == "VARD_OMSORG":
        return {SOCIAL_RESURS: 1.2, UTBILDNINGSFORVALTNINGEN: 0.1}.get(org, 1.0)
    if area == "UTBILDNING":
        return 1.6 if org == UTBILDNINGSFORVALTNINGEN else 1.0
    if org in SDF_CODES:
        return 0.8
    if group == "Bolag":
        return 0.5
    if group == "Kommunalförbund":
        return 0.7
    return 1.0
