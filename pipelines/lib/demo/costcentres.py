"""Cost centres (*ansvar*) of the demo city: consumers per organisation and Intraservice's producers.

About 3 000 consumer cost centres at scale 1 (times `scale`), spread over the 63 organisations
by their published cost (at least one each). Code `-0001` is each organisation's default
(*förvaltningsgemensamt*) cost centre. A few cost centres close at the end of 2016 and new
ones open in 2017, as after a reorganisation. Intraservice's producing cost centres
(`I060-91xx`, one per service area and one per internal support pool) carry the ledger and
never consume.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from pipelines.lib.allocation.largest_remainder import split_in_order
from pipelines.lib.demo.catalogue import (
    INTRASERVICE,
    SDF_CODES,
    SUPPORT_IDS,
    Catalogue,
)

COST_CENTRES_AT_SCALE_1 = 3000
CHURN_SHARE = 0.03


@dataclass(frozen=True)
class CostCentre:
    code: str
    name: str
    org_code: str
    is_default: bool
    valid_from: date
    valid_to: date | None
    producer: bool = False

    def valid_in(self, year: int) -> bool:
        return self.valid_from.year <= year and (
            self.valid_to is None or self.valid_to.year >= year
        )


# Intraservice's producing cost centres, per service area (IT has a separate network unit),
# and one per internal support pool (keyed by the support service id).
PRODUCERS: tuple[tuple[str, str, str], ...] = (
    ("I060-9100", "Intraservice ledning och administration", "IS-ADM"),
    ("I060-9101", "Intraservice lokaler", "IS-LOKAL"),
    ("I060-9110", "Intraservice E-handel", "EHANDEL"),
    ("I060-9120", "Intraservice Ekonomitjänster", "EKONOMI"),
    ("I060-9130", "Intraservice HR-tjänster", "HR"),
    ("I060-9131", "Intraservice intern HR och lön", "IS-HR"),
    ("I060-9140", "Intraservice IT-drift", "IT"),
    ("I060-9141", "Intraservice Nät och telefoni", "IT-NET"),
    ("I060-9142", "Intraservice intern IT-drift", "IS-ITDRIFT"),
    ("I060-9150", "Intraservice Kommunikationstjänster", "KOMMUNIKATION"),
    ("I060-9160", "Intraservice Ledning och styrning", "LEDNING_STYRNING"),
    ("I060-9170", "Intraservice Utbildningstjänster", "UTBILDNING"),
    ("I060-9180", "Intraservice Vård- och omsorgstjänster", "VARD_OMSORG"),
    ("I060-9190", "Intraservice Utvecklingsportfölj", "DEVELOPMENT"),
)
NETWORK_SERVICES = ("IT-WAN", "IT-LAN", "KOM-TEL", "IT-FJARR")


def producer_for(service_id: str, area: str, cost_type: str) -> str:
    """The producing cost centre that books a service's costs."""
    if service_id in SUPPORT_IDS:
        return next(code for code, _, key in PRODUCERS if key == service_id)
    if cost_type == "development":
        return "I060-9190"
    if service_id in NETWORK_SERVICES:
        return "I060-9141"
    return next(code for code, _, a in PRODUCERS if a == area)


SDF_AREAS: dict[str, tuple[str, ...]] = {
    "N131": ("Hammarkullen", "Hjällbo", "Gårdsten", "Lövgärdet", "Rannebergen", "Eriksbo",
             "Gunnared", "Linnarhult", "Angered centrum", "Bergum"),
    "N132": ("Bergsjön", "Kortedala", "Gamlestaden", "Utby", "Kviberg", "Bagaregården",
             "Kärralund", "Sävenäs"),
    "N133": ("Björkekärr", "Kålltorp", "Härlanda", "Örgryte", "Skår", "Kallebäck", "Lunden",
             "Stora Torp"),
    "N134": ("Inom Vallgraven", "Johanneberg", "Lorensberg", "Heden", "Stampen", "Krokslätt",
             "Guldheden", "Vasastaden"),
    "N135": ("Majorna", "Kungsladugård", "Linnéstaden", "Masthugget", "Sandarna", "Olivedal",
             "Stigberget", "Änggården"),
    "N136": ("Askim", "Hovås", "Billdal", "Järnbrott", "Högsbohöjd", "Kaverös", "Ruddalen",
             "Frölunda", "Guldringen"),
    "N137": ("Tynnered", "Önnered", "Grimmered", "Västra Frölunda", "Styrsö", "Vrångö",
             "Kannebäck", "Fiskebäck", "Långedrag"),
    "N138": ("Biskopsgården", "Torslanda", "Björlanda", "Länsmansgården", "Hjuvik", "Svartedalen",
             "Sörred", "Nolered"),
    "N139": ("Eriksberg", "Sannegården", "Kvillebäcken", "Brämaregården", "Lindholmen",
             "Slottsberget", "Lundbyvassen", "Rambergsstaden"),
    "N140": ("Backa", "Tuve", "Kärra", "Säve", "Rödbo", "Skogome", "Brunnsbo"),
}  # fmt: skip

Templates = tuple[tuple[str, int], ...]

# (template, weight); {area} is a neighbourhood, {n} a running number, {staff} a staff function.
SDF_UNITS: Templates = (
    ("förskola {area}", 24), ("grundskola {area}", 14), ("hemtjänst {n}", 14),
    ("äldreboende {area}", 9), ("hemsjukvård {area}", 4), ("individ- och familjeomsorg {area}", 6),
    ("funktionshinder {area}", 7), ("fritid {area}", 4), ("bibliotek {area}", 3),
    ("elevhälsa {area}", 3), ("mottagningsenhet {n}", 2), ("stab {staff}", 4),
)  # fmt: skip
STAFF = ("ekonomi", "HR", "kommunikation", "IT-samordning", "kvalitet", "lokalförsörjning")
SPECIALIST_UNITS: dict[str, Templates] = {
    "N610": (("{school} arbetslag {n}", 10), ("gymnasiesärskola {n}", 1), ("elevhälsa {n}", 1),
             ("stab {staff}", 1)),
    "N130": (("boendeenhet {n}", 4), ("öppenvård {n}", 3), ("stödenhet {n}", 2),
             ("Socialjouren", 1), ("stab {staff}", 1)),
    "N392": (("parkdrift {park}", 4), ("naturvård {n}", 2), ("trädgårdsenhet {n}", 1),
             ("stab {staff}", 1)),
    "N560": (("VA-drift {n}", 3), ("ledningsnät {n}", 2), ("kretsloppspark {n}", 2),
             ("avfallsenhet {n}", 2), ("stab {staff}", 1)),
    "N690": (("{museum}", 2), ("bibliotek {n}", 3), ("kulturstöd {n}", 1), ("stab {staff}", 1)),
    "N400": (("gatudrift {n}", 3), ("trafikplanering {n}", 2), ("parkering {n}", 1),
             ("stab {staff}", 1)),
    "K171": (("brandstation {station}", 4), ("förebyggande {n}", 1), ("stab {staff}", 1)),
}  # fmt: skip
FILLERS = {
    "school": ("Hvitfeldtska gymnasiet", "Burgårdens gymnasium", "Schillerska gymnasiet",
               "Angeredsgymnasiet", "Polhemsgymnasiet", "Lindholmens tekniska gymnasium",
               "Munkebäcksgymnasiet", "Ester Mosessons gymnasium", "Göteborgs högre samskola"),
    "park": ("Slottsskogen", "Trädgårdsföreningen", "Delsjöområdet", "Keillers park",
             "Ramberget", "Kvibergsparken"),
    "museum": ("Göteborgs konstmuseum", "Röhsska museet", "Göteborgs stadsmuseum",
               "Sjöfartsmuseet Akvariet", "Göteborgs konsthall", "Stadsbiblioteket"),
    "station": ("Gårdsten", "Lindholmen", "Frölunda", "Kortedala", "Torslanda", "Gamlestaden",
                "Johanneberg", "Mölndal", "Kungälv", "Partille", "Lerum", "Härryda"),
}  # fmt: skip
GENERIC_UNITS: Templates = (
    ("enhet {n}", 4),
    ("avdelning {n}", 2),
    ("projekt {n}", 1),
    ("stab {staff}", 1),
)
COMPANY_UNITS: Templates = (("affärsområde {n}", 2), ("drift {n}", 3), ("kundservice {n}", 1),
                 ("projekt {n}", 2), ("ekonomi och administration", 1))  # fmt: skip
HOUSING_UNITS: Templates = (
    ("fastighetsområde {area}", 5),
    ("kundcenter {n}", 1),
    ("projekt {n}", 1),
)


def cost_centre_counts(cat: Catalogue, scale: float) -> dict[str, int]:
    """Consumer cost centres per organisation: at least one, the rest by published cost."""
    orgs = cat.organisations
    total = max(len(orgs), round(COST_CENTRES_AT_SCALE_1 * scale))
    weights = [max(o.published_tkr.values()) for o in orgs]
    extra = split_in_order(total - len(orgs), weights) if total > len(orgs) else [0] * len(orgs)
    return {o.code: 1 + e for o, e in zip(orgs, extra, strict=True)}


def generate_cost_centres(
    cat: Catalogue, scale: float, rng: np.random.Generator
) -> list[CostCentre]:
    """All cost centres, sorted by code."""
    counts = cost_centre_counts(cat, scale)
    y16, y17, end16 = date(2016, 1, 1), date(2017, 1, 1), date(2016, 12, 31)
    out: list[CostCentre] = []
    for org in cat.organisations:
        n = counts[org.code]
        names = _unit_names(org.code, org.name, org.group, n + max(1, n // 20), rng)
        default_name = (
            f"{org.name} gemensamt" if org.group == "Bolag" else f"{org.name} förvaltningsgemensamt"
        )
        out.append(CostCentre(f"{org.code}-0001", default_name, org.code, True, y16, org.valid_to))
        # Cost centres 2..n; a few close after 2016 and are replaced by new ones in 2017.
        n_churn = int(round((n - 1) * CHURN_SHARE)) if org.valid_to is None else 0
        closing = (
            set(rng.choice(np.arange(2, n + 1), size=n_churn, replace=False).tolist())
            if n_churn
            else set()
        )
        for i in range(2, n + 1):
            valid_to = end16 if i in closing else org.valid_to
            out.append(
                CostCentre(f"{org.code}-{i:04d}", names[i - 2], org.code, False, y16, valid_to)
            )
        for j in range(n_churn):
            number = n + 1 + j
            out.append(
                CostCentre(f"{org.code}-{number:04d}", names[n - 1 + j], org.code, False, y17, None)
            )
    for code, name, _ in PRODUCERS:
        out.append(CostCentre(code, name, INTRASERVICE, False, y16, None, producer=True))
    out.sort(key=lambda c: c.code)
    return out


def _unit_names(
    org_code: str, org_name: str, group: str, n: int, rng: np.random.Generator
) -> list[str]:
    templates: Templates
    if org_code in SDF_CODES:
        templates = SDF_UNITS
    elif org_code in SPECIALIST_UNITS:
        templates = SPECIALIST_UNITS[org_code]
    elif org_code.startswith("B4"):
        templates = HOUSING_UNITS
    elif group == "Bolag":
        templates = COMPANY_UNITS
    else:
        templates = GENERIC_UNITS
    probs = np.array([w for _, w in templates], dtype=float)
    probs /= probs.sum()
    areas = SDF_AREAS.get(org_code, ("Centrum", "Hisingen", "Nordost", "Väster", "Söder", "Öster"))
    counters: dict[str, int] = {}
    seen: set[str] = set()
    names: list[str] = []
    picks = rng.choice(len(templates), size=n, p=probs)
    fills = rng.integers(0, 1_000_000, size=(n, 3))
    for k in range(n):
        template = templates[int(picks[k])][0]
        counters[template] = counters.get(template, 0) + 1
        values = {
            "area": areas[int(fills[k, 0]) % len(areas)],
            "n": counters[template],
            "staff": STAFF[int(fills[k, 1]) % len(STAFF)],
        }
        for key, options in FILLERS.items():
            values[key] = options[int(fills[k, 2]) % len(options)]
        name = f"{org_name} {template.format(**values)}"
        base, dup = name, 2
        while name in seen:
            name = f"{base} {dup}"
            dup += 1
        seen.add(name)
        names.append(name)
    return names
