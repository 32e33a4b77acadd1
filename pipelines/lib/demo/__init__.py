"""The demo city generator: Göteborg's shared services 2016/2017 as landing files (and, with
`city="sjobacka"`, the second demo city, `pipelines.lib.demo.cities.sjobacka`).

`generate(out_dir)` writes every file of docs/input-formats.md: reference data (organisations,
cost centres, service catalogue with history and lineage, drivers, chart of accounts, mapping
rules), plan data (plan amounts incl. the 2017 forecasts and the 2018 proposal, methods of the
plan and the outcome, keys, planned volumes, price lists, initiatives, support allocations,
KPIs), the reference pack (the printed tables of the published plan versions and their named
inconsistencies) and outcome data (monthly ledger and volumes, delivered as SIE 4, Excel and CSV months by
default). Allocating the published plan versions with the written keys and planned volumes
reproduces the published cost per organisation (see `calibrate.py`, checked by `oracle.py`).
The same seed, scale and years give byte-identical files, in every format.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from pipelines.lib.allocation.largest_remainder import round_half_away
from pipelines.lib.demo.calibrate import Calibrator, VersionCalibration, org_targets, scaled_targets
from pipelines.lib.demo.catalogue import (
    DRIVERS,
    GROUP_NAMES_EN,
    GROUPS,
    INTRASERVICE,
    KPIS,
    SUPPORT_IDS,
    Catalogue,
    PlanVersion,
    load_catalogue,
)
from pipelines.lib.demo.cities import CITIES, DEFAULT_CITY, city_profile
from pipelines.lib.demo.costcentres import CostCentre, generate_cost_centres
from pipelines.lib.demo.ledger import (
    accounts_for,
    format_ore,
    generate_ledger,
    invoicing_accounts,
    mapping_rules,
    rows_by_period,
)
from pipelines.lib.demo.reference_pack import published_differences, published_figures
from pipelines.lib.demo.scenarios import (
    OutcomeDesign,
    derive_forecast,
    design_outcome,
    outcome_key_set,
    outcome_keys,
    outcome_methods,
    outcome_volumes,
)
from pipelines.lib.demo.support import support_shares
from pipelines.lib.demo.volumes import CostCentreSplitter, OrgVolumeModel, monthly_actuals
from pipelines.lib.demo.writer import (
    LandingWriter,
    quantity_text,
    write_ledger_month,
    write_volumes_month,
)
from pipelines.lib.readers import DEFAULT_DIMENSIONS

__all__ = [
    "CITIES",
    "LEDGER_FORMATS",
    "GenerationSummary",
    "generate",
    "generate_goteborg",
    "ledger_format",
    "parse_years",
]

FIRST_SUPPORTED_YEAR = CITIES["goteborg"].first_year
LAST_SUPPORTED_YEAR = CITIES["goteborg"].last_year
# Independent random streams, so that e.g. the ledger does not change with the scale.
STREAM_COST_CENTRES, STREAM_ORG_VOLUMES, STREAM_SPLIT, STREAM_LEDGER, STREAM_VOLUMES = 1, 2, 3, 4, 5
STREAM_OUTCOME = 6


def parse_years(text: str, city: str = DEFAULT_CITY) -> tuple[int, ...]:
    """`"2016-2017"` -> (2016, 2017); `"2016,2017"` -> (2016, 2017); within `city`'s range."""
    profile = city_profile(city)
    years: set[int] = set()
    try:
        for part in text.replace(" ", "").split(","):
            if not part:
                continue
            if "-" in part:
                first, last = (int(p) for p in part.split("-", 1))
                if last < first:
                    raise ValueError
                years.update(range(first, last + 1))
            else:
                years.add(int(part))
    except ValueError:
        raise ValueError(
            f"years: cannot read {text!r}; write e.g. 2016-2017 or 2016,2017"
        ) from None
    if not years:
        raise ValueError(f"years: {text!r} names no year; write e.g. 2016-2017")
    bad = sorted(y for y in years if not profile.first_year <= y <= profile.last_year)
    if bad:
        raise ValueError(
            f"years: {bad} outside {profile.first_year}-{profile.last_year} ({profile.why_range})"
        )
    return tuple(sorted(years))


@dataclass
class CalibrationFigure:
    """How close the allocation of one plan version comes to the published figures."""

    label: str
    max_deviation_sek: float  # against the published organisation lines (tkr x 1000)
    reference: str  # what the deviation is measured against
    groups_sek: dict[str, int]
    total_sek: float


@dataclass
class GenerationSummary:
    """Counts of what `generate` wrote, for the CLI and the tests."""

    out_dir: Path
    seed: int
    scale: float
    years: tuple[int, ...]
    organisations: int = 0
    cost_centres: int = 0
    services: int = 0
    plan_lines: int = 0
    ledger_rows: int = 0
    volume_rows: int = 0
    files: int = 0
    seconds: float = 0.0
    calibration: list[CalibrationFigure] = field(default_factory=list)
    rows_per_file: dict[str, int] = field(default_factory=dict)
    ledger_formats: str = "mixed"
    outcomes: dict[int, OutcomeDesign] = field(default_factory=dict)  # designed outcome per year
    city: str = DEFAULT_CITY
    notes: list[str] = field(default_factory=list)  # a city's designed figures, one line each

    def describe(self) -> str:
        years = f"{self.years[0]}-{self.years[-1]}" if len(self.years) > 1 else str(self.years[0])
        lines = [
            f"Demo city {city_profile(self.city).name} written to {self.out_dir} "
            f"(seed {self.seed}, scale {self.scale:g}, years {years}) in {self.seconds:.1f} s:",
            f"  {self.organisations} organisations, {self.cost_centres} cost centres, {self.services} services",
            f"  {self.plan_lines} plan lines, {self.ledger_rows} ledger rows, {self.volume_rows} volume rows",
            f"  {self.files} files (ledger delivered as {self.ledger_formats})",
        ]
        for fig in self.calibration:
            groups = " / ".join(tkr_text(v) for v in fig.groups_sek.values())
            lines.append(
                f"  {fig.label}: total {tkr_text(fig.total_sek)} tkr; groups {groups} tkr; "
                f"largest deviation from a {fig.reference} "
                f"{fig.max_deviation_sek / 1000:.2f} tkr"
            )
        for year, design in sorted(self.outcomes.items()):
            pools = sum(design.outcome[s] for s in SUPPORT_IDS)
            lines.append(
                f"  Outcome {year}: {tkr_text(Fraction(sum(design.outcome.values()), 100))} tkr in the ledger, "
                f"of which {tkr_text(Fraction(pools, 100))} tkr on Intraservice's support pools"
            )
        lines.extend(f"  {note}" for note in self.notes)
        return "\n".join(lines)


def tkr_text(sek: int | float | Fraction) -> str:
    """Whole tkr, halves away from zero, with a space as thousands separator (as in the published
    tables): the one format of the demo cities' summaries. Exact: a float is taken at its value."""
    return f"{round_half_away(Fraction(sek) / 1000):,}".replace(",", " ")


def _iso(d: object) -> str:
    return "" if d is None else str(d)


def _share(units: int) -> str:
    return f"{units // 10**12}.{units % 10**12:012d}"


_DECIMALS = {d.code: d.decimals for d in DRIVERS}


def _quantity(driver: str, units: int) -> str:
    return quantity_text(units, _DECIMALS[driver])


LEDGER_FORMATS = ("mixed", "csv")
# In a `mixed` delivery: ledger months 1-4 as SIE 4, 5-8 as an Excel export, 9-12 as CSV, and
# the June volumes of the last year as an Excel export (the rest CSV).
SIE_MONTHS = (1, 2, 3, 4)
XLSX_MONTHS = (5, 6, 7, 8)
VOLUMES_XLSX_MONTH = 6
COMPANY = "Intraservice Göteborgs Stad"
COMPANY_ORGNR = "212000-1355"
# Plan versions within a fiscal year, in the order they are written.
SCENARIO_ORDER = ("budget", "forecast_1", "forecast_2", "forecast_3", "proposal")


def _needed(version: PlanVersion, years: tuple[int, ...]) -> bool:
    """Written for `years`: the versions of those years, and the synthetic proposals made in
    them (Budget 2018 is proposed in 2017)."""
    if version.fiscal_year in years:
        return True
    return (
        version.scenario == "proposal"
        and not version.published_column
        and version.fiscal_year - 1 in years
    )


def ledger_format(period: str, ledger_formats: str) -> str:
    """The file suffix a ledger month is delivered in: `se`, `xlsx` or `csv`."""
    month = int(period[5:7])
    if ledger_formats == "csv":
        return "csv"
    if month in SIE_MONTHS:
        return "se"
    return "xlsx" if month in XLSX_MONTHS else "csv"


def check_arguments(scale: float, ledger_formats: str) -> None:
    """The arguments every city's generator takes, or a ValueError naming the one that is off."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    if ledger_formats not in LEDGER_FORMATS:
        raise ValueError(
            f"ledger_formats: {ledger_formats!r} is not one of {', '.join(LEDGER_FORMATS)}"
        )


def generate(
    out_dir: Path,
    *,
    city: str = DEFAULT_CITY,
    seed: int = 2017,
    scale: float = 1.0,
    years: tuple[int, ...] | None = None,
    ledger_formats: str = "mixed",
) -> GenerationSummary:
    """Write a demo city's landing files into `out_dir/<kind>/` and summarise them.

    `city`: `goteborg` (the default) or another profile of `pipelines.lib.demo.cities`;
    `years`: the city's default years when None. See `generate_goteborg` for the rest.
    """
    profile = city_profile(city)
    years = profile.default_years if years is None else years
    if city == "sjobacka":
        # Imported here: the city module builds on this package's helpers.
        from pipelines.lib.demo.cities.sjobacka import generate_sjobacka

        return generate_sjobacka(
            Path(out_dir), seed=seed, scale=scale, years=years, ledger_formats=ledger_formats
        )
    return generate_goteborg(
        Path(out_dir), seed=seed, scale=scale, years=years, ledger_formats=ledger_formats
    )


def generate_goteborg(
    out_dir: Path,
    *,
    seed: int = 2017,
    scale: float = 1.0,
    years: tuple[int, ...] = (2016, 2017),
    ledger_formats: str = "mixed",
) -> GenerationSummary:
    """Write the Göteborg demo city's landing files into `out_dir/<kind>/` and summarise them.

    `ledger_formats="mixed"` delivers the ledger as a city does (SIE 4, Excel and CSV months,
    one Excel volume month); `"csv"` writes every month as canonical CSV. Both hold the same
    rows, and every other file is identical.
    """
    started = time.perf_counter()
    check_arguments(scale, ledger_formats)
    years = parse_years(",".join(str(y) for y in years))
    out_dir = Path(out_dir)
    cat = load_catalogue(years=years)
    cost_centres = generate_cost_centres(
        cat, scale, np.random.default_rng([seed, STREAM_COST_CENTRES])
    )
    model = OrgVolumeModel(cat, np.random.default_rng([seed, STREAM_ORG_VOLUMES]))
    splitter = CostCentreSplitter(cost_centres, np.random.default_rng([seed, STREAM_SPLIT]))
    calibrator = Calibrator(cat, cost_centres, model, splitter, seed)

    # Calibrate every version needed (synthetic years chain from the last published one).
    calibrations: dict[tuple[int, str], VersionCalibration] = {}
    previous_targets: dict[str, int] = {}
    for version in cat.versions:
        key = (version.fiscal_year, version.scenario)
        needed = _needed(version, years)
        if version.derived_from is not None:
            if needed:
                calibrations[key] = derive_forecast(calibrations[version.derived_from], version)
            continue
        targets = (
            org_targets(cat, version)
            if version.published_column
            else scaled_targets(previous_targets, version)
        )
        previous_targets = targets
        if needed:
            calibrations[key] = calibrator.calibrate(version, targets)

    writer = LandingWriter(out_dir)
    writer.clear_monthly()
    summary = GenerationSummary(out_dir=out_dir, seed=seed, scale=scale, years=years)
    summary.ledger_formats = ledger_formats
    summary.organisations = _write_reference(writer, cat, cost_centres, years)
    summary.cost_centres = sum(1 for c in cost_centres if not c.producer)
    summary.services = len({p.service_id for p in cat.periods})
    versions = sorted(
        (c.version for c in calibrations.values()),
        key=lambda v: (v.fiscal_year, SCENARIO_ORDER.index(v.scenario)),
    )
    budgets = {y: calibrations[(y, "budget")] for y in years}
    summary.plan_lines = _write_plan(writer, cat, versions, calibrations, budgets)
    writer.write("plan/kpis.csv", KPIS)
    writer.write("reference/published_figures.csv", published_figures(versions))
    writer.write("reference/published_differences.csv", published_differences(versions))
    writer.write(
        "plan/invoicing_accounts.csv",
        (row for y in years for row in invoicing_accounts(cat, y)),
    )

    object_names = _sie_object_names(cat, cost_centres)
    org_by_code = cat.org_by_code
    for year in years:
        budget = budgets[year]
        forecasts = [
            c.version
            for (y, _), c in calibrations.items()
            if y == year and c.version.derived_from is not None
        ]
        design = design_outcome(
            cat,
            budget,
            max(forecasts, key=lambda v: v.scenario) if forecasts else None,
            np.random.default_rng([seed, STREAM_OUTCOME, year]),
        )
        summary.outcomes[year] = design
        orderers = [
            c.code
            for c in cost_centres
            if not c.producer and c.valid_in(year) and org_by_code[c.org_code].is_administration
        ]
        ledger = generate_ledger(
            cat,
            year,
            design.outcome,
            scale,
            np.random.default_rng([seed, STREAM_LEDGER, year]),
            orderers,
        )
        for period, rows in rows_by_period(ledger.vouchers, year).items():
            summary.ledger_rows += _write_ledger_month(
                writer, period, rows, ledger_format(period, ledger_formats), object_names
            )
        actual, steady = outcome_volumes(budget)
        months = monthly_actuals(
            actual, year, np.random.default_rng([seed, STREAM_VOLUMES, year]), steady
        )
        for m, vrows in enumerate(months, start=1):
            period = f"{year}-{m:02d}"
            as_xlsx = ledger_formats == "mixed" and year == years[-1] and m == VOLUMES_XLSX_MONTH
            summary.volume_rows += _write_volumes_month(writer, period, vrows, as_xlsx)

    for version in versions:
        cal = calibrations[(version.fiscal_year, version.scenario)]
        if version.derived_from is not None:
            continue
        group_ore = dict.fromkeys(GROUPS, 0)
        group_of = {o.code: o.group for o in cat.organisations}
        for org, ore in cal.result.items():
            group_ore[group_of[org]] += ore
        groups = {g: round(ore / 100) for g, ore in group_ore.items()}
        published = {
            o.code: o.published_tkr[version.published_column] * 100_000
            if version.published_column
            else cal.targets.get(o.code, 0)
            for o in cat.organisations
        }
        max_dev = max(abs(cal.result.get(c, 0) - p) for c, p in published.items()) / 100
        summary.calibration.append(
            CalibrationFigure(
                version.label,
                max_dev,
                "published organisation line" if version.published_column else "synthetic target",
                groups,
                sum(cal.result.values()) / 100,
            )
        )
    summary.files = len(writer.files)
    summary.rows_per_file = dict(sorted(writer.files.items()))
    summary.seconds = time.perf_counter() - started
    return summary


def _sie_object_names(cat: Catalogue, cost_centres: list[CostCentre]) -> dict[int, dict[str, str]]:
    """SIE dimension -> code -> name, for the `#OBJEKT` records of the SIE months."""
    services: dict[str, str] = {}
    for p in sorted(cat.periods, key=lambda p: p.valid_from):
        services[p.service_id] = p.name_sv  # the latest name
    return {
        DEFAULT_DIMENSIONS.cost_centre: {c.code: c.name for c in cost_centres},
        DEFAULT_DIMENSIONS.activity: services,
        DEFAULT_DIMENSIONS.project: {i.initiative_id: i.name_sv for i in cat.initiatives},
    }


def _write_ledger_month(
    writer: LandingWriter,
    period: str,
    rows: list[list[str]],
    suffix: str,
    object_names: dict[int, dict[str, str]],
) -> int:
    return write_ledger_month(
        writer,
        period,
        rows,
        suffix,
        company=COMPANY,
        orgnr=COMPANY_ORGNR,
        accounts=accounts_for(int(period[:4])),
        object_names=object_names,
    )


def _write_volumes_month(
    writer: LandingWriter, period: str, rows: list[tuple[str, str, int]], as_xlsx: bool
) -> int:
    return write_volumes_month(writer, period, rows, as_xlsx, _DECIMALS)


def _write_reference(
    writer: LandingWriter, cat: Catalogue, cost_centres: list[CostCentre], years: tuple[int, ...]
) -> int:
    writer.write(
        "organisations/organisations.csv",
        (
            [
                o.code,
                o.name,
                o.group,
                "2016-01-01",
                _iso(o.valid_to),
                "true" if o.code == INTRASERVICE else "false",
            ]
            for o in cat.organisations
        ),  # fmt: skip
    )
    writer.write(
        "organisations/org_groups.csv",
        ([g, g, GROUP_NAMES_EN[g], str(i)] for i, g in enumerate(GROUPS, start=1)),
    )
    writer.write(
        "organisations/cost_centres.csv",
        (
            [
                c.code,
                c.name,
                c.org_code,
                "true" if c.is_default else "false",
                _iso(c.valid_from),
                _iso(c.valid_to),
            ]
            for c in cost_centres
        ),
    )
    writer.write("services/service_areas.csv", (list(a) for a in cat.service_areas))
    writer.write(
        "services/services.csv",
        (
            [
                p.service_id,
                p.name_sv,
                p.former_name_sv,
                p.area,
                p.cost_type,
                "true" if p.is_adjustment else "false",
                _iso(p.valid_from),
                _iso(p.valid_to),
                p.comment_sv,
                "true" if p.is_support else "false",
            ]
            for p in cat.periods
        ),  # fmt: skip
    )
    writer.write(
        "services/service_lineage.csv",
        (
            [
                r.from_service_id,
                r.to_service_id,
                r.relation,
                _share(r.weight_units),
                _iso(r.effective_date),
            ]
            for r in cat.lineage
        ),
    )
    writer.write(
        "volumes/drivers.csv",
        ([d.code, d.unit_sv, d.unit_en, d.description_sv, d.description_en] for d in DRIVERS),
    )
    writer.write(
        "ledger/accounts.csv",
        ([str(y), acc, name, cls] for y in years for acc, name, cls in accounts_for(y)),
    )
    writer.write(
        "ledger/mapping_rules.csv",
        (list(rule.values()) for y in years for rule in mapping_rules(cat, y)),
    )
    return len(cat.organisations)


def _write_plan(
    writer: LandingWriter,
    cat: Catalogue,
    versions: list[PlanVersion],
    calibrations: dict[tuple[int, str], VersionCalibration],
    budgets: dict[int, VersionCalibration],
) -> int:
    plan_rows: list[list[str]] = []
    method_rows: list[list[str]] = []
    key_rows: list[list[str]] = []
    volume_rows: list[list[str]] = []
    price_rows: list[list[str]] = []
    written_key_sets: set[str] = set()
    for v in versions:
        cal = calibrations[(v.fiscal_year, v.scenario)]
        y = v.fiscal_year
        for sid, amount in sorted(v.amounts.items()):
            period = cat.period(sid, y)
            plan_rows.append(
                [str(y), v.scenario, v.label, sid, period.cost_type, format_ore(amount)]
            )
            m = cal.methods[sid]
            method_rows.append(
                [str(y), v.scenario, sid, f"ALLOC-{y}-{v.scenario}-{sid}", m.method, m.driver,
                 v.key_set_for(m)]
            )  # fmt: skip
        valid = (f"{y}-01-01", f"{y}-12-31")
        for key_set, shares in ((v.key_set, cal.fixed_shares), (v.pop_key_set, cal.pop_shares)):
            if key_set in written_key_sets:
                continue
            written_key_sets.add(key_set)
            for sid in sorted(shares):
                for org in sorted(shares[sid]):
                    key_rows.append([key_set, sid, org, _share(shares[sid][org]), *valid])
        for driver in sorted(cal.cc_volumes):
            for cc, units in cal.cc_volumes[driver].items():
                volume_rows.append([str(y), v.scenario, driver, cc, _quantity(driver, units)])
        if v.scenario == "budget":
            for sid in sorted(v.amounts):
                m = cal.methods[sid]
                if m.method != "price_list":
                    continue
                units = sum(cal.cc_volumes[m.driver].values())
                ore = (2 * v.amounts[sid] + units) // (2 * units)  # per unit-month, half up
                price_rows.append([str(y), sid, m.driver, format_ore(ore)])
    # The outcome's rules (the budget's, except support pools, direct charges, changed keys).
    support_rows: list[list[str]] = []
    for y, budget in sorted(budgets.items()):
        method_rows.extend(outcome_methods(cat, budget))
        changed = outcome_keys(budget)
        for sid in sorted(changed):
            for org, units in changed[sid].items():
                key_rows.append(
                    [outcome_key_set(y), sid, org, _share(units), f"{y}-01-01", f"{y}-12-31"]
                )
        for r in support_shares(cat, budget.version):
            support_rows.append(
                [str(y), "outcome", r.support_service_id, r.receiving_service_id, r.basis,
                 _share(r.share_units), str(r.step_order), r.method]
            )  # fmt: skip
    writer.write("plan/plan_amounts.csv", plan_rows)
    writer.write("plan/service_methods.csv", method_rows)
    writer.write("plan/allocation_keys.csv", key_rows)
    writer.write("plan/planned_volumes.csv", volume_rows)
    writer.write("plan/price_list.csv", price_rows)
    writer.write("plan/support_allocations.csv", support_rows)
    writer.write(
        "plan/initiatives.csv",
        (
            [i.initiative_id, i.area, i.service_id, i.name_sv, i.priority, i.financing_channel]
            for i in cat.initiatives
        ),
    )
    writer.write(
        "plan/initiative_plan.csv",
        (
            [i.initiative_id, str(y), format_ore(tkr * 100_000)]
            for i in cat.initiatives
            for y, tkr in sorted(i.amounts_tkr.items())
        ),
    )
    return len(plan_rows)
