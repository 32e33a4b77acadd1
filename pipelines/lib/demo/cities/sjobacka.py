"""Sjöbacka kommun: the second demo city, a small fictional municipality built from the contract.

Written strictly from docs/input-formats.md, to show that nothing of Göteborg is needed: its
own organisation groups (an `org_groups.csv` register whose codes are not its display names),
organisation codes with Swedish letters (`ÄOF`, `ÖFN`, `SJÖB`), cost-centre codes `<org>.<nnn>`,
one producer organisation (`KSC`, `is_producer=true`), fiscal years in the 2020s, its own chart
of accounts, areas (`STÖD` among them), services, drivers, key sets, KPIs, initiatives and
dashboard users, and every allocation method the contract allows:

- `fixed_key` (DIG-SYSTEM, EKO-REDOV and the development lines DIG-UTV, PERS-UTV),
- `driver_share` with a population key set (EKO-FAKT, only the administrations) and without
  one (DIG-MOBIL, PERS-LÖN, KOMM-KC),
- `price_list` (DIG-DATOR): a delivered price for the first year, then the settlement of year t
  carried into the price of t+1 (no price delivered for t+1),
- `direct` (KOMM-TRYCK): a key set in the plan scenarios, ledger rows on the ordering
  administrations' cost centres in the outcome,
- support pools: STÖD-LOKAL (step 1) and STÖD-LEDN (step 2) step down, STÖD-IT and STÖD-HR
  (step 3) are a reciprocal pair; every pool gives to the directly charged KOMM-TRYCK.

The figures are designed to be checked by hand (see pipelines/lib/demo/README.md): plan lines
are multiples of 12 000 kr (whole kronor a month), keys have two decimals (one key set has
thirds), the 2024 price is exactly 350.00 kr per computer and month, and every support flow
is a round amount every month (T_IT = 100 000, T_HR = 60 000 kr a month in 2024). Other years
follow from 2024 by fixed growth rules. The random seed only decides how organisations'
volumes spread over their cost centres, the monthly noise of actual volumes and how each
month's cost is cut into ledger rows; the designed totals do not depend on it.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import numpy as np

from pipelines.lib.allocation.largest_remainder import split_in_order
from pipelines.lib.demo import (
    VOLUMES_XLSX_MONTH,
    GenerationSummary,
    check_arguments,
    ledger_format,
    parse_years,
    tkr_text,
)
from pipelines.lib.demo.catalogue import Driver, Initiative
from pipelines.lib.demo.costcentres import CostCentre
from pipelines.lib.demo.ledger import (
    MONTHS_SV,
    Row,
    Voucher,
    format_ore,
    number_vouchers,
    rows_by_period,
)
from pipelines.lib.demo.writer import (
    LandingWriter,
    quantity_text,
    write_ledger_month,
    write_volumes_month,
)
from pipelines.lib.readers import DEFAULT_DIMENSIONS

CITY_ID = "sjobacka"
BASE_YEAR = 2024  # the designed year; every other year follows from it
RENAME_YEAR = 2025  # EKO-REDOV is renamed from this year
COMPANY = "Kommunservice Sjöbacka"
COMPANY_ORGNR = "212000-9999"  # fictional
PRODUCER = "KSC"
# Independent random streams (as in the Göteborg demo): the volumes do not change when the
# ledger draws differently, nor the cost centres' sizes with the years.
STREAM_SIZES, STREAM_VOLUMES, STREAM_LEDGER = 11, 12, 13


# ------------------------------------------------------------------------- organisations


@dataclass(frozen=True)
class Group:
    code: str  # as written in organisations.org_group
    name_sv: str
    name_en: str
    sort_order: int


# The codes are not the display names, and the sort order is not alphabetical, on purpose.
GROUPS = (
    Group("Välfärd", "Välfärdsförvaltningar", "Welfare administrations", 1),
    Group("Samhälle", "Samhällsbyggnad och stöd", "Community planning and support", 2),
    Group("Bolag", "Kommunala bolag", "Municipal companies", 3),
)


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    group: str
    short: str  # for cost-centre names
    cost_centres: int  # at scale 1, the default included
    fte_tenths: int  # employees (full-time equivalents, tenths), 2024
    computers: int  # 2024
    phones: int
    invoices: int  # supplier invoices a year, 2024
    units: tuple[str, ...]  # kinds of units its cost centres are named after
    is_company: bool = False


ORGANISATIONS = (
    Organisation("BUF", "Barn- och utbildningsförvaltningen", "Välfärd", "Barn och utbildning",
                 14, 6205, 480, 300, 6000, ("Förskola", "Grundskola", "Fritidshem", "Gymnasium")),
    Organisation("SOF", "Socialförvaltningen", "Välfärd", "Socialtjänst", 7, 2100, 190, 180, 3600,
                 ("Individ- och familjeomsorg", "LSS-boende", "Daglig verksamhet")),
    Organisation("ÄOF", "Äldreomsorgsförvaltningen", "Välfärd", "Äldreomsorg", 10, 4300, 210, 350,
                 4800, ("Äldreboende", "Hemtjänst", "Dagverksamhet")),
    Organisation("KFF", "Kultur- och fritidsförvaltningen", "Välfärd", "Kultur och fritid", 4,
                 700, 60, 50, 2400, ("Bibliotek", "Fritidsgård", "Simhall")),
    Organisation("SBF", "Samhällsbyggnadsförvaltningen", "Samhälle", "Samhällsbyggnad", 4, 850,
                 85, 70, 3000, ("Bygglov", "Gata och park", "Planering")),
    Organisation("MHF", "Miljö- och hälsoskyddsförvaltningen", "Samhälle", "Miljö och hälsa", 2,
                 220, 22, 20, 600, ("Tillsyn", "Livsmedelskontroll")),
    Organisation("KLK", "Kommunledningskontoret", "Samhälle", "Kommunledning", 3, 640, 70, 60,
                 1800, ("Kansli", "Näringsliv", "Säkerhet")),
    Organisation("ÖFN", "Överförmyndarnämndens kansli", "Samhälle", "Överförmyndare", 1, 60, 6, 5,
                 240, ("Kansli",)),
    Organisation("SJÖB", "Sjöbackabostäder AB", "Bolag", "Sjöbackabostäder", 2, 380, 35, 40, 4200,
                 ("Förvaltning", "Kundcenter"), is_company=True),
    Organisation("SVAB", "Sjöbacka Vatten AB", "Bolag", "Sjöbacka Vatten", 2, 250, 22, 25, 3600,
                 ("Vattenverk", "Ledningsnät"), is_company=True),
)  # fmt: skip
ORG_BY_CODE = {o.code: o for o in ORGANISATIONS}
ADMINISTRATIONS = tuple(o.code for o in ORGANISATIONS if not o.is_company)
PRODUCER_NAME = "Kommunservice Sjöbacka"
PRODUCER_GROUP = "Samhälle"
PLACES = ("Björkängen", "Åsen", "Östra Sjöbacka", "Lärkbacken", "Mölnetorp", "Ängsvik", "Hällebo",
          "Kvarnbäcken", "Södra hamnen", "Tallåsen", "Granö", "Väståker")  # fmt: skip
# The producer's own cost centres (where Kommunservice books its costs), per area or pool.
PRODUCER_COST_CENTRES = (
    ("KSC.100", "Kommunservice gemensamt"),
    ("KSC.910", "Digitalisering och IT"),
    ("KSC.920", "Ekonomiservice"),
    ("KSC.930", "Personal- och lönecenter"),
    ("KSC.940", "Kommunikation och kontaktcenter"),
    ("KSC.950", "Lokaler stadshuset"),
    ("KSC.960", "Ledning och administration"),
    ("KSC.970", "Intern IT-drift"),
    ("KSC.980", "Internt HR-stöd"),
)
# The SOF cost centre that closes after the first year, and its successor.
REORGANISED_ORG = "SOF"


def cost_centres(
    scale: float, years: tuple[int, ...], seed: int
) -> tuple[list[CostCentre], dict[str, float]]:
    """Consumer cost centres (`<org>.100` the default, `<org>.2nn` the units) and the
    producer's, with each consumer cost centre's relative size (for spreading volumes).

    About 49 consumer cost centres at scale 1 (at least two per organisation, one for ÖFN).
    With more than one year, one SOF unit closes after the first year and a new one opens.
    """
    rng = np.random.default_rng([seed, STREAM_SIZES])
    start = date(years[0], 1, 1)
    out: list[CostCentre] = []
    sizes: dict[str, float] = {}
    for org in ORGANISATIONS:
        default = CostCentre(
            f"{org.code}.100", f"{org.short} gemensamt", org.code, True, start, None
        )
        out.append(default)
        sizes[default.code] = float(rng.lognormal(0.0, 0.3))
        units = max(1 if org.cost_centres == 1 else 2, round(org.cost_centres * scale)) - 1
        for i in range(units):
            kind = org.units[i % len(org.units)]
            place = PLACES[(i // len(org.units) + len(out)) % len(PLACES)]
            round_ = i // (len(org.units) * len(PLACES))
            name = f"{kind} {place}" + (f" {round_ + 1}" if round_ else "")
            out.append(CostCentre(f"{org.code}.{201 + i}", name, org.code, False, start, None))
            sizes[out[-1].code] = float(rng.lognormal(0.0, 0.5))
        if org.code == REORGANISED_ORG and len(years) > 1:
            last = out[-1]
            out[-1] = replace(last, valid_to=date(years[0], 12, 31))
            successor = CostCentre(
                f"{org.code}.{201 + units}", "Mottagning och utredning Ängsvik", org.code, False,
                date(years[0] + 1, 1, 1), None,
            )  # fmt: skip
            out.append(successor)
            sizes[successor.code] = sizes[last.code]
    for code, name in PRODUCER_COST_CENTRES:
        out.append(CostCentre(code, name, PRODUCER, code == "KSC.100", start, None, producer=True))
    return out, sizes


# ------------------------------------------------------------------------------ services

AREAS = (
    ("DIGI", "Digitalisering och IT", "Digitalisation and IT"),
    ("EKON", "Ekonomi", "Finance"),
    ("PERS", "Personal och lön", "HR and payroll"),
    ("KOMM", "Kommunikation och service", "Communication and service"),
    ("STÖD", "Internt stöd", "Internal support"),
)


@dataclass(frozen=True)
class Service:
    service_id: str
    name_sv: str
    area: str
    cost_type: str
    method: str  # plan method; support pools: their support method
    producer_cc: str
    mix: dict[str, float]  # posting kind -> share of the service's cost
    driver: str = ""
    population: bool = False  # driver_share restricted to the administrations
    budget: int = 0  # SEK, BASE_YEAR (development lines: the sum of their initiatives)
    outcome_factor: Fraction = Fraction(1)  # outcome (incl. support) / budget
    support_step: int = 0  # support pools: their step_order

    @property
    def is_support(self) -> bool:
        return self.support_step > 0


SERVICES = (
    Service("DIG-DATOR", "Datorarbetsplats", "DIGI", "maintenance", "price_list", "KSC.910",
            {"it_ops": 0.45, "licence": 0.25, "salary": 0.30}, driver="DATOR", budget=4_956_000,
            outcome_factor=Fraction(103, 100)),
    Service("DIG-MOBIL", "Mobiltelefoni", "DIGI", "maintenance", "driver_share", "KSC.910",
            {"telecom": 0.9, "salary": 0.1}, driver="MOBIL", budget=1_320_000,
            outcome_factor=Fraction(97, 100)),
    Service("DIG-SYSTEM", "Verksamhetssystem", "DIGI", "maintenance", "fixed_key", "KSC.910",
            {"licence": 0.5, "cloud": 0.2, "salary": 0.3}, budget=3_600_000,
            outcome_factor=Fraction(101, 100)),
    Service("DIG-UTV", "Digitaliseringsprojekt", "DIGI", "development", "fixed_key", "KSC.910",
            {"consultant": 0.6, "salary": 0.4}, outcome_factor=Fraction(92, 100)),
    Service("EKO-REDOV", "Redovisning", "EKON", "maintenance", "fixed_key", "KSC.920",
            {"salary": 0.8, "licence": 0.2}, budget=2_400_000, outcome_factor=Fraction(99, 100)),
    Service("EKO-FAKT", "Fakturahantering", "EKON", "maintenance", "driver_share", "KSC.920",
            {"salary": 0.5, "licence": 0.3, "other": 0.2}, driver="FAKTURA", population=True,
            budget=1_080_000, outcome_factor=Fraction(104, 100)),
    Service("PERS-LÖN", "Lön och anställning", "PERS", "maintenance", "driver_share", "KSC.930",
            {"salary": 0.7, "licence": 0.3}, driver="ANSTALLD", budget=2_880_000),
    Service("PERS-UTV", "Nytt HR-system", "PERS", "development", "fixed_key", "KSC.930",
            {"consultant": 0.7, "salary": 0.3}, outcome_factor=Fraction(110, 100)),
    Service("KOMM-TRYCK", "Tryck och grafisk form", "KOMM", "maintenance", "direct", "KSC.940",
            {"print": 0.85, "other": 0.15}, budget=480_000, outcome_factor=Fraction(108, 100)),
    Service("KOMM-KC", "Kontaktcenter", "KOMM", "maintenance", "driver_share", "KSC.940",
            {"salary": 0.85, "telecom": 0.15}, driver="ARENDE", budget=1_920_000,
            outcome_factor=Fraction(95, 100)),
    Service("STÖD-LOKAL", "Lokaler", "STÖD", "maintenance", "step_down", "KSC.950",
            {"rent": 1.0}, support_step=1),
    Service("STÖD-LEDN", "Ledning och administration", "STÖD", "maintenance", "step_down",
            "KSC.960", {"salary": 0.8, "other": 0.2}, support_step=2),
    Service("STÖD-IT", "Intern IT-drift", "STÖD", "maintenance", "reciprocal", "KSC.970",
            {"it_ops": 0.6, "licence": 0.4}, support_step=3),
    Service("STÖD-HR", "Internt HR-stöd", "STÖD", "maintenance", "reciprocal", "KSC.980",
            {"salary": 0.9, "other": 0.1}, support_step=3),
)  # fmt: skip
SERVICE_BY_ID = {s.service_id: s for s in SERVICES}
PLAN_SERVICES = tuple(s.service_id for s in SERVICES if not s.is_support)
SUPPORT_SERVICES = tuple(s.service_id for s in SERVICES if s.is_support)
RENAMED = {"EKO-REDOV": "Redovisning och bokslut"}
DIRECT_SERVICE = "KOMM-TRYCK"
PRICE_LIST_SERVICE = "DIG-DATOR"
# Who orders print (the direct service's ledger rows): SOF orders without a plan key share.
ORDERERS = {"BUF": 3, "KFF": 3, "SBF": 2, "KLK": 2, "SOF": 1}

# Decided keys per service (organisation -> share); the same every year.
KEYS: dict[str, dict[str, str]] = {
    "DIG-SYSTEM": {"BUF": "0.30", "SOF": "0.15", "ÄOF": "0.20", "KFF": "0.05", "SBF": "0.10",
                   "MHF": "0.04", "KLK": "0.08", "ÖFN": "0.02", "SJÖB": "0.04", "SVAB": "0.02"},
    "EKO-REDOV": {"BUF": "0.25", "SOF": "0.15", "ÄOF": "0.20", "KFF": "0.05", "SBF": "0.08",
                  "MHF": "0.03", "KLK": "0.10", "ÖFN": "0.02", "SJÖB": "0.07", "SVAB": "0.05"},
    # Thirds, written to 12 decimals: the last organisation takes the extra 10^-12.
    "DIG-UTV": {"BUF": "0.333333333333", "SOF": "0.333333333333", "ÄOF": "0.333333333334"},
    "PERS-UTV": dict.fromkeys(ADMINISTRATIONS, "0.125"),
    # The direct service's plan: who is expected to order print.
    "KOMM-TRYCK": {"BUF": "0.25", "KFF": "0.25", "SBF": "0.20", "KLK": "0.30"},
}  # fmt: skip
# The forecast (forecast_1) changes these budget lines (SEK), all years.
FORECAST_CHANGES = {"DIG-DATOR": 120_000, "KOMM-TRYCK": 60_000, "DIG-UTV": -120_000,
                    "PERS-LÖN": 36_000}  # fmt: skip


# Development initiatives and their plan (tkr a year); the development lines are their sums.
INITIATIVES = (
    Initiative("DIG-1", "DIGI", "DIG-UTV", "Självservice i e-tjänsteplattformen", "1",
               "digitaliseringsfonden", {2024: 800, 2025: 600}),
    Initiative("DIG-2", "DIGI", "DIG-UTV", "E-arkiv för förvaltningarna", "2",
               "digitaliseringsfonden", {2024: 400, 2025: 480}),
    Initiative("PERS-1", "PERS", "PERS-UTV", "Nytt HR- och lönesystem, införande", "1",
               "verksamhetsbudget", {2024: 600, 2025: 360}),
)  # fmt: skip


def initiative_sek(initiative: Initiative, year: int) -> int:
    return 1000 * initiative.amounts_tkr.get(year, 0)


# Support pools: own cost a month in BASE_YEAR (SEK), and the shares they give (outcome).
# Designed so that every flow is a round amount every month: T_IT = 100 000, T_HR = 60 000.
SUPPORT_MONTHLY = {"STÖD-LOKAL": 100_000, "STÖD-LEDN": 80_000, "STÖD-IT": 64_000,
                   "STÖD-HR": 36_000}  # fmt: skip
SUPPORT_SHARES: dict[str, tuple[str, dict[str, str]]] = {
    "STÖD-LOKAL": ("floor_area", {
        "STÖD-LEDN": "0.10", "STÖD-IT": "0.15", "STÖD-HR": "0.05", "DIG-DATOR": "0.20",
        "DIG-SYSTEM": "0.10", "EKO-REDOV": "0.10", "EKO-FAKT": "0.05", "PERS-LÖN": "0.10",
        "KOMM-TRYCK": "0.10", "KOMM-KC": "0.05"}),
    "STÖD-LEDN": ("headcount", {
        "STÖD-IT": "0.10", "STÖD-HR": "0.10", "DIG-DATOR": "0.15", "DIG-MOBIL": "0.05",
        "DIG-SYSTEM": "0.15", "EKO-REDOV": "0.15", "EKO-FAKT": "0.05", "PERS-LÖN": "0.10",
        "KOMM-TRYCK": "0.05", "KOMM-KC": "0.10"}),
    "STÖD-IT": ("tickets", {
        "STÖD-HR": "0.10", "DIG-DATOR": "0.40", "DIG-MOBIL": "0.10", "DIG-SYSTEM": "0.20",
        "EKO-REDOV": "0.05", "PERS-LÖN": "0.05", "KOMM-TRYCK": "0.05", "KOMM-KC": "0.05"}),
    "STÖD-HR": ("headcount", {
        "STÖD-IT": "0.20", "DIG-DATOR": "0.10", "DIG-SYSTEM": "0.10", "EKO-REDOV": "0.15",
        "EKO-FAKT": "0.10", "PERS-LÖN": "0.15", "KOMM-TRYCK": "0.10", "KOMM-KC": "0.10"}),
}  # fmt: skip
# What each service receives from the support pools a month in BASE_YEAR (SEK), by hand from
# the shares above (step-down, then T_IT = 88 000 + 0.2 T_HR, T_HR = 50 000 + 0.1 T_IT).
SUPPORT_RECEIVED_MONTHLY = {
    "DIG-DATOR": 79_500, "DIG-MOBIL": 14_500, "DIG-SYSTEM": 49_500, "EKO-REDOV": 37_500,
    "EKO-FAKT": 15_500, "PERS-LÖN": 33_000, "KOMM-TRYCK": 25_500, "KOMM-KC": 25_000,
}  # fmt: skip
UNMAPPED_ACTIVITY = "DIG-ÖVRIGT"  # one mis-coded invoice a year, in the unallocated pool
UNMAPPED_SEK = 12_500


def growth(year: int, rate_percent: int) -> Fraction:
    """(1 + rate)^(year - BASE_YEAR), exactly (below 1 before BASE_YEAR)."""
    return Fraction(100 + rate_percent, 100) ** (year - BASE_YEAR)


def support_factor(year: int) -> Fraction:
    """Support pools grow by 5 % of the 2024 level a year, so every flow stays a round sum."""
    return Fraction(100 + 5 * (year - BASE_YEAR), 100)


def _round(value: Fraction) -> int:
    """Half up (values here are positive)."""
    return int(value + Fraction(1, 2))


def plan_amount(service_id: str, year: int, scenario: str = "budget") -> int:
    """A plan line in SEK (0: no line). Maintenance lines grow 3 % a year from BASE_YEAR,
    rounded to a multiple of 12 000 kr (whole kronor every month); development lines are the
    sum of their initiatives; the forecast changes a few lines."""
    service = SERVICE_BY_ID[service_id]
    if service.cost_type == "development":
        amount = sum(initiative_sek(i, year) for i in INITIATIVES if i.service_id == service_id)
    else:
        amount = _round(service.budget * growth(year, 3) / 12_000) * 12_000
    if scenario == "forecast_1" and amount:
        amount += FORECAST_CHANGES.get(service_id, 0)
    return amount


def support_received(service_id: str, year: int) -> int:
    """What a service receives from the support pools in `year`, SEK (designed, exact)."""
    monthly = SUPPORT_RECEIVED_MONTHLY.get(service_id, 0) * support_factor(year)
    assert monthly.denominator == 1
    return 12 * int(monthly)


def outcome_ledger_sek(service_id: str, year: int) -> int:
    """A service's own ledger cost in `year` (SEK): its budget x its outcome factor (whole
    kronor), less what it receives from the support pools; a support pool: 12 x its month."""
    service = SERVICE_BY_ID[service_id]
    if service.is_support:
        monthly = SUPPORT_MONTHLY[service_id] * support_factor(year)
        assert monthly.denominator == 1
        return 12 * int(monthly)
    budget = plan_amount(service_id, year)
    if not budget:
        return 0
    return _round(budget * service.outcome_factor) - support_received(service_id, year)


# ------------------------------------------------------------------------------- drivers


DRIVERS = (
    Driver("DATOR", "datormånad", "computer-month", "Datorarbetsplatser per månad",
           "Computer workstations per month"),
    Driver("MOBIL", "abonnemangsmånad", "subscription-month", "Mobilabonnemang per månad",
           "Mobile subscriptions per month"),
    Driver("ANSTALLD", "årsarbetarmånad", "FTE-month", "Anställda (årsarbetare) per månad",
           "Employees (full-time equivalents) per month", decimals=1),
    Driver("FAKTURA", "faktura", "invoice", "Hanterade leverantörsfakturor",
           "Supplier invoices handled"),
    Driver("ARENDE", "ärende", "case", "Ärenden i kontaktcenter", "Contact-centre cases"),
)  # fmt: skip
DECIMALS = {d.code: d.decimals for d in DRIVERS}
# Stocks are counted as held in the month (planned in unit-months); the others are flows.
STOCK_DRIVERS = ("DATOR", "MOBIL", "ANSTALLD")
INVOICE_SEASON = (1.1, 1.0, 1.05, 1.0, 1.0, 1.0, 0.7, 0.9, 1.05, 1.05, 1.05, 1.1)


def planned_cases_per_fte_month(year: int) -> Fraction:
    """Contact-centre cases per employee and month in the plan (self-service lowers it)."""
    if year <= 2024:
        return Fraction(50, 100)
    return Fraction(43, 100) if year == 2025 else Fraction(37, 100)


def actual_cases_per_fte_month(year: int, month: int) -> float:
    """The outcome: 0.50 until 2024, falling through 2025 (DIG-1) to 0.37."""
    if year <= 2024:
        return 0.50
    if year == 2025:
        return 0.49 - 0.011 * (month - 1)
    return 0.37


def org_plan_units(org: Organisation, driver: str, year: int) -> int:
    """An organisation's planned stock (units held a month) or flow (a year), in driver units."""
    if driver == "DATOR":
        return _round(org.computers * growth(year, 2))
    if driver == "MOBIL":
        return org.phones
    if driver == "ANSTALLD":
        return _round(org.fte_tenths * growth(year, 1))
    if driver == "FAKTURA":
        return _round(org.invoices * growth(year, 3))
    if driver == "ARENDE":
        fte = Fraction(org_plan_units(org, "ANSTALLD", year), 10)
        return _round(fte * 12 * planned_cases_per_fte_month(year))
    raise ValueError(driver)


def _carries(cc: CostCentre, driver: str, index: int) -> bool:
    """Invoices are handled at the default and every other unit; everything else everywhere."""
    return driver != "FAKTURA" or cc.is_default or index % 2 == 0


def cost_centre_plan(
    centres: list[CostCentre], sizes: dict[str, float], year: int
) -> dict[str, dict[str, int]]:
    """driver -> consumer cost centre -> planned stock (a month) or flow (a year), in units:
    each organisation's plan spread over its cost centres valid in `year` by their sizes."""
    out: dict[str, dict[str, int]] = {d.code: {} for d in DRIVERS}
    for org in ORGANISATIONS:
        mine = [c for c in centres if c.org_code == org.code and c.valid_in(year)]
        for driver in out:
            carriers = [c for i, c in enumerate(mine) if _carries(c, driver, i)]
            weights = [sizes[c.code] * (3.0 if c.is_default and driver == "FAKTURA" else 1.0)
                       for c in carriers]  # fmt: skip
            split = split_in_order(org_plan_units(org, driver, year), weights)
            for c, units in zip(carriers, split, strict=True):
                if units > 0:
                    out[driver][c.code] = units
    return out


def annual_planned(driver: str, units: int) -> int:
    """Planned volume in the contract's sense: a stock counts unit-months (12 x the stock)."""
    return 12 * units if driver in STOCK_DRIVERS else units


def forecast_units(driver: str, units: int) -> int:
    """The forecast orders 3 % more computers; the other volumes stay."""
    return _round(Fraction(units * 103, 100)) if driver == "DATOR" else units


def monthly_actuals(
    plan: dict[str, dict[str, int]], year: int, rng: np.random.Generator
) -> list[list[tuple[str, str, int]]]:
    """Per month, (driver, cost centre, units) of the actual volumes (only quantities > 0)."""
    months: list[list[tuple[str, str, int]]] = [[] for _ in range(12)]
    ftes = plan["ANSTALLD"]
    for driver in (d.code for d in DRIVERS):
        for cc, units in sorted(plan[driver].items()):
            noise = rng.normal(0.0, 1.0, size=12)
            for m in range(12):
                if driver == "DATOR":  # a little above plan, growing through the year
                    value = units * (1.01 + 0.03 * (m - 5.5) / 11 + 0.01 * noise[m])
                elif driver == "MOBIL":
                    value = units * (0.98 + 0.01 * noise[m])
                elif driver == "ANSTALLD":
                    value = units * (1.0 + 0.005 * noise[m])
                elif driver == "FAKTURA":
                    value = units / 12 * INVOICE_SEASON[m] * (1.0 + 0.05 * noise[m])
                else:  # ARENDE: cases follow the staff and the self-service effect
                    rate = actual_cases_per_fte_month(year, m + 1)
                    value = ftes.get(cc, 0) / 10 * rate * (1.0 + 0.05 * noise[m])
                quantity = max(0, int(round(value)))
                if quantity:
                    months[m].append((driver, cc, quantity))
    return months


# ------------------------------------------------------------------------------- ledger

CHART_CHANGE_YEAR = 2025  # cloud services get an account of their own; 6460 is renamed
# (account, name, class, first year or None, last year or None)
ACCOUNTS = (
    ("1941", "Bank, koncernkonto", "balance", None, None),
    ("2531", "Leverantörsskulder", "balance", None, None),
    ("3610", "Interna intäkter, kommunservice", "revenue", None, None),
    ("3611", "Interna intäkter, digitalisering och IT", "revenue", None, None),
    ("5112", "Månadslön", "cost", None, None),
    ("5520", "Sociala avgifter enligt lag och avtal", "cost", None, None),
    ("6111", "Lokalhyra", "cost", None, None),
    ("6450", "Programvarulicenser", "cost", None, None),
    ("6460", "IT-drift och molntjänster", "cost", None, CHART_CHANGE_YEAR - 1),
    ("6460", "IT-drift", "cost", CHART_CHANGE_YEAR, None),
    ("6470", "Molntjänster", "cost", CHART_CHANGE_YEAR, None),
    ("6540", "Telefoni och mobilabonnemang", "cost", None, None),
    ("6910", "Konsulttjänster", "cost", None, None),
    ("7040", "Tryck och grafiskt material", "cost", None, None),
    ("7690", "Övriga främmande tjänster", "cost", None, None),
    ("7910", "Köpta interna tjänster, kommunservice", "cost", None, None),
    ("7911", "Köpta interna tjänster, digitalisering och IT", "cost", None, None),
)
COST_RANGE = ("5000", "7999")
BANK, PAYABLES = "1941", "2531"
RENT_ACCOUNT = "6111"
# Posting kind -> account of its supplier invoices (series A); salaries (series L) are booked
# gross on 5112 and the fees on 5520.
KIND_ACCOUNT = {
    "licence": "6450", "it_ops": "6460", "cloud": "6470", "telecom": "6540", "consultant": "6910",
    "print": "7040", "rent": RENT_ACCOUNT, "other": "7690",
}  # fmt: skip
KIND_TEXT = {
    "licence": "Licensavgift", "it_ops": "IT-drift", "cloud": "Molntjänst", "telecom": "Telefoni",
    "consultant": "Konsultarvode", "print": "Tryckuppdrag", "rent": "Lokalhyra",
    "other": "Faktura",
}  # fmt: skip
SUPPLIERS = {
    "licence": ("Programvaruhuset i Norden AB", "Licensia AB"),
    "it_ops": ("Driftpartner Väst AB", "Serverhallen i Sjöbacka AB"),
    "cloud": ("Molnbolaget Sverige AB",),
    "telecom": ("Telekom Öst AB", "Mobilnät Sverige AB"),
    "consultant": ("Konsultgruppen Åkesson AB", "Digitalisera Mera AB", "Förändringsbyrån AB"),
    "print": ("Tryckeriet i Sjöbacka AB", "Grafiska Ängen AB"),
    "rent": ("Sjöbacka Fastigheter AB",),
    "other": ("Kontorsvaruhuset AB", "Kurs & Konferens Sjöbacka AB"),
}
SOCIAL_FEES = Fraction(3915, 10_000)  # personalomkostnadspålägg
PROFILE_GENERAL = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.9, 1.05, 1.05, 1.05, 1.35)
PROFILE_DEVELOPMENT = (0.5, 0.6, 0.8, 0.9, 1.0, 1.0, 0.4, 0.9, 1.2, 1.3, 1.4, 1.9)


# The internal-invoicing account map (plan/invoicing_accounts.csv): digitalisation and IT on
# accounts of their own, credited on its producing cost centre; every other service on the
# default row, credited on Kommunservice's common cost centre.
INVOICING_DEFAULT = ("7910", "3610", "KSC.100")
INVOICING_BY_AREA = {"DIGI": ("7911", "3611", "KSC.910")}


def invoicing_accounts(year: int) -> list[list[str]]:
    """Rows of plan/invoicing_accounts.csv for one fiscal year: the default row, then the
    services whose area has accounts of its own."""
    rows = [[str(year), "", *INVOICING_DEFAULT, ""]]
    for s in SERVICES:
        if not s.is_support and s.area in INVOICING_BY_AREA:
            rows.append([str(year), s.service_id, *INVOICING_BY_AREA[s.area], ""])
    return rows


def accounts_for(year: int) -> list[tuple[str, str, str]]:
    """(account, name, class) of the chart of accounts of `year`."""
    return [
        (acc, name, cls)
        for acc, name, cls, first, last in ACCOUNTS
        if (first is None or first <= year) and (last is None or year <= last)
    ]


def _kind_account(kind: str, year: int) -> str:
    # Cloud services are booked as IT operations before the cloud account exists.
    if kind == "cloud" and year < CHART_CHANGE_YEAR:
        return KIND_ACCOUNT["it_ops"]
    return KIND_ACCOUNT[kind]


def mapping_rules(year: int) -> list[list[str]]:
    """Account/project/cost centre/activity -> service rules of one fiscal year."""
    rules: list[list[str]] = []

    def add(priority: int, span: tuple[str, str], activity: str, cc: str, project: str,
            service: Service) -> None:  # fmt: skip
        rules.append(
            [f"R{year}-{len(rules) + 1:02d}", str(year), str(priority), span[0], span[1],
             activity, cc, project, service.service_id, service.cost_type]
        )  # fmt: skip

    for ini in INITIATIVES:  # development spend follows its project
        add(10, COST_RANGE, "", "", ini.initiative_id, SERVICE_BY_ID[ini.service_id])
    # Rent on the premises cost centre is premises, whatever activity it was booked on.
    add(20, (RENT_ACCOUNT, RENT_ACCOUNT), "", "KSC.950", "", SERVICE_BY_ID["STÖD-LOKAL"])
    for service in SERVICES:
        add(50, COST_RANGE, service.service_id, "", "", service)
    return rules


def _orderers(
    centres: list[CostCentre], sizes: dict[str, float], year: int
) -> tuple[list[str], list[float]]:
    codes: list[str] = []
    weights: list[float] = []
    for c in centres:
        if c.org_code in ORDERERS and c.valid_in(year):
            codes.append(c.code)
            weights.append(ORDERERS[c.org_code] * max(sizes[c.code], 0.2))
    total = sum(weights)
    return codes, [w / total for w in weights]


def ledger_year(
    year: int,
    centres: list[CostCentre],
    sizes: dict[str, float],
    scale: float,
    rng: np.random.Generator,
) -> list[Voucher]:
    """Every voucher of one fiscal year, balanced and numbered per series.

    Each service's own cost (`outcome_ledger_sek`) is split over the months by its profile
    (support pools flat, so every support flow is a round sum each month), each month over its
    posting kinds by its mix, each kind into a few rows of lognormal size (about 30-60 x
    `scale` rows a service and year, at least one per month and kind; premises rent is one
    invoice a month). Supplier invoices (series A) credit 2531, salaries (series L) and the
    month-end supplier payments (series B) go through 1941.
    """
    vouchers: list[Voucher] = []
    salary_rows: list[list[Row]] = [[] for _ in range(12)]
    orderers, order_weights = _orderers(centres, sizes, year)
    for service in SERVICES:
        total = outcome_ledger_sek(service.service_id, year) * 100
        if total <= 0:
            continue
        if service.is_support:
            profile: tuple[float, ...] = (1.0,) * 12
        elif service.cost_type == "development":
            profile = PROFILE_DEVELOPMENT
        else:
            profile = PROFILE_GENERAL
        monthly = split_in_order(total, list(profile))
        kinds = sorted(service.mix)
        rows_a_year = max(12, round(int(rng.integers(30, 61)) * scale))
        projects = [(i.initiative_id, initiative_sek(i, year)) for i in INITIATIVES
                    if i.service_id == service.service_id and initiative_sek(i, year) > 0]  # fmt: skip
        for m in range(12):
            kind_amounts = split_in_order(monthly[m], [service.mix[k] for k in kinds])
            for kind, amount in zip(kinds, kind_amounts, strict=True):
                if amount == 0:
                    continue
                count = (
                    1
                    if kind == "rent"
                    else max(1, round(rows_a_year * service.mix[kind] * profile[m] / sum(profile)))
                )
                weights = rng.lognormal(0.0, 0.6, size=count).tolist()
                for part in split_in_order(amount, weights):
                    if part == 0:
                        continue
                    project = ""
                    if projects:
                        ids, w = zip(*projects, strict=True)
                        project = ids[int(rng.choice(len(ids), p=np.array(w) / sum(w)))]
                    cc = service.producer_cc
                    if service.service_id == DIRECT_SERVICE:
                        cc = orderers[int(rng.choice(len(orderers), p=order_weights))]
                    _book(year, m, service, kind, part, cc, project, rng, salary_rows, vouchers)
    # One mis-coded invoice a year (an activity no rule maps): the unallocated pool.
    text = f"Faktura Kontorsvaruhuset AB fakt 400{year}, felkonterad verksamhet"
    unmapped = Voucher("A", date(year, 3, 14))
    unmapped.rows.append(Row("7690", "KSC.910", UNMAPPED_ACTIVITY, "", "Kontorsvaruhuset AB",
                             UNMAPPED_SEK * 100, text))  # fmt: skip
    unmapped.rows.append(
        Row(PAYABLES, "", "", "", "Kontorsvaruhuset AB", -UNMAPPED_SEK * 100, text)
    )
    vouchers.append(unmapped)
    for m, rows in enumerate(salary_rows):
        if rows:
            paid = -sum(r.amount for r in rows)
            rows.append(Row(BANK, "", "", "", "Lönekörning", paid,
                            f"Löneutbetalning {MONTHS_SV[m]} {year}"))  # fmt: skip
            vouchers.append(Voucher("L", date(year, m + 1, 25), rows))
    payable = [0] * 12
    for v in vouchers:
        if v.series == "A":
            payable[v.day.month - 1] += sum(r.amount for r in v.rows if r.account == PAYABLES)
    for m in range(12):
        if payable[m]:
            text = f"Betalning leverantörsfakturor {MONTHS_SV[m]} {year}"
            day = date(year, m + 1, calendar.monthrange(year, m + 1)[1])
            vouchers.append(
                Voucher("B", day, [Row(PAYABLES, "", "", "", "", -payable[m], text),
                                   Row(BANK, "", "", "", "", payable[m], text)])
            )  # fmt: skip
    number_vouchers(vouchers)
    return vouchers


def _book(
    year: int,
    month: int,
    service: Service,
    kind: str,
    amount: int,
    cc: str,
    project: str,
    rng: np.random.Generator,
    salary_rows: list[list[Row]],
    vouchers: list[Voucher],
) -> None:
    """One cost row: a gross salary + fees pair on the month's payroll, or a supplier invoice."""
    sid = service.service_id
    if kind == "salary":
        gross = _round(Fraction(amount) / (1 + SOCIAL_FEES))
        salary_rows[month].append(
            Row("5112", cc, sid, project, "Lönekörning", gross,
                f"Lön {MONTHS_SV[month]} {year}, {service.name_sv}")
        )  # fmt: skip
        salary_rows[month].append(
            Row("5520", cc, sid, project, "Lönekörning", amount - gross,
                f"Sociala avgifter {MONTHS_SV[month]} {year}, {service.name_sv}")
        )  # fmt: skip
        return
    suppliers = SUPPLIERS[kind]
    party = suppliers[int(rng.integers(len(suppliers)))]
    invoice = int(rng.integers(10_000, 99_999))
    day = 1 if kind == "rent" else int(rng.integers(1, 29))
    text = f"{KIND_TEXT[kind]} {party} fakt {invoice}, {service.name_sv}"
    if kind == "rent":
        text = f"Lokalhyra {MONTHS_SV[month]} {year}, {party}"
    if sid == DIRECT_SERVICE:
        text += f", beställare {cc}"
    v = Voucher("A", date(year, month + 1, day))
    v.rows.append(Row(_kind_account(kind, year), cc, sid, project, party, amount, text))
    v.rows.append(Row(PAYABLES, "", "", "", party, -amount, text))
    vouchers.append(v)


# --------------------------------------------------------------------------- the writing


def generate_sjobacka(
    out_dir: Path,
    *,
    seed: int = 2017,
    scale: float = 1.0,
    years: tuple[int, ...] = (2024, 2025),
    ledger_formats: str = "mixed",
) -> GenerationSummary:
    """Write Sjöbacka's landing files into `out_dir/<kind>/` (its dashboard users are
    `sjobacka_users.toml`, written by `pipelines.lib.demo.users.write_demo_users`)."""
    started = time.perf_counter()
    check_arguments(scale, ledger_formats)
    years = parse_years(",".join(str(y) for y in years), CITY_ID)
    centres, sizes = cost_centres(scale, years, seed)
    writer = LandingWriter(out_dir)
    writer.clear_monthly()
    summary = GenerationSummary(out_dir=out_dir, seed=seed, scale=scale, years=years)
    summary.city = CITY_ID
    summary.ledger_formats = ledger_formats
    summary.organisations = len(ORGANISATIONS) + 1
    summary.cost_centres = sum(1 for c in centres if not c.producer)
    summary.services = len(SERVICES)
    plans = {y: cost_centre_plan(centres, sizes, y) for y in years}
    _write_registers(writer, centres, years)
    summary.plan_lines = _write_plan(writer, years, plans)

    object_names = {
        DEFAULT_DIMENSIONS.cost_centre: {c.code: c.name for c in centres},
        DEFAULT_DIMENSIONS.activity: {s.service_id: s.name_sv for s in SERVICES},
        DEFAULT_DIMENSIONS.project: {i.initiative_id: i.name_sv for i in INITIATIVES},
    }
    for year in years:
        vouchers = ledger_year(
            year, centres, sizes, scale, np.random.default_rng([seed, STREAM_LEDGER, year])
        )
        for period, rows in rows_by_period(vouchers, year).items():
            summary.ledger_rows += write_ledger_month(
                writer, period, rows, ledger_format(period, ledger_formats),
                company=COMPANY, orgnr=COMPANY_ORGNR, accounts=accounts_for(year),
                object_names=object_names,
            )  # fmt: skip
        months = monthly_actuals(
            plans[year], year, np.random.default_rng([seed, STREAM_VOLUMES, year])
        )
        for m, rows_ in enumerate(months, start=1):
            as_xlsx = ledger_formats == "mixed" and year == years[-1] and m == VOLUMES_XLSX_MONTH
            summary.volume_rows += write_volumes_month(
                writer, f"{year}-{m:02d}", rows_, as_xlsx, DECIMALS
            )
        ledger_total = sum(outcome_ledger_sek(s.service_id, year) for s in SERVICES)
        summary.notes.append(
            f"{year}: budget {tkr_text(sum(plan_amount(s, year) for s in PLAN_SERVICES))} tkr, "
            f"outcome {tkr_text(ledger_total + UNMAPPED_SEK)} tkr in the ledger (support pools "
            f"{tkr_text(sum(outcome_ledger_sek(s, year) for s in SUPPORT_SERVICES))} tkr, "
            f"unallocated {_kr(UNMAPPED_SEK)} kr)"
        )
    summary.files = len(writer.files)
    summary.rows_per_file = dict(sorted(writer.files.items()))
    summary.seconds = time.perf_counter() - started
    return summary


def _kr(sek: int) -> str:
    return f"{sek:,}".replace(",", " ")


def _write_registers(
    writer: LandingWriter, centres: list[CostCentre], years: tuple[int, ...]
) -> None:
    start = f"{years[0]}-01-01"
    writer.write(
        "organisations/org_groups.csv",
        ([g.code, g.name_sv, g.name_en, str(g.sort_order)] for g in GROUPS),
        optional=True,
    )
    orgs = [[o.code, o.name, o.group, start, "", "false"] for o in ORGANISATIONS]
    orgs.append([PRODUCER, PRODUCER_NAME, PRODUCER_GROUP, start, "", "true"])
    writer.write("organisations/organisations.csv", orgs, optional=True)
    writer.write(
        "organisations/cost_centres.csv",
        ([c.code, c.name, c.org_code, "true" if c.is_default else "false", c.valid_from.isoformat(),
          "" if c.valid_to is None else c.valid_to.isoformat()] for c in centres),
    )  # fmt: skip
    writer.write("services/service_areas.csv", (list(a) for a in AREAS))
    writer.write("services/services.csv", _service_rows(years))
    renamed = years[0] < RENAME_YEAR <= years[-1]
    writer.write(
        "services/service_lineage.csv",
        ([sid, sid, "rename", "1", f"{RENAME_YEAR}-01-01"] for sid in RENAMED if renamed),
    )
    writer.write(
        "volumes/drivers.csv",
        ([d.code, d.unit_sv, d.unit_en, d.description_sv, d.description_en] for d in DRIVERS),
    )
    writer.write(
        "ledger/accounts.csv",
        ([str(y), acc, name, cls] for y in years for acc, name, cls in accounts_for(y)),
    )
    writer.write("ledger/mapping_rules.csv", (rule for y in years for rule in mapping_rules(y)))


def _service_rows(years: tuple[int, ...]) -> Iterable[list[str]]:
    start = f"{years[0]}-01-01"
    for s in SERVICES:
        flags = [s.service_id, s.name_sv, "", s.area, s.cost_type, "false"]
        support = "true" if s.is_support else "false"
        new_name = RENAMED.get(s.service_id)
        if new_name is None or years[-1] < RENAME_YEAR:
            yield [*flags, start, "", "", support]
        elif years[0] >= RENAME_YEAR:
            yield [s.service_id, new_name, s.name_sv, s.area, s.cost_type, "false", start, "",
                   "Namnbyte", support]  # fmt: skip
        else:
            yield [*flags, start, f"{RENAME_YEAR - 1}-12-31", "", support]
            yield [s.service_id, new_name, s.name_sv, s.area, s.cost_type, "false",
                   f"{RENAME_YEAR}-01-01", "", "Namnbyte", support]  # fmt: skip


SCENARIOS = (("budget", "Budget"), ("forecast_1", "Prognos 1"))


def key_set(year: int) -> str:
    return f"FN-{year}"


def population_key_set(year: int) -> str:
    return f"ANSLUTNA-{year}"


def _write_plan(
    writer: LandingWriter, years: tuple[int, ...], plans: dict[int, dict[str, dict[str, int]]]
) -> int:
    plan_rows: list[list[str]] = []
    method_rows: list[list[str]] = []
    key_rows: list[list[str]] = []
    volume_rows: list[list[str]] = []
    price_rows: list[list[str]] = []
    support_rows: list[list[str]] = []
    for y in years:
        for scenario, label in SCENARIOS:
            for sid in PLAN_SERVICES:
                amount = plan_amount(sid, y, scenario)
                if not amount:
                    continue
                s = SERVICE_BY_ID[sid]
                plan_rows.append(
                    [str(y), scenario, f"{label} {y}", sid, s.cost_type, f"{amount}.00"]
                )
                keys = key_set(y) if sid in KEYS else population_key_set(y) if s.population else ""
                method_rows.append(
                    [str(y), scenario, sid, f"FM-{y}-{scenario}-{sid}", s.method, s.driver, keys]
                )
            for driver in sorted(plans[y]):
                for cc, units in sorted(plans[y][driver].items()):
                    if scenario != "budget":
                        units = forecast_units(driver, units)
                    volume_rows.append(
                        [str(y), scenario, driver, cc,
                         quantity_text(annual_planned(driver, units), DECIMALS[driver])]
                    )  # fmt: skip
        valid = (f"{y}-01-01", f"{y}-12-31")
        for sid in sorted(KEYS):
            if plan_amount(sid, y):
                for org, share in KEYS[sid].items():
                    key_rows.append([key_set(y), sid, org, share, *valid])
        for sid in PLAN_SERVICES:
            if SERVICE_BY_ID[sid].population:
                # A population: only who has a share > 0 matters (the shares need not sum to 1).
                for org in ADMINISTRATIONS:
                    key_rows.append([population_key_set(y), sid, org, "1", *valid])
        # The price list: delivered for a year whose previous year is not in the delivery;
        # otherwise the settlement of the previous year is carried into the price.
        if y - 1 not in years:
            service = SERVICE_BY_ID[PRICE_LIST_SERVICE]
            volume = sum(
                annual_planned(service.driver, u) for u in plans[y][service.driver].values()
            )
            price_ore = _round(Fraction(plan_amount(PRICE_LIST_SERVICE, y) * 100, volume))
            price_rows.append([str(y), PRICE_LIST_SERVICE, service.driver, format_ore(price_ore)])
        for pool in SUPPORT_SERVICES:
            s = SERVICE_BY_ID[pool]
            method_rows.append(
                [str(y), "outcome", pool, f"FM-{y}-outcome-{pool}", s.method, "", ""]
            )
            basis, shares = SUPPORT_SHARES[pool]
            for receiver, share in shares.items():
                support_rows.append(
                    [str(y), "outcome", pool, receiver, basis, share, str(s.support_step), s.method]
                )
    for name, rows in (
        ("plan_amounts", plan_rows), ("service_methods", method_rows),
        ("allocation_keys", key_rows), ("planned_volumes", volume_rows),
        ("price_list", price_rows), ("support_allocations", support_rows),
    ):  # fmt: skip
        writer.write(f"plan/{name}.csv", rows)
    writer.write(
        "plan/initiatives.csv",
        ([i.initiative_id, i.area, i.service_id, i.name_sv, i.priority, i.financing_channel]
         for i in INITIATIVES),
    )  # fmt: skip
    writer.write(
        "plan/initiative_plan.csv",
        ([i.initiative_id, str(y), f"{initiative_sek(i, y)}.00"]
         for i in INITIATIVES for y in years if initiative_sek(i, y)),
    )  # fmt: skip
    writer.write("plan/kpis.csv", KPIS, optional=True)
    writer.write(
        "plan/invoicing_accounts.csv",
        (row for y in years for row in invoicing_accounts(y)),
        optional=True,
    )
    return len(plan_rows)


KPIS = (
    # Cost per computer and month, year to date, for the city (a cost numerator).
    ["DATOR_KOSTNAD", "Kostnad per datorarbetsplats", "Cost per computer workstation",
     "cost:service:DIG-DATOR", "volume:DATOR", "year_to_date", "city", "sek", "360", "max",
     "2024-01", ""],
    # Cases per employee and month, per organisation; the self-service initiative DIG-1 is
    # meant to bring it to at most 0.40 from July 2025.
    ["ARENDE_PER_ANSTALLD", "Kontaktcenterärenden per anställd",
     "Contact-centre cases per employee", "volume:ARENDE", "volume:ANSTALLD", "month",
     "organisation", "ratio", "0.40", "max", "2025-07", "DIG-1"],
)  # fmt: skip
