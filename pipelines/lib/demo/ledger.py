"""Intraservice's general ledger for the demo city: chart of accounts, mapping rules, vouchers.

The outcome of each service in a year is that year's adopted budget (P0) times a seeded
variance of a few percent (`scenarios.design_outcome`), split over its posting kinds by its
cost mix and each kind over the months by its profile, to the öre (licence renewals in
January, a quiet July, a heavy December; salaries and operations every month; a price rise
from its first month), then into a few supplier invoices, salaries, licences and consultants
a month (about 30-60 x scale rows a service and year, at least one per month and kind) booked
on Intraservice's producing cost centres with `activity_code = service_id` (and the initiative
as `project_code` for development). Every voucher balances to the öre: supplier invoices
against 2440 Leverantörsskulder, salaries and receipts against 1930 Bank.

The designed outcome per service (`scenarios.design_outcome`) also holds Intraservice's
internal support pools (`IS-LOKAL`, `IS-ADM`, `IS-ITDRIFT`, `IS-HR`, on their own producing
cost centres; premises rent is one invoice a month) and the directly charged services, whose
rows carry the ordering administration's cost centre instead of a producer's.

Deliberate anomalies, one of each per year: a late correction (reversal and re-posting of an
earlier month's row to the right service, text says so), a mis-coded row (`IT-XXX`, which no
mapping rule maps, so it lands in the unallocated pool) and a counterparty typo. They never
touch a support pool or a directly charged service.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from pipelines.lib.allocation.largest_remainder import split_in_order
from pipelines.lib.demo.catalogue import (
    DIRECT_CHARGE,
    Catalogue,
    ServicePeriod,
)
from pipelines.lib.demo.costcentres import producer_for

MISCODED_ACTIVITY = "IT-XXX"
TYPO = ("Atea Sverige AB", "Atea Sverge AB")
MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december")  # fmt: skip

# (account, name, class, first year, last year or None); names per year where they change.
ACCOUNTS: tuple[tuple[str, str, str, int, int | None], ...] = (
    ("1510", "Kundfordringar", "balance", 2016, None),
    ("1930", "Bank", "balance", 2016, None),
    ("2440", "Leverantörsskulder", "balance", 2016, None),
    ("2710", "Personalens källskatt", "balance", 2016, None),
    ("2920", "Upplupna löner och semesterlöner", "balance", 2016, None),
    ("3490", "Övriga försäljningsintäkter, inkasso", "revenue", 2016, None),
    ("3590", "Interna intäkter, kommungemensamma tjänster", "revenue", 2016, None),
    ("3591", "Interna intäkter, IT-tjänster", "revenue", 2016, None),
    ("4010", "Inköp av material och varor", "cost", 2016, None),
    ("5010", "Löner månadsavlönade", "cost", 2016, None),
    ("5060", "Arbetsgivaravgifter och pensionskostnader", "cost", 2016, None),
    ("5410", "Förbrukningsinventarier", "cost", 2016, None),
    ("5460", "Licenser och programvara", "cost", 2016, 2016),
    ("5465", "Programvarulicenser och årsavgifter", "cost", 2017, None),
    ("5611", "Kontorsmaterial och trycksaker", "cost", 2016, None),
    ("6110", "Lokalhyror", "cost", 2016, None),
    ("6410", "IT-tjänster och drift", "cost", 2016, None),
    ("6420", "Tele- och datakommunikation", "cost", 2016, None),
    ("6430", "Molntjänster", "cost", 2017, None),
    ("6560", "Konsulttjänster", "cost", 2016, None),
    ("6590", "Övriga främmande tjänster", "cost", 2016, None),
    # The consumers' cost accounts for internal services (the internal-invoicing account map).
    ("6950", "Köpta interna tjänster, kommungemensamma", "cost", 2016, None),
    ("6951", "Köpta interna IT-tjänster, kommungemensamma", "cost", 2016, None),
    ("7010", "Resor och logi", "cost", 2016, None),
)
RENAMED_ACCOUNTS = {("6560", 2017): "Konsulttjänster och uppdrag"}
COST_RANGE = ("4000", "7999")
REVENUE_RANGE = ("3000", "3999")


def accounts_for(year: int) -> list[tuple[str, str, str]]:
    """(account, name, class) of the chart of accounts valid in `year`."""
    out = []
    for acc, name, cls, first, last in ACCOUNTS:
        if first <= year and (last is None or year <= last):
            out.append((acc, RENAMED_ACCOUNTS.get((acc, year), name), cls))
    return out


def licence_account(year: int) -> str:
    return "5460" if year <= 2016 else "5465"


# Posting kinds: account, counter account, voucher series.
KINDS: dict[str, tuple[str, str, str]] = {
    "salary": ("5010", "1930", "L"),
    "licence": ("LICENCE", "2440", "A"),
    "it_ops": ("6410", "2440", "A"),
    "telecom": ("6420", "2440", "A"),
    "consultant": ("6560", "2440", "A"),
    "material": ("4010", "2440", "A"),
    "other": ("6590", "2440", "A"),
    "cloud": ("6430", "2440", "A"),
    "revenue": ("3490", "1930", "B"),
    "rent": ("6110", "2440", "A"),
    "facility": ("6590", "2440", "A"),
    "inventory": ("5410", "2440", "A"),
    "travel": ("7010", "2440", "A"),
    "print": ("5611", "2440", "A"),
    "production": ("6590", "2440", "A"),
}
SUPPLIERS: dict[str, tuple[str, ...]] = {
    "licence": ("Microsoft AB", "IBM Svenska AB", "Unit4 Business Software AB", "Hypergene AB",
                "Visma Enterprise AB", "Tieto Sweden AB", "CGI Sverige AB", "Episerver AB"),
    "it_ops": ("Tieto Sweden AB", "CGI Sverige AB", "Evry Sverige AB", "Atea Sverige AB",
               "Sigma IT Consulting AB"),
    "telecom": ("Telia Sverige AB", "Tele2 Sverige AB", "IP-Only Networks AB"),
    "consultant": ("Knowit AB", "Sweco Sverige AB", "Acando AB", "Capgemini Sverige AB",
                   "Sigma IT Consulting AB", "Netlight Consulting AB"),
    "material": ("Atea Sverige AB", "Dustin Sverige AB", "Misco AB"),
    "other": ("Itella Information AB", "Postnord Strålfors AB", "Iron Mountain AB"),
    "cloud": ("Microsoft AB", "Amazon Web Services EMEA SARL"),
    "revenue": ("Intrum Justitia Sverige AB",),
    "salary": ("Intern: lönekörning",),
    "rent": ("Higab AB",),
    "facility": ("Samhall AB", "ISS Facility Services AB", "Securitas Sverige AB"),
    "inventory": ("Kinnarps AB", "Dustin Sverige AB", "Atea Sverige AB"),
    "travel": ("SJ AB", "Scandic Hotels AB", "Västtrafik AB"),
    "print": ("Elanders Sverige AB", "Billes Tryckeri AB", "Exakta Print AB"),
    "production": ("Mediaproduktion Väst AB", "Bildbyrån i Göteborg AB", "Filmhuset Väst AB"),
}  # fmt: skip
KIND_TEXT = {
    "licence": "Licensavgift", "it_ops": "Drift och förvaltning", "telecom": "Kommunikation/nät",
    "consultant": "Konsulttjänst", "material": "Inköp utrustning", "other": "Tjänst",
    "cloud": "Molntjänst", "revenue": "Inkassointäkter", "salary": "Lön", "rent": "Lokalhyra",
    "facility": "Lokalvård och fastighetsservice", "inventory": "Inventarier", "travel": "Resa",
    "print": "Tryckning", "production": "Bild- och filmproduktion",
}  # fmt: skip
MIX_BY_SERVICE: dict[str, dict[str, float]] = {
    "IT-ARB": {"material": 0.35, "it_ops": 0.35, "licence": 0.1, "salary": 0.2},
    "IT-WAN": {"telecom": 0.55, "it_ops": 0.25, "salary": 0.2},
    "IT-LAN": {"telecom": 0.45, "material": 0.15, "it_ops": 0.2, "salary": 0.2},
    "IT-LAGR": {"it_ops": 0.55, "cloud": 0.15, "licence": 0.1, "salary": 0.2},
    "IT-SERV": {"it_ops": 0.55, "cloud": 0.1, "licence": 0.15, "salary": 0.2},
    "KOM-TEL": {"telecom": 0.7, "it_ops": 0.1, "salary": 0.2},
    "EH-SKAN": {"other": 0.6, "it_ops": 0.1, "salary": 0.3},
    "EH-SKAN-B": {"other": 0.6, "it_ops": 0.1, "salary": 0.3},
    "EH-FAKT": {"other": 0.45, "it_ops": 0.25, "salary": 0.3},
    # Support pools (IS-LOKAL also pays its rent, RENT_SHARE of the pool, once a month).
    "IS-LOKAL": {"facility": 0.6, "inventory": 0.25, "other": 0.15},
    "IS-ADM": {"salary": 0.6, "consultant": 0.15, "travel": 0.1, "other": 0.15},
    "IS-ITDRIFT": {"it_ops": 0.4, "licence": 0.25, "inventory": 0.15, "salary": 0.2},
    "IS-HR": {"salary": 0.6, "licence": 0.25, "other": 0.15},
    # Directly charged: bought production, ordered and paid for by one administration.
    "KOM-GRAF": {"print": 0.75, "production": 0.25},
    "KOM-VIDEOPL": {"production": 0.85, "print": 0.15},
}
RENT_SHARE = 0.8
RENT_SERVICE = "IS-LOKAL"
LICENCE_HEAVY = ("IT-IBM", "IT-LICADM", "IT-DOM", "IT-EPOST", "EK-LIC-L", "EK-LIC-M", "EK-LIC-S")
MIX_BY_AREA: dict[str, dict[str, float]] = {
    "EHANDEL": {"it_ops": 0.4, "salary": 0.4, "licence": 0.2},
    "EKONOMI": {"salary": 0.5, "licence": 0.3, "it_ops": 0.2},
    "HR": {"salary": 0.45, "licence": 0.35, "it_ops": 0.2},
    "IT": {"it_ops": 0.45, "licence": 0.25, "salary": 0.3},
    "KOMMUNIKATION": {"salary": 0.4, "consultant": 0.3, "licence": 0.2, "it_ops": 0.1},
    "LEDNING_STYRNING": {"salary": 0.4, "licence": 0.3, "consultant": 0.3},
    "UTBILDNING": {"licence": 0.45, "it_ops": 0.25, "salary": 0.3},
    "VARD_OMSORG": {"licence": 0.45, "it_ops": 0.25, "salary": 0.3},
}
DEVELOPMENT_MIX = {"consultant": 0.6, "salary": 0.4}
PROFILE_GENERAL = np.array([0.95, 0.95, 1.0, 1.0, 1.0, 1.0, 0.55, 0.85, 1.05, 1.05, 1.05, 1.55])
PROFILE_DEVELOPMENT = np.array([0.5, 0.6, 0.8, 0.9, 1.0, 1.0, 0.4, 0.9, 1.2, 1.3, 1.4, 1.9])
PROFILE_LICENCE = np.array([4.0, 0.6, 0.6, 0.6, 0.6, 0.6, 0.3, 0.6, 0.6, 0.6, 0.6, 0.9])
SOCIAL_FEES = 0.3142  # employer contributions on top of salaries


@dataclass
class Row:
    account: str
    cost_centre: str
    activity: str
    project: str
    counterparty: str
    amount: int  # öre
    text: str


@dataclass
class Voucher:
    series: str
    day: date
    rows: list[Row] = field(default_factory=list)
    number: int = 0
    # For a correction: the corrected voucher, the wrong and the right activity code.
    corrects: tuple[Voucher, str, str] | None = None

    @property
    def period(self) -> str:
        return f"{self.day.year}-{self.day.month:02d}"


@dataclass
class LedgerYear:
    year: int
    vouchers: list[Voucher]
    outcome: dict[str, int]  # service_id -> öre (designed outcome before anomalies)

    def cost_rows(self) -> list[Row]:
        """Every row on a cost or revenue account (what maps to services)."""
        return [r for v in self.vouchers for r in v.rows if r.account >= "3000"]


def format_ore(amount: int) -> str:
    sign = "-" if amount < 0 else ""
    a = abs(amount)
    return f"{sign}{a // 100}.{a % 100:02d}"


# The internal-invoicing account map: IT services on accounts of their own, the rest on the
# default row; credited on the service's producing cost centre.
INTERNAL_DEBIT = {"IT": "6951"}
INTERNAL_CREDIT = {"IT": "3591"}
DEFAULT_DEBIT, DEFAULT_CREDIT, DEFAULT_CREDIT_CENTRE = "6950", "3590", "I060-9100"


def invoicing_accounts(cat: Catalogue, year: int) -> list[list[str]]:
    """Rows of plan/invoicing_accounts.csv for one fiscal year: a default row, then every
    service (support pools and balancing lines take the default row)."""
    rows = [[str(year), "", DEFAULT_DEBIT, DEFAULT_CREDIT, DEFAULT_CREDIT_CENTRE, ""]]
    seen: set[str] = set()
    for p in sorted(cat.services_in(year), key=lambda p: (p.service_id, p.valid_from)):
        if p.service_id in seen or p.is_support or p.is_adjustment:
            continue
        seen.add(p.service_id)
        rows.append(
            [
                str(year),
                p.service_id,
                INTERNAL_DEBIT.get(p.area, DEFAULT_DEBIT),
                INTERNAL_CREDIT.get(p.area, DEFAULT_CREDIT),
                producer_for(p.service_id, p.area, p.cost_type),
                "",
            ]
        )
    return rows


def mapping_rules(cat: Catalogue, year: int) -> list[dict[str, str]]:
    """Account/activity/project -> service rules for one fiscal year (lower priority wins)."""
    rules: list[dict[str, str]] = []

    def add(
        priority: int, span: tuple[str, str], activity: str, project: str, period: ServicePeriod
    ) -> None:
        rules.append(
            {
                "rule_id": f"MAP-{year}-{len(rules) + 1:03d}",
                "fiscal_year": str(year),
                "priority": str(priority),
                "account_from": span[0],
                "account_to": span[1],
                "activity_code": activity,
                "cost_centre_code": "",
                "project_code": project,
                "service_id": period.service_id,
                "cost_type": period.cost_type,
            }
        )

    valid = {p.service_id: p for p in cat.services_in(year) if not p.is_adjustment}
    for ini in cat.initiatives:
        if ini.service_id in valid:
            add(10, COST_RANGE, "", ini.initiative_id, valid[ini.service_id])
    if "EK-INK" in valid:
        add(20, REVENUE_RANGE, "EK-INK", "", valid["EK-INK"])
    for sid in sorted(valid):
        add(50, COST_RANGE, sid, "", valid[sid])
    return rules


def generate_ledger(
    cat: Catalogue,
    year: int,
    outcome: dict[str, int],
    scale: float,
    rng: np.random.Generator,
    orderers: list[str] | None = None,
) -> LedgerYear:
    """All vouchers of one fiscal year, numbered per series in date order.

    `outcome`: designed annual cost (öre) per service and support pool; `orderers`: consumer
    cost centres that order the directly charged services (one is drawn per row).

    Each service's cost (after IS-LOKAL's rent) is split over its posting kinds by its cost
    mix, each kind's amount over the 12 months by the kind's profile (times a price rise from
    its first month, `scenarios.PRICE_RISES`), both by largest remainder, so the months follow
    the profile exactly; a month's amount is then split into a few rows of lognormal size
    (about 30-60 x `scale` rows per service and year, at least one per month and kind).
    """
    vouchers: list[Voucher] = []
    salary_rows: list[list[Row]] = [[] for _ in range(12)]
    supplier_vouchers: list[Voucher] = []
    for sid in sorted(outcome):
        period = cat.period(sid, year)
        total = outcome[sid]
        if period.is_adjustment or total == 0:
            continue
        n = max(1, int(round(int(rng.integers(30, 61)) * scale)))
        cc = producer_for(sid, period.area, period.cost_type)
        rent = 0
        if sid == RENT_SERVICE:
            rent = round(total * RENT_SHARE / 100) * 100  # whole kronor
            for month, kr in enumerate(split_in_order(rent // 100, [1] * 12)):
                counterparty = SUPPLIERS["rent"][0]
                text = f"{KIND_TEXT['rent']} {MONTHS_SV[month]} {year}, {counterparty}, {period.name_sv}"
                v = Voucher("A", date(year, month + 1, 1))
                v.rows.append(Row("6110", cc, sid, "", counterparty, kr * 100, text))
                v.rows.append(Row("2440", "", "", "", counterparty, -kr * 100, text))
                vouchers.append(v)
        mix = _year_mix(cost_mix(sid, period), year, total)
        kinds = sorted(mix)
        kind_totals = split_in_order(total - rent, [mix[k] for k in kinds])
        steps = price_steps(year, sid)
        projects = _projects(cat, sid, year)
        for kind, kind_total in zip(kinds, kind_totals, strict=True):
            profile = _profile(kind, period.cost_type, sid)
            monthly = split_in_order(kind_total, (profile * steps).tolist())
            rows_per_month = _rows_per_month(int(round(n * mix[kind])), profile)
            for month in range(12):
                if monthly[month] == 0:
                    continue
                weights = rng.lognormal(0.0, 0.6, size=rows_per_month[month])
                for amount in split_in_order(monthly[month], weights.tolist()):
                    if amount == 0:
                        continue
                    _book(
                        year, sid, period, kind, month, amount, cc, projects, orderers,
                        rng, salary_rows, vouchers, supplier_vouchers,
                    )  # fmt: skip
    for month, rows in enumerate(salary_rows):
        if not rows:
            continue
        v = Voucher("L", date(year, month + 1, 25), list(rows))
        total_salary = sum(r.amount for r in rows)
        v.rows.append(
            Row(
                "1930",
                "",
                "",
                "",
                "Intern: lönekörning",
                -total_salary,
                f"Löneutbetalning {MONTHS_SV[month]} {year}",
            )
        )
        vouchers.append(v)
    _add_anomalies(cat, year, supplier_vouchers, vouchers, rng)
    # Supplier payments at month end, after the anomalies so the typo'd invoice is paid too.
    payable = [0] * 12
    for v in vouchers:
        if v.series == "A":
            payable[v.day.month - 1] += sum(r.amount for r in v.rows if r.account == "2440")
    for month in range(12):
        paid = -payable[month]
        if paid:
            last = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
            text = f"Betalning leverantörsfakturor {MONTHS_SV[month]} {year}"
            vouchers.append(
                Voucher(
                    "B",
                    last,
                    [
                        Row("2440", "", "", "", "", paid, text),
                        Row("1930", "", "", "", "", -paid, text),
                    ],
                )
            )
    number_vouchers(vouchers)
    _finish_correction_texts(vouchers)
    return LedgerYear(year, vouchers, dict(outcome))


def _book(
    year: int,
    sid: str,
    period: ServicePeriod,
    kind: str,
    month: int,
    amount: int,
    cc: str,
    projects: list[tuple[str, int]],
    orderers: list[str] | None,
    rng: np.random.Generator,
    salary_rows: list[list[Row]],
    vouchers: list[Voucher],
    supplier_vouchers: list[Voucher],
) -> None:
    """One cost row of `kind` in `month` (0-based): a payroll line pair on the month's salary
    voucher, or a balanced voucher of its own (supplier invoice, receipt)."""
    project = ""
    if projects:
        ids, w = zip(*projects, strict=True)
        project = ids[int(rng.choice(len(ids), p=np.array(w) / sum(w)))]
    suppliers = SUPPLIERS[kind]
    counterparty = suppliers[int(rng.integers(len(suppliers)))]
    account = KINDS[kind][0]
    if account == "LICENCE":
        account = licence_account(year)
    if kind == "salary":
        gross = round(amount / (1 + SOCIAL_FEES))
        text = f"Lön {MONTHS_SV[month]} {year}, {period.name_sv}"
        salary_rows[month].append(Row("5010", cc, sid, project, counterparty, gross, text))
        salary_rows[month].append(
            Row(
                "5060",
                cc,
                sid,
                project,
                counterparty,
                amount - gross,
                f"Arbetsgivaravgifter {MONTHS_SV[month]} {year}",
            )
        )
        return
    day = date(year, month + 1, int(rng.integers(1, 29)))
    invoice_no = int(rng.integers(100000, 999999))
    document = "avräkning" if kind == "revenue" else "fakt"
    text = f"{KIND_TEXT[kind]} {counterparty} {document} {invoice_no}, {period.name_sv}"
    row_cc = cc
    if sid in DIRECT_CHARGE:
        if not orderers:
            raise ValueError(f"{sid} is charged directly but no ordering cost centre is given")
        row_cc = orderers[int(rng.integers(len(orderers)))]
        text += f", beställare {row_cc}"
    counter_account, series = KINDS[kind][1], KINDS[kind][2]
    v = Voucher(series, day)
    v.rows.append(Row(account, row_cc, sid, project, counterparty, amount, text))
    v.rows.append(Row(counter_account, "", "", "", counterparty, -amount, text))
    vouchers.append(v)
    if series == "A":
        supplier_vouchers.append(v)


def _year_mix(mix: dict[str, float], year: int, total: int) -> dict[str, float]:
    """The cost mix as booked in `year`: a net revenue is all revenue, and cloud services are
    IT operations before the cloud account (6430) exists."""
    if total < 0:
        return {"revenue": 1.0}
    out: dict[str, float] = {}
    for kind, share in mix.items():
        booked = "it_ops" if kind == "cloud" and year < 2017 else kind
        out[booked] = out.get(booked, 0.0) + share
    return out


def price_steps(year: int, sid: str) -> np.ndarray:
    """Monthly price factor of a service: 1, or 1 + the rise from its first month on (the
    designed outcome already holds the rise; this puts it in the right months)."""
    # Imported here: scenarios imports support, which imports this module.
    from pipelines.lib.demo.scenarios import PRICE_RISES

    steps = np.ones(12)
    for rise_year, rise_sid, rise, first_month in PRICE_RISES:
        if rise_year == year and rise_sid == sid:
            steps[first_month - 1 :] *= 1 + rise
    return steps


def _rows_per_month(rows: int, profile: np.ndarray) -> list[int]:
    """How many rows each month of a kind is booked in: `rows` in all, at least one a month,
    the rest where the profile is heavy."""
    extra = max(0, rows - 12)
    if not extra:
        return [1] * 12
    return [1 + e for e in split_in_order(extra, profile.tolist())]


def cost_mix(sid: str, period: ServicePeriod) -> dict[str, float]:
    """Share of each posting kind (salary, licence, ...) in a service's cost."""
    if period.cost_type == "development":
        return DEVELOPMENT_MIX
    if sid in MIX_BY_SERVICE:
        return MIX_BY_SERVICE[sid]
    if sid in LICENCE_HEAVY:
        return {"licence": 0.6, "it_ops": 0.2, "salary": 0.2}
    return MIX_BY_AREA[period.area]


def _profile(kind: str, cost_type: str, sid: str) -> np.ndarray:
    if cost_type == "development":
        return PROFILE_DEVELOPMENT
    if kind == "licence":
        return PROFILE_LICENCE
    return PROFILE_GENERAL


def _projects(cat: Catalogue, sid: str, year: int) -> list[tuple[str, int]]:
    return [
        (i.initiative_id, i.amounts_tkr[year])
        for i in cat.initiatives
        if i.service_id == sid and i.amounts_tkr.get(year, 0) > 0
    ]


def _add_anomalies(
    cat: Catalogue,
    year: int,
    supplier_vouchers: list[Voucher],
    vouchers: list[Voucher],
    rng: np.random.Generator,
) -> None:
    original: Voucher | None = None

    def ordinary(sid: str) -> bool:
        period = cat.period(sid, year)
        return (
            period.cost_type == "maintenance" and not period.is_support and sid not in DIRECT_CHARGE
        )

    early = [v for v in supplier_vouchers if v.day.month <= 5 and ordinary(v.rows[0].activity)]
    if early:
        # Late correction: booked on a sibling service in spring, corrected in the autumn.
        original = early[int(rng.integers(len(early)))]
        row = original.rows[0]
        right = row.activity
        area = cat.period(right, year).area
        siblings = sorted(
            p.service_id
            for p in cat.services_in(year)
            if p.area == area and p.service_id != right and ordinary(p.service_id)
        )
        wrong = siblings[int(rng.integers(len(siblings)))]
        original.rows[0] = replace(row, activity=wrong)
        correction = Voucher("M", date(year, int(rng.integers(8, 12)), 15))
        correction.rows.append(replace(row, activity=wrong, amount=-row.amount))
        correction.rows.append(replace(row, activity=right))
        correction.corrects = (original, wrong, right)
        vouchers.append(correction)
    others = [v for v in supplier_vouchers if v is not original]
    it_vouchers = [
        v for v in others if v.rows[0].activity.startswith("IT-") and ordinary(v.rows[0].activity)
    ]
    if it_vouchers:
        v = it_vouchers[int(rng.integers(len(it_vouchers)))]
        v.rows[0] = replace(v.rows[0], activity=MISCODED_ACTIVITY)
    typo_candidates = [v for v in others if v.rows[0].counterparty == TYPO[0]] or others
    if typo_candidates:
        v = typo_candidates[int(rng.integers(len(typo_candidates)))]
        good = v.rows[0].counterparty
        bad = TYPO[1] if good == TYPO[0] else good.replace(" AB", " A.B.")
        v.rows = [replace(r, counterparty=bad) for r in v.rows]


def rows_by_period(vouchers: list[Voucher], year: int) -> dict[str, list[list[str]]]:
    """A fiscal year's voucher rows as canonical ledger rows (LEDGER_HEADER order), per month
    `YYYY-MM` (all twelve, in order)."""
    by_period: dict[str, list[list[str]]] = {f"{year}-{m:02d}": [] for m in range(1, 13)}
    for v in vouchers:
        for r in v.rows:
            by_period[v.period].append(
                [v.series, str(v.number), v.day.isoformat(), v.period, r.account, r.cost_centre,
                 r.activity, r.project, r.counterparty, format_ore(r.amount), r.text]
            )  # fmt: skip
    return by_period


def number_vouchers(vouchers: list[Voucher]) -> None:
    """Sort one fiscal year's vouchers by date and number them per series from 1."""
    vouchers.sort(key=lambda v: (v.day, v.series))
    counters: dict[str, int] = {}
    for v in vouchers:
        counters[v.series] = counters.get(v.series, 0) + 1
        v.number = counters[v.series]


def _finish_correction_texts(vouchers: list[Voucher]) -> None:
    for v in vouchers:
        if v.corrects is None:
            continue
        original, wrong, right = v.corrects
        ref = f"ver {original.series}{original.number} ({original.period})"
        v.rows[0].text = f"Rättelse av {ref}: återföring, fel verksamhet {wrong}"
        v.rows[1].text = f"Rättelse av {ref}: ompostering till {right}"
