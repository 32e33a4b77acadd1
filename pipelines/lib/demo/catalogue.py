"""The demo city's reference world: organisations, services with history, plan lines, methods.

Everything here is derived from the published CSVs in `REFERENCE_DIR` (Göteborg's budget 2017
case file, the demo's own copy of its printed tables; `reference_pack.py` also writes them as the
demo city's reference pack) plus a few fixed facts of the demo world (which companies are inside the city IT
environment, which organisations are connected to E-handel, who uses chemicals). Nothing here
is random: the random parts (volumes, cost centres, ledger) live in the other modules.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipelines.lib.allocation.largest_remainder import split_in_order

# Göteborg's printed 2016/2017 tables (tkr, verbatim): what the demo city is calibrated on.
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

FIRST_YEAR = 2016
PUBLISHED_YEARS = (2016, 2017)
# Öre per published tkr.
ORE_PER_TKR = 100_000

GROUPS = ("Stadsdelsförvaltningar", "Fackförvaltningar", "Bolag", "Kommunalförbund")
# The groups' names as the pages show them (organisations/org_groups.csv), in GROUPS' order.
GROUP_NAMES_EN = {
    "Stadsdelsförvaltningar": "District administrations",
    "Fackförvaltningar": "Specialist administrations",
    "Bolag": "Municipal companies",
    "Kommunalförbund": "Joint municipal authorities",
}
SDF_CODES = tuple(f"N{n}" for n in range(131, 141))
SOCIAL_RESURS = "N130"
UTBILDNINGSFORVALTNINGEN = "N610"
INTRASERVICE = "I060"  # the producer (is_producer): books the services' cost
# Companies whose budget is 0 in 2017 (merged into Göteborg Energi AB at the turn of the year).
CLOSED_AFTER_2016 = ("B111", "B115")

# Companies inside the city IT environment (the KF decision is being rolled out; the rest run
# their own IT and only take part in the services that are keyed to everyone).
IT_ENV_COMPANIES = (
    "B100", "B110", "B150", "B245", "B250", "B300", "B331", "B350", "B380", "B400",
    "B433", "B450", "B500", "B600", "B680", "B705", "B712", "B725", "B730", "B860",
)  # fmt: skip
# Companies connected to E-handel (Winst, e-invoice reception and scanning).
EHANDEL_COMPANIES = (
    "B100", "B110", "B150", "B245", "B250", "B300", "B350", "B600", "B705", "B712",
    "B730", "B860",
)  # fmt: skip
# Organisations that register chemical products (schools, care, parks, water, fire brigade...).
CHEMICAL_USERS = SDF_CODES + (
    "N130", "N200", "N230", "N392", "N393", "N400", "N560", "N610", "N690",
    "K171", "B110", "B150", "B245", "B500", "B600", "B720", "B730",
)  # fmt: skip


@dataclass(frozen=True)
class Organisation:
    """A consuming organisation with its published cost per plan version (tkr)."""

    code: str
    name: str
    group: str
    published_tkr: dict[str, int]  # column of published_organisations.csv -> tkr

    @property
    def valid_to(self) -> date | None:
        return date(2016, 12, 31) if self.code in CLOSED_AFTER_2016 else None

    def valid_in(self, year: int) -> bool:
        return self.valid_to is None or self.valid_to.year >= year

    @property
    def is_administration(self) -> bool:
        return self.group in ("Stadsdelsförvaltningar", "Fackförvaltningar")

    @property
    def in_it_environment(self) -> bool:
        return self.is_administration or self.code == "K171" or self.code in IT_ENV_COMPANIES

    @property
    def ehandel_connected(self) -> bool:
        return self.is_administration or self.code in EHANDEL_COMPANIES


@dataclass(frozen=True)
class ServicePeriod:
    """One validity row of a service in the catalogue."""

    service_id: str
    name_sv: str
    former_name_sv: str
    area: str  # empty only for the Reglering balancing line
    cost_type: str
    is_adjustment: bool
    valid_from: date
    valid_to: date | None
    comment_sv: str
    is_support: bool = False  # Intraservice-internal support pool, not a published service

    def valid_in(self, year: int) -> bool:
        return self.valid_from.year <= year and (
            self.valid_to is None or self.valid_to.year >= year
        )


@dataclass(frozen=True)
class LineageRow:
    from_service_id: str
    to_service_id: str
    relation: str
    weight_units: int  # weight on the 1e-12 grid
    effective_date: date


@dataclass(frozen=True)
class Method:
    """How one service is allocated in one year (the population is a set of org codes)."""

    method: str  # fixed_key | driver_share | price_list
    driver: str  # empty for fixed_key
    population: str  # name of a population (see `population_members`); empty = no restriction


@dataclass
class PlanVersion:
    """One plan version: annual amounts (öre) per service line and how they are allocated."""

    fiscal_year: int
    scenario: str
    label: str
    key_set: str
    pop_key_set: str
    amounts: dict[str, int] = field(default_factory=dict)  # service_id -> öre
    published_column: str = ""  # column of published_organisations.csv, empty if synthetic
    # A forecast: the keys of this version, the amounts changed by `deviations`, the planned
    # volumes of that version with extra workplaces (see `forecasts.py`); not calibrated.
    derived_from: tuple[int, str] | None = None
    extra_workplaces: int = 0  # devices (average stock) above the version derived from

    @property
    def total(self) -> int:
        return sum(self.amounts.values())

    def key_set_for(self, method: Method) -> str:
        """The key_set of a rule: decided keys, a driver population, or none."""
        if method.method == "fixed_key":
            return self.key_set
        return self.pop_key_set if method.population else ""


@dataclass(frozen=True)
class Initiative:
    initiative_id: str
    area: str
    service_id: str
    name_sv: str
    priority: str
    financing_channel: str
    amounts_tkr: dict[int, int]  # fiscal year -> tkr (printed values, zeros kept)


# --------------------------------------------------------------------------- service ids

# (area, published name) -> service_id. Moved services appear twice with the same id.
SERVICE_IDS: dict[tuple[str, str], str] = {
    (
        "EHANDEL",
        "Utvecklingsinitiativ - Övergång till 100% elektroniska leverantörsfakturor",
    ): "EH-DEV-2017",
    ("EHANDEL", "Beställning E-handel"): "EH-BEST",
    ("EHANDEL", "Leverantörfakturahantering och reskontra"): "EH-LEVRESK",
    ("EHANDEL", "Fakturahantering"): "EH-FAKT",
    ("EHANDEL", "Mottagning elektroniska leverantörsfakturor - bolag"): "EH-EFAKT-B",
    ("EHANDEL", "Mottagning elektroniska leverantörsfakturor"): "EH-EFAKT",
    ("EHANDEL", "Skanning pappersfakturor från leverantör - bolag"): "EH-SKAN-B",
    ("EHANDEL", "Skanning pappersfakturor från leverantör"): "EH-SKAN",
    ("EKONOMI", "Samlade utvecklingsinitiativ Ekonomi 2016"): "EK-DEV-2016",
    ("EKONOMI", "Samlade utvecklingsinitiativ Ekonomi 2017"): "EK-DEV-2017",
    ("EKONOMI", "Budget, prognos och analys"): "EK-BPA",
    ("EKONOMI", "Inkassointäkter"): "EK-INK",
    ("EKONOMI", "Kundreskontraprocessen"): "EK-KUND",
    ("EKONOMI", "Momsexpertis"): "EK-MOMS",
    ("EKONOMI", "Redovisning, Drift"): "EK-RED-DRIFT",
    ("EKONOMI", "Redovisning, Investering"): "EK-RED-INV",
    ("EKONOMI", "Redovisning, licens large"): "EK-LIC-L",
    ("EKONOMI", "Redovisning, licens medium"): "EK-LIC-M",
    ("EKONOMI", "Redovisning, licens small Unit4"): "EK-LIC-S",
    ("EKONOMI", "Sammanställd koncernredovisning"): "EK-KONC",
    ("HR", "Samlade utvecklingsinitiativ HR 2016"): "HR-DEV-2016",
    (
        "HR",
        "Utvecklingsinitiativ - Kompetensförsörjning, behålla - synliggöra förmåner & adm. löneprocessen",
    ): "HR-DEV-2017",
    ("HR", "HR-system"): "HR-SYS",
    ("HR", "Lönehantering"): "HR-LON",
    ("IT", "Utvecklingsinitiativ Konto/behörighetshantering"): "IT-DEV-KONTO-2016",
    ("IT", "Utvecklingsintiativ Tekniska nät"): "IT-DEV-NAT-2016",
    ("IT", "Utvecklingsinitiativ - Byte av Officeversion"): "IT-DEV-OFFICE",
    (
        "IT",
        "Utvecklingsinitiativ - Förenkling och automatisering av konto- och behörighetshanteringen",
    ): "IT-DEV-KONTO",
    ("IT", "Befolkningsregister"): "IT-BEF",
    ("IT", "Datalagring"): "IT-LAGR",
    ("IT", "Domino"): "IT-DOM",
    ("IT", "E-post"): "IT-EPOST",
    ("IT", "E-tjänsteplattform"): "IT-ETJ",
    ("IT", "Fjärråtkomst"): "IT-FJARR",
    ("IT", "Generell IT-säkerhet"): "IT-SAK",
    ("IT", "IT-arbetsplats"): "IT-ARB",
    ("IT", "Licensadministration"): "IT-LICADM",
    ("IT", "Licenser IBM"): "IT-IBM",
    ("IT", "Lokala nät/lan"): "IT-LAN",
    ("IT", "Serverplattform"): "IT-SERV",
    ("IT", "Stadsnätet WAN"): "IT-WAN",
    ("IT", "Systemintegration"): "IT-INT",
    ("IT", "Telefoni 2016"): "KOM-TEL",
    ("IT", "Webbapplikationsplattform"): "IT-WEBAPP",
    ("IT", "Verksamhetskatalog"): "IT-VKAT",
    ("IT", "Videokonferens"): "IT-VIDEO",
    ("KOMMUNIKATION", "Utvecklingsinitiativ Valapp - Ungdom KF"): "KOM-DEV-VALAPP-2016",
    (
        "KOMMUNIKATION",
        "Utvecklingsinitiativ Webbplats för stadsutveckling",
    ): "KOM-DEV-STADSUTV-2016",
    ("KOMMUNIKATION", "Utvecklingsinitiatv Förstudier"): "KOM-DEV-FORST-2016",
    ("KOMMUNIKATION", "Samlade utvecklingsinitiativ Kommunikation 2017"): "KOM-DEV-2017",
    ("KOMMUNIKATION", "Demokrati och delaktighet: E-demokrati tjänster"): "KOM-EDEM",
    (
        "KOMMUNIKATION",
        "Demokrati och delaktighet: Valapplikation till ungdomsfullmäktige",
    ): "KOM-VALAPP",
    ("KOMMUNIKATION", "Digital extern kommunikation Goteborg.se"): "KOM-WEBB",
    ("KOMMUNIKATION", "Digital extern kommunikation: Stadsutveckling"): "KOM-STADSUTV",
    ("KOMMUNIKATION", "Digital extern kommunikation: Särprofilerad webbplats"): "KOM-SARPROF",
    ("KOMMUNIKATION", "Digital intern kommunikation: Intranät"): "KOM-INTRA",
    ("KOMMUNIKATION", "E-samhälle: stadengemensamma e-tjänster"): "KOM-ETJ",
    ("KOMMUNIKATION", "E-tjänsteplattform 2016"): "IT-ETJ",
    ("KOMMUNIKATION", "Extern kommunikation:telefoni"): "KOM-TEL",
    ("KOMMUNIKATION", "Grafisk service: Bildarkiv"): "KOM-BILD",
    ("KOMMUNIKATION", "Grafisk service: Videoplattform"): "KOM-VIDEOPL",
    ("KOMMUNIKATION", "Grafisk service: Övriga kommungemensamma tjänster"): "KOM-GRAF",
    ("KOMMUNIKATION", "Webbapplikationsplattform 2016"): "IT-WEBAPP",
    ("KOMMUNIKATION", "Videokonferens 2016"): "IT-VIDEO",
    (
        "LEDNING_STYRNING",
        "Samlade utvecklingsinitiativ Ledning och styrning avseende förstudier 2017",
    ): "LS-DEV-FORST",
    (
        "LEDNING_STYRNING",
        "Utvecklingsinitiativ Först./Utred.: Innehålls-/dokumenthant. - Ersättning nuvarande systemstöd",
    ): "LS-DEV-DOK",
    ("LEDNING_STYRNING", "Utvecklingsinitiativ: E-arkiv"): "LS-DEV-EARKIV",
    (
        "LEDNING_STYRNING",
        "Utvecklingsinitiativ: Stöd för hantering av nämndhandlingar",
    ): "LS-DEV-NAMND",
    ("LEDNING_STYRNING", "Kemikalieregistering"): "LS-KEMI",
    ("LEDNING_STYRNING", "Kvalitetsarbete och verksamhetsutveckling"): "LS-KVAL",
    ("LEDNING_STYRNING", "Ledning i samverkan"): "LS-LIS",
    ("LEDNING_STYRNING", "Planering och uppföljning"): "LS-PLAN",
    (
        "UTBILDNING",
        "Samlade utvecklingsinitiativ SDF och UBF Utbildning 2016",
    ): "UTB-DEV-SDFUBF-2016",
    ("UTBILDNING", "Samlade utvecklingsinitiativ SDF Utbilding 2016"): "UTB-DEV-SDF-2016",
    (
        "UTBILDNING",
        "Samlade utvecklingsinitiativ pedagogiskt IT-stöd, elevhälsa och måltid",
    ): "UTB-DEV-PED",
    (
        "UTBILDNING",
        "Utvecklingsinitiativ Effektiv och kvalitetssäker upphandling nytt administration IT-stöd",
    ): "UTB-DEV-ADM",
    ("UTBILDNING", "Administrativt IT-stöd"): "UTB-ADM",
    ("UTBILDNING", "Elevhälsans IT-stöd"): "UTB-ELEV",
    ("UTBILDNING", "Måltid"): "UTB-MAL",
    ("UTBILDNING", "Pedagogiskt IT-stöd"): "UTB-PED",
    ("VARD_OMSORG", "Samlade utvecklingsinitiativ Vård och omsorg 2016"): "VO-DEV-2016",
    ("VARD_OMSORG", "Samlade utvecklingsinitiativ Vård och omsorg 2017"): "VO-DEV-2017",
    ("VARD_OMSORG", "KLARA/SVPL"): "VO-KLARA",
    ("VARD_OMSORG", "MediDoc"): "VO-MEDIDOC",
    ("VARD_OMSORG", "Hälsa och sjukvård"): "VO-HOS",
    ("VARD_OMSORG", "Boendeportalen"): "VO-BOENDE",
    ("VARD_OMSORG", "Dioevidence"): "VO-DIO",
    ("VARD_OMSORG", "Försörjningskort"): "VO-FKORT",
    ("VARD_OMSORG", "MTP"): "VO-MTP",
    ("VARD_OMSORG", "Treserva"): "VO-TRES",
    ("VARD_OMSORG", "Vård och omsorg"): "VO-VO",
}

REGLERING = "REGLERING"
REGLERING_P1_2016_TKR = -1474

# Intraservice's internal support pools: not published service lines (their budget is inside
# the service lines), but in the outcome part of Intraservice's own cost is booked on them and
# charged on to the services by step-down and reciprocal allocation (`support.py`).
# (service_id, name, area, comment)
SUPPORT_SERVICES: tuple[tuple[str, str, str, str], ...] = (
    ("IS-LOKAL", "Intraservice lokaler", "LEDNING_STYRNING",
     "Internt stöd: lokaler; fördelas stegvis (steg 1) efter lokalyta"),
    ("IS-ADM", "Intraservice gemensam administration och ledning", "LEDNING_STYRNING",
     "Internt stöd: ledning, stab och nämnd; fördelas stegvis (steg 2) efter antal anställda"),
    ("IS-ITDRIFT", "Intraservice intern IT-drift", "IT",
     "Internt stöd: egen IT-drift; ömsesidig fördelning med IS-HR efter antal ärenden"),
    ("IS-HR", "Intraservice intern HR och lön", "HR",
     "Internt stöd: egen HR och lön; ömsesidig fördelning med IS-ITDRIFT efter antal anställda"),
)  # fmt: skip
SUPPORT_IDS = tuple(s[0] for s in SUPPORT_SERVICES)
# Charged directly in the outcome: the ledger rows carry the ordering administration's cost
# centre (the plan keeps its fixed key).
DIRECT_CHARGE = ("KOM-GRAF", "KOM-VIDEOPL")

# Services whose 2016 name is the printed former name (a real rename in 2017). For the other
# lines with a former name (UBW/Agresso, Hypergene/Nekksus, Cognos, "fakturahantering") the
# parentheses are a system label or a lineage note and are kept in former_name_sv only.
RENAMED_2017 = (
    "EH-BEST", "EH-LEVRESK", "EK-KUND", "KOM-WEBB", "KOM-SARPROF", "KOM-INTRA", "KOM-BILD",
    "LS-KVAL", "LS-LIS", "LS-PLAN", "UTB-ADM", "UTB-ELEV", "UTB-PED",
)  # fmt: skip

SPLIT_2017 = ("EH-FAKT", ("EH-EFAKT-B", "EH-EFAKT", "EH-SKAN-B", "EH-SKAN"))
MERGES_2017 = (
    (("VO-KLARA", "VO-MEDIDOC"), "VO-HOS"),
    (("VO-BOENDE", "VO-DIO", "VO-FKORT", "VO-MTP", "VO-TRES"), "VO-VO"),
)

# ------------------------------------------------------------------------ allocation rules

PRICE_LIST_DRIVERS = {
    "IT-ARB": "WORKPLACE",
    "IT-WAN": "WAN_CONN",
    "IT-LAN": "LAN_PORT",
    "IT-LAGR": "STORAGE_GB",
}
# service_id -> (driver, population); population "" = everyone with a planned volume.
DRIVER_SHARE: dict[str, tuple[str, str]] = {
    "EH-BEST": ("INVOICE", "EHANDEL_ALL"),
    "EH-LEVRESK": ("INVOICE", "EHANDEL_ALL"),
    "EH-FAKT": ("INVOICE", "EHANDEL_ALL"),
    "EH-EFAKT": ("EINVOICE", "EHANDEL_ADMIN"),
    "EH-EFAKT-B": ("EINVOICE", "EHANDEL_COMPANIES"),
    "EH-SKAN": ("PAPER_INVOICE", "EHANDEL_ADMIN"),
    "EH-SKAN-B": ("PAPER_INVOICE", "EHANDEL_COMPANIES"),
    "IT-EPOST": ("MAILBOX", ""),
    "KOM-TEL": ("PHONE_SUB", ""),
    "LS-KEMI": ("CHEM_PRODUCT", ""),
}
HEADCOUNT_AREAS = ("EKONOMI", "HR")


@dataclass(frozen=True)
class Driver:
    code: str
    unit_sv: str
    unit_en: str
    description_sv: str
    description_en: str
    decimals: int = 0


# Every quantity is additive over months: the annual planned quantity is the sum of the twelve
# monthly quantities, so stock drivers (workplaces, subscriptions) count unit-months.
DRIVERS: tuple[Driver, ...] = (
    Driver("WORKPLACE", "arbetsplatsmånad", "workplace-month",
           "IT-arbetsplatser (datorer med stadens klient) per månad",
           "IT workplaces (devices with the city client) per month"),
    Driver("WAN_CONN", "anslutningsmånad", "connection-month",
           "Anslutningar till stadsnätet (WAN) per månad",
           "Connections to the city network (WAN) per month"),
    Driver("LAN_PORT", "portmånad", "port-month",
           "Aktiva nätverksportar i lokala nät per månad",
           "Active ports in local area networks per month"),
    Driver("STORAGE_GB", "GB-månad", "GB-month",
           "Beställd lagringsvolym i gigabyte per månad",
           "Ordered storage in gigabytes per month"),
    Driver("MAILBOX", "brevlådemånad", "mailbox-month",
           "E-postlådor per månad", "E-mail mailboxes per month"),
    Driver("HEADCOUNT", "anställdmånad", "employee-month",
           "Anställda (årsarbetare) per månad", "Employees (full-time equivalents) per month",
           decimals=1),
    Driver("INVOICE", "faktura", "invoice",
           "Leverantörsfakturor, alla format", "Supplier invoices, all formats"),
    Driver("EINVOICE", "e-faktura", "e-invoice",
           "Mottagna elektroniska leverantörsfakturor", "Electronic supplier invoices received"),
    Driver("PAPER_INVOICE", "pappersfaktura", "paper invoice",
           "Skannade pappersfakturor från leverantör", "Scanned paper invoices from suppliers"),
    Driver("PHONE_SUB", "abonnemangsmånad", "subscription-month",
           "Telefoniabonnemang (fasta och mobila) per månad",
           "Telephony subscriptions (fixed and mobile) per month"),
    Driver("CHEM_PRODUCT", "produktmånad", "product-month",
           "Registrerade kemiska produkter per månad",
           "Registered chemical products per month"),
)  # fmt: skip
DRIVER_BY_CODE = {d.code: d for d in DRIVERS}


# ------------------------------------------------------------------------------------ KPIs

# plan/kpis.csv: E-handel's goal of 80 % e-invoices from 2018 (followed by the initiative EH-3,
# "Övergång till 100% elektroniska leverantörsfakturor"), IT workplaces per employee, and
# E-handel's run cost per supplier invoice year to date (its ledger books costs in lumps, so a
# single month's ratio would mostly show invoice timing).
KPIS: tuple[tuple[str, ...], ...] = (
    ("EINVOICE_SHARE", "Andel e-fakturor", "E-invoice share", "volume:EINVOICE",
     "volume:EINVOICE+PAPER_INVOICE", "month", "organisation", "share", "0.80", "min", "2018-01",
     "EH-3"),
    ("WORKPLACES_PER_EMPLOYEE", "IT-arbetsplatser per anställd", "IT workplaces per employee",
     "volume:WORKPLACE", "volume:HEADCOUNT", "month", "organisation", "ratio", "", "", "", ""),
    ("EHANDEL_COST_PER_INVOICE", "E-handelns kostnad per leverantörsfaktura (hittills i år)",
     "E-commerce cost per supplier invoice (year to date)", "cost:area:EHANDEL:maintenance",
     "volume:EINVOICE+PAPER_INVOICE", "year_to_date", "city", "sek", "", "", "", ""),
)  # fmt: skip


# ------------------------------------------------------------------------------ catalogue


@dataclass
class Catalogue:
    """The reference world as read from the published CSVs."""

    organisations: list[Organisation]
    service_areas: list[tuple[str, str, str]]
    periods: list[ServicePeriod]
    lineage: list[LineageRow]
    versions: list[PlanVersion]
    initiatives: list[Initiative]
    published_groups: dict[str, dict[str, int]]  # column -> group -> printed tkr

    @property
    def org_by_code(self) -> dict[str, Organisation]:
        return {o.code: o for o in self.organisations}

    def period(self, service_id: str, year: int) -> ServicePeriod:
        for p in self.periods:
            if p.service_id == service_id and p.valid_in(year):
                return p
        raise KeyError(f"service {service_id} has no catalogue row valid in {year}")

    def services_in(self, year: int) -> list[ServicePeriod]:
        return [p for p in self.periods if p.valid_in(year)]

    def version(self, fiscal_year: int, scenario: str) -> PlanVersion:
        for v in self.versions:
            if v.fiscal_year == fiscal_year and v.scenario == scenario:
                return v
        raise KeyError(f"no plan version {fiscal_year}/{scenario}")

    def method(self, service_id: str, year: int) -> Method:
        """The allocation method of a service in a year (data of the demo world)."""
        if service_id in PRICE_LIST_DRIVERS:
            return Method("price_list", PRICE_LIST_DRIVERS[service_id], "")
        if service_id in DRIVER_SHARE:
            driver, pop = DRIVER_SHARE[service_id]
            return Method("driver_share", driver, pop)
        period = self.period(service_id, year)
        if period.is_adjustment:
            return Method("fixed_key", "", "ALL")
        area = period.area
        if area in HEADCOUNT_AREAS and period.cost_type == "maintenance":
            return Method("driver_share", "HEADCOUNT", "ADMIN")
        pops = {
            "UTBILDNING": "UTBILDNING",
            "VARD_OMSORG": "VARD_OMSORG",
            "IT": "IT_ENV",
            "EHANDEL": "EHANDEL_ALL",
            "EKONOMI": "ADMIN",
            "HR": "ADMIN",
        }
        return Method("fixed_key", "", pops.get(area, "ALL"))

    def population_members(self, population: str, year: int) -> list[str]:
        """Org codes (sorted) of a named population among the organisations valid in `year`."""
        orgs = [o for o in self.organisations if o.valid_in(year)]
        tests = {
            "ALL": lambda o: True,
            "ADMIN": lambda o: o.is_administration,
            "IT_ENV": lambda o: o.in_it_environment,
            "EHANDEL_ALL": lambda o: o.ehandel_connected,
            "EHANDEL_ADMIN": lambda o: o.ehandel_connected and o.is_administration,
            "EHANDEL_COMPANIES": lambda o: o.ehandel_connected and o.group == "Bolag",
            "UTBILDNING": lambda o: o.code in SDF_CODES or o.code == UTBILDNINGSFORVALTNINGEN,
            "VARD_OMSORG": lambda o: (
                o.code in SDF_CODES or o.code in (SOCIAL_RESURS, UTBILDNINGSFORVALTNINGEN)
            ),
            "CHEMICALS": lambda o: o.code in CHEMICAL_USERS,
        }
        test = tests[population]
        return sorted(o.code for o in orgs if test(o))


def _read(name: str, reference_dir: Path) -> list[dict[str, str]]:
    with (reference_dir / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def load_catalogue(
    reference_dir: Path = REFERENCE_DIR, years: tuple[int, ...] = (2016, 2017)
) -> Catalogue:
    """Read the published CSVs and build the demo world's catalogue for `years`."""
    orgs = [
        Organisation(
            code=r["code"],
            name=r["name"],
            group=r["group"],
            published_tkr={k: int(r[k]) for k in ("p0_2016", "p1_2016", "budget_2017")},
        )
        for r in _read("published_organisations.csv", reference_dir)
    ]
    groups: dict[str, dict[str, int]] = {"p0_2016": {}, "p1_2016": {}, "budget_2017": {}}
    for r in _read("published_organisation_group_totals.csv", reference_dir):
        if r["source"] == "is_bilaga1_subtotals" and r["group"] in GROUPS:
            for col in groups:
                groups[col][r["group"]] = int(r[col])
    areas = [
        (r["code"], r["name_sv"], r["name_en"])
        for r in _read("published_service_areas.csv", reference_dir)
    ]

    lines = _read("published_services.csv", reference_dir)
    periods, amounts = _build_services(lines)
    lineage = _build_lineage(lines)
    last_year = max(max(years), LAST_PUBLISHED_YEAR)
    initiatives = _build_initiatives(_read("published_development_initiatives.csv", reference_dir))
    versions = _build_versions(amounts, last_year, periods, initiatives)
    return Catalogue(orgs, areas, periods, lineage, versions, initiatives, groups)


def _build_services(
    lines: list[dict[str, str]],
) -> tuple[list[ServicePeriod], dict[tuple[str, str], dict[str, int]]]:
    """Catalogue rows with validity, and plan amounts (tkr) per (column, service_id)."""
    by_id: dict[str, list[dict[str, str]]] = {}
    amounts: dict[tuple[str, str], dict[str, int]] = {}
    for line in lines:
        key = (line["service_area"], line["service_name_sv"])
        if key not in SERVICE_IDS:
            raise KeyError(f"published_services.csv: no service id for {key}")
        sid = SERVICE_IDS[key]
        by_id.setdefault(sid, []).append(line)
        for col in ("p0_2016", "p1_2016", "budget_2017"):
            value = _int_or_none(line[col])
            # Printed 0 next to a moved or closed service carries no cost: no plan line.
            if value:
                amounts.setdefault((col, sid), {})[line["cost_type"]] = value

    def has(sid: str, cols: tuple[str, ...]) -> bool:
        return any((c, sid) in amounts for c in cols)

    y16, y17 = date(2016, 1, 1), date(2017, 1, 1)
    end16 = date(2016, 12, 31)
    periods: list[ServicePeriod] = []
    for sid, rows in by_id.items():
        in16 = has(sid, ("p0_2016", "p1_2016"))
        in17 = has(sid, ("budget_2017",))
        if len(rows) == 2:  # moved between areas
            old = next(r for r in rows if _int_or_none(r["p0_2016"]) is not None)
            new = next(r for r in rows if r is not old)
            periods.append(_period(sid, old, old["service_name_sv"], "", y16, end16))
            periods.append(_period(sid, new, new["service_name_sv"], "", y17, None))
            continue
        row = rows[0]
        if sid in RENAMED_2017:
            periods.append(_period(sid, row, row["former_name_sv"], "", y16, end16, comment=""))
            periods.append(
                _period(sid, row, row["service_name_sv"], row["former_name_sv"], y17, None)
            )
        elif in16 and in17:
            periods.append(
                _period(sid, row, row["service_name_sv"], row["former_name_sv"], y16, None)
            )
        elif in16:
            periods.append(
                _period(sid, row, row["service_name_sv"], row["former_name_sv"], y16, end16)
            )
        else:
            periods.append(
                _period(sid, row, row["service_name_sv"], row["former_name_sv"], y17, None)
            )
    for sid, name, area, comment in SUPPORT_SERVICES:
        periods.append(
            ServicePeriod(sid, name, "", area, "maintenance", False, y16, None, comment, True)
        )
    periods.append(
        ServicePeriod(
            service_id=REGLERING,
            name_sv="Reglering",
            former_name_sv="",
            area="",
            cost_type="maintenance",
            is_adjustment=True,
            valid_from=y16,
            valid_to=None,
            comment_sv="Balanspost: prognosavvikelse som regleras senare (P1 2016)",
        )
    )
    periods.sort(key=lambda p: (p.service_id, p.valid_from))
    return periods, amounts


def _period(
    sid: str,
    row: dict[str, str],
    name: str,
    former: str,
    valid_from: date,
    valid_to: date | None,
    comment: str | None = None,
) -> ServicePeriod:
    return ServicePeriod(
        service_id=sid,
        name_sv=name,
        former_name_sv=former,
        area=row["service_area"],
        cost_type=row["cost_type"],
        is_adjustment=False,
        valid_from=valid_from,
        valid_to=valid_to,
        comment_sv=row["comment_sv"] if comment is None else comment,
    )


def _build_lineage(lines: list[dict[str, str]]) -> list[LineageRow]:
    eff = date(2017, 1, 1)
    rows: list[LineageRow] = []
    split_from, split_to = SPLIT_2017
    b2017 = {
        SERVICE_IDS[(r["service_area"], r["service_name_sv"])]: _int_or_none(r["budget_2017"]) or 0
        for r in lines
    }
    weights = split_in_order(10**12, [b2017[s] for s in split_to])
    for to, w in zip(split_to, weights, strict=True):
        rows.append(LineageRow(split_from, to, "split", w, eff))
    for sources, target in MERGES_2017:
        for src in sources:
            rows.append(LineageRow(src, target, "merge", 10**12, eff))
    moved = sorted(
        {
            SERVICE_IDS[(r["service_area"], r["service_name_sv"])]
            for r in lines
            if "Överförd" in r["comment_sv"]
        }
    )
    for sid in moved:
        rows.append(LineageRow(sid, sid, "move", 10**12, eff))
    for sid in RENAMED_2017:
        rows.append(LineageRow(sid, sid, "rename", 10**12, eff))
    return rows


VERSION_SPECS = (
    # fiscal_year, scenario, label, key_set, pop_key_set, published column
    (2016, "budget", "P0 2016", "KEYS-2016-P0", "POP-2016-P0", "p0_2016"),
    (2016, "forecast_1", "P1 2016", "KEYS-2016-P1", "POP-2016-P1", "p1_2016"),
    # The adopted 2017 budget, named as the city prints it (one name per plan: a figure is
    # called by its version's plan_version on every page).
    (2017, "budget", "Budget 2017", "KEYS-2017-B", "POP-2017-B", "budget_2017"),
)


# Forecasts of 2017: the adopted budget (Budget 2017) with the deviations known when each was made
# (tkr per service line) and the extra IT workplaces (average devices over the year) then
# foreseen in the schools' digital classroom roll-out. IT-ARB's deviation is those devices at
# the budget's unit price (85 646 tkr / 299 520 workplace-months, 285.94 SEK a month); IT-WAN's
# in P2 is the operator's 7.5 % price rise from May on 69 014 tkr (8/12 of a year).
# (scenario, label, extra workplaces, deviations)
FORECASTS_2017: tuple[tuple[str, str, int, dict[str, int]], ...] = (
    ("forecast_1", "P1 2017", 600, {
        "IT-ARB": 2_059, "KOM-TEL": -450, "UTB-DEV-ADM": -1_500, "VO-DEV-2017": -3_000,
        "EK-MOMS": 150,
    }),
    ("forecast_2", "P2 2017", 1_200, {
        "IT-ARB": 4_118, "IT-WAN": 3_451, "KOM-TEL": -600, "UTB-DEV-ADM": -2_400,
        "VO-DEV-2017": -4_500, "EK-MOMS": 150,
    }),
)  # fmt: skip
LAST_PUBLISHED_YEAR = 2017


def _indexed(prev: PlanVersion, year: int) -> dict[str, int]:
    """Every line of `prev` with a deterministic 2-4 % index, rounded to whole tkr."""
    out: dict[str, int] = {}
    for i, (sid, amount) in enumerate(sorted(prev.amounts.items())):
        index_permille = 20 + (i * 7 + year) % 21
        out[sid] = round(amount * (1000 + index_permille) / 1000 / ORE_PER_TKR) * ORE_PER_TKR
    return out


def _build_versions(
    amounts: dict[tuple[str, str], dict[str, int]],
    last_year: int,
    periods: list[ServicePeriod],
    initiatives: list[Initiative],
) -> list[PlanVersion]:
    versions: list[PlanVersion] = []
    for year, scenario, label, keys, pops, col in VERSION_SPECS:
        v = PlanVersion(year, scenario, label, keys, pops, published_column=col)
        for (c, sid), by_type in sorted(amounts.items()):
            if c == col:
                for tkr in by_type.values():
                    v.amounts[sid] = v.amounts.get(sid, 0) + tkr * ORE_PER_TKR
        if scenario == "forecast_1":
            v.amounts[REGLERING] = REGLERING_P1_2016_TKR * ORE_PER_TKR
        versions.append(v)
    budget_2017 = versions[-1]
    # Forecasts of 2017 use the budget's keys; their planned volumes are derived in generate().
    for scenario, label, devices, deviations in FORECASTS_2017:
        v = PlanVersion(2017, scenario, label, budget_2017.key_set, budget_2017.pop_key_set,
                        dict(budget_2017.amounts), derived_from=(2017, "budget"),
                        extra_workplaces=devices)  # fmt: skip
        for sid, tkr in deviations.items():
            v.amounts[sid] += tkr * ORE_PER_TKR
        versions.append(v)
    prev = budget_2017
    for year in range(LAST_PUBLISHED_YEAR + 1, last_year + 2):
        # The proposal for `year` (made the year before): last P0's maintenance lines indexed
        # 2-4 %, plus that year's development initiatives on their development lines.
        indexed = _indexed(prev, year)
        v = PlanVersion(year, "proposal", f"Budget {year}", f"KEYS-{year}-B", f"POP-{year}-B")
        valid = {p.service_id for p in periods if p.valid_in(year)}
        kinds = {p.service_id: p.cost_type for p in periods if p.valid_in(year)}
        for sid, amount in indexed.items():
            if kinds.get(sid) == "maintenance":
                v.amounts[sid] = amount
        for ini in initiatives:
            tkr = ini.amounts_tkr.get(year, 0)
            if tkr > 0:
                if ini.service_id not in valid:
                    raise KeyError(
                        f"initiative {ini.initiative_id}: {ini.service_id} ends before {year}"
                    )
                v.amounts[ini.service_id] = v.amounts.get(ini.service_id, 0) + tkr * ORE_PER_TKR
        versions.append(v)
        if year > last_year:
            break
        p0 = PlanVersion(year, "budget", f"P0 {year}", f"KEYS-{year}-P0", f"POP-{year}-P0")
        p0.amounts = indexed
        versions.append(p0)
        prev = p0
    return versions


# Initiative -> development line (one service id per initiative).
INITIATIVE_SERVICE = {
    "EH": "EH-DEV-2017", "EK": "EK-DEV-2017", "HR": "HR-DEV-2017", "KOM": "KOM-DEV-2017",
    "VO": "VO-DEV-2017",
    "IT-1": "IT-DEV-KONTO", "IT-2": "IT-DEV-KONTO", "IT-3": "IT-DEV-KONTO", "IT-4": "IT-DEV-KONTO",
    "IT-5": "IT-DEV-NAT-2016", "IT-6": "IT-DEV-OFFICE", "IT-7": "IT-DEV-KONTO",
    "LS-1": "LS-DEV-DOK", "LS-2": "LS-DEV-NAMND", "LS-5": "LS-DEV-EARKIV",
    "LS-3": "LS-DEV-FORST", "LS-4": "LS-DEV-FORST", "LS-6": "LS-DEV-FORST",
    "LS-7": "LS-DEV-FORST", "LS-8": "LS-DEV-FORST",
    "UTB-2": "UTB-DEV-ADM", "UTB-1": "UTB-DEV-PED", "UTB-3": "UTB-DEV-PED",
    "UTB-4": "UTB-DEV-PED", "UTB-5": "UTB-DEV-PED", "UTB-6": "UTB-DEV-PED",
    "UTB-7": "UTB-DEV-SDFUBF-2016", "UTB-8": "UTB-DEV-SDFUBF-2016",
    "UTB-9": "UTB-DEV-SDFUBF-2016", "UTB-10": "UTB-DEV-SDF-2016",
    "VO-11": "VO-DEV-2016", "VO-12": "VO-DEV-2016",
}  # fmt: skip
INITIATIVE_CHANNEL = {
    "UTB-7": "slk_processtyrning", "UTB-8": "slk_processtyrning", "UTB-9": "slk_processtyrning",
    "UTB-10": "slk_processtyrning", "VO-3": "slk_processtyrning", "VO-12": "slk_processtyrning",
    "VO-11": "attraktiv_hemtjanst", "LS-8": "e_samhalle", "KOM-4": "e_samhalle",
}  # fmt: skip
SOURCE_PREFERENCE = ("tjansteplan", "ks_budget_table", "is_bilaga3", "is_bilaga4")


def _build_initiatives(rows: list[dict[str, str]]) -> list[Initiative]:
    by_id: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_id.setdefault(r["initiative_id"], []).append(r)
    out: list[Initiative] = []
    for iid in sorted(by_id, key=_initiative_sort_key):
        srcs = sorted(by_id[iid], key=lambda r: SOURCE_PREFERENCE.index(r["source"]))
        first = srcs[0]
        amounts: dict[int, int] = {}
        for year in range(2016, 2021):
            for r in srcs:
                value = _int_or_none(r[f"amount_{year}"])
                if value is not None:
                    amounts[year] = value
                    break
        if iid == "HR-1":
            # HR-1 is the sum of its components HR-1.1 and HR-1.2, which carry the amounts.
            amounts = {}
        service = INITIATIVE_SERVICE.get(iid) or INITIATIVE_SERVICE.get(iid.split("-")[0])
        if service is None:
            raise KeyError(f"initiative {iid}: no development line")
        out.append(
            Initiative(
                initiative_id=iid,
                area=first["service_area"],
                service_id=service,
                name_sv=first["name_sv"],
                priority=next((r["priority"] for r in srcs if r["priority"]), ""),
                financing_channel=INITIATIVE_CHANNEL.get(iid, "riktlinjerna"),
                amounts_tkr=amounts,
            )
        )
    return out


def _initiative_sort_key(iid: str) -> tuple[str, list[int]]:
    prefix, _, number = iid.partition("-")
    return prefix, [int(p) for p in number.split(".")]
