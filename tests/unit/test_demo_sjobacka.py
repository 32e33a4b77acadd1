"""The second demo city, Sjöbacka kommun: determinism, the contract, every method, the hand figures.

The hand-worked expectations come from `pipelines.lib.demo.cities.sjobacka_oracle`; the generic
file oracle (`pipelines.lib.demo.oracle`) allocates what the files say. Both must agree.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.lib.demo import GenerationSummary, generate, parse_years
from pipelines.lib.demo.cities import sjobacka as city
from pipelines.lib.demo.cities.sjobacka_oracle import (
    carried_price,
    delivered_price,
    driver_plan,
    keyed_plan,
    plan_by_org,
    support_by_hand,
)
from pipelines.lib.demo.oracle import (
    UNALLOCATED,
    allocate_plan_detail,
    allocate_support,
    ledger_rows,
    outcome_pools,
)
from pipelines.lib.readers import CONTRACT_COLUMNS, read_table
from tests.unit.test_demo_generate import _contract, _hashes, _read

YEARS = (2024, 2025)
SCENARIOS = ("budget", "forecast_1")
SCALE = 0.3
CC_CODE = re.compile(r"^[A-ZÅÄÖ]+\.\d{3}$")


def _ore(text: str) -> int:
    return int(Decimal(text) * 100)


def _volumes(root: Path, year: int) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(root.glob(f"volumes/volumes_{year}-*.*")):
        result = read_table(path, "volumes", CONTRACT_COLUMNS["volumes"])
        assert not result.row_problems, result.row_problems[:3]
        rows.extend({k: v or "" for k, v in r.items()} for r in result.records)
    return rows


@pytest.fixture(scope="module")
def sjobacka(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary]:
    data = tmp_path_factory.mktemp("sjobacka")
    summary = generate(data / "landing", city="sjobacka", seed=2017, scale=SCALE)
    return data / "landing", summary


# --------------------------------------------------------------------------- the profile


def test_years_are_checked_against_the_citys_range() -> None:
    assert parse_years("2024-2025", "sjobacka") == (2024, 2025)
    with pytest.raises(ValueError, match="2021-2029"):
        parse_years("2016-2017", "sjobacka")
    with pytest.raises(ValueError, match="known cities: goteborg, sjobacka"):
        parse_years("2024", "oslo")
    with pytest.raises(ValueError, match="unknown demo city"):
        generate(Path("unused"), city="oslo")


def test_same_seed_gives_identical_files_and_another_seed_only_another_spread(
    tmp_path: Path, sjobacka: tuple[Path, GenerationSummary]
) -> None:
    first, _ = sjobacka
    generate(tmp_path / "landing", city="sjobacka", seed=2017, scale=SCALE)
    assert _hashes(first.parent) == _hashes(tmp_path)
    generate(tmp_path / "other" / "landing", city="sjobacka", seed=7, scale=SCALE)
    other = _hashes(tmp_path / "other")
    ledgers = [n for n in _hashes(first) if n.startswith("ledger/ledger_")]
    assert len(ledgers) == 24
    assert all(_hashes(first)[n] != other[f"landing/{n}"] for n in ledgers)
    # The designed figures do not depend on the seed.
    for name in ("plan/plan_amounts.csv", "plan/allocation_keys.csv", "plan/price_list.csv",
                 "plan/support_allocations.csv", "ledger/mapping_rules.csv"):  # fmt: skip
        assert _hashes(first)[name] == other[f"landing/{name}"], name


def test_scale_multiplies_cost_centres_and_rows(tmp_path: Path) -> None:
    small = generate(tmp_path / "s" / "landing", city="sjobacka", scale=0.1)
    large = generate(tmp_path / "l" / "landing", city="sjobacka", scale=2.0)
    assert small.cost_centres == 20  # at least two a consumer (one for ÖFN), and the reorganisation
    assert large.cost_centres == 99
    assert large.ledger_rows > 2 * small.ledger_rows
    assert large.volume_rows > 3 * small.volume_rows
    assert small.plan_lines == large.plan_lines == 40


def test_a_single_year_and_years_with_a_gap(tmp_path: Path) -> None:
    one = tmp_path / "one" / "landing"
    generate(one, city="sjobacka", scale=0.1, years=(2023,))
    assert len(list(one.glob("ledger/ledger_2023-*"))) == 12
    assert [r["fiscal_year"] for r in _read(one / "plan" / "price_list.csv")] == ["2023"]
    assert _read(one / "services" / "service_lineage.csv") == []  # no rename inside 2023
    gap = tmp_path / "gap" / "landing"
    generate(gap, city="sjobacka", scale=0.1, years=(2022, 2024))
    # Nothing to carry a price from into 2024 (2023 is not delivered): both years priced.
    assert [r["fiscal_year"] for r in _read(gap / "plan" / "price_list.csv")] == ["2022", "2024"]


# ---------------------------------------------------------------------------- contract


def test_every_file_has_exactly_its_contract_columns(
    sjobacka: tuple[Path, GenerationSummary],
) -> None:
    root, summary = sjobacka
    contract = _contract()
    registers = {p for p in contract if p.endswith(".csv") and "YYYY-MM" not in p}
    written = {
        str(p.relative_to(root))
        for p in root.rglob("*.csv")
        if not re.search(r"_\d{4}-\d{2}\.csv$", p.name)
    }
    # Every table of the contract, the optional ones included; no reference pack.
    assert written == {p for p in registers if not p.startswith("reference/")}
    for name in written:
        with (root / name).open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == contract[name], name
    for kind, table in (("ledger", "ledger"), ("volumes", "volumes")):
        columns = contract[f"{kind}/{table}_YYYY-MM.csv"]
        for y in YEARS:
            for m in range(1, 13):
                (path,) = root.glob(f"{kind}/{table}_{y}-{m:02d}.*")
                if path.suffix == ".csv":
                    with path.open(encoding="utf-8", newline="") as fh:
                        assert next(csv.reader(fh)) == columns, path
    assert summary.files == len([p for p in root.rglob("*") if p.is_file()])


def test_ledger_comes_in_every_format_and_reads_back_with_swedish_letters(
    sjobacka: tuple[Path, GenerationSummary],
) -> None:
    root, _ = sjobacka
    suffixes = Counter(p.suffix for p in root.glob("ledger/ledger_*"))
    assert suffixes == {".se": 8, ".xlsx": 8, ".csv": 8}
    assert [p.name for p in root.glob("volumes/*.xlsx")] == ["volumes_2025-06.xlsx"]
    assert b"#FORMAT PC8" in (root / "ledger" / "ledger_2024-01.se").read_bytes()
    for year in YEARS:
        rows = ledger_rows(root, year)  # SIE, Excel and CSV months through the readers
        activities = {r["activity_code"] for r in rows if r["account"] >= "5000"}
        assert {"PERS-LÖN", "STÖD-LOKAL", "STÖD-HR", city.UNMAPPED_ACTIVITY} <= activities
        sie = [r for r in rows if r["period"] <= f"{year}-04"]
        assert any(r["activity_code"] == "PERS-LÖN" for r in sie)
        vouchers: dict[tuple[str, str], int] = defaultdict(int)
        for r in rows:
            vouchers[(r["voucher_series"], r["voucher_number"])] += _ore(r["amount_sek"])
        assert set(vouchers.values()) == {0}, "every voucher balances"
        assert len(_volumes(root, year)) > 0


def test_codes_with_swedish_letters_and_the_citys_own_formats(
    sjobacka: tuple[Path, GenerationSummary],
) -> None:
    root, _ = sjobacka
    orgs = {r["org_code"]: r for r in _read(root / "organisations" / "organisations.csv")}
    assert {"ÄOF", "ÖFN", "SJÖB"} <= set(orgs)
    centres = _read(root / "organisations" / "cost_centres.csv")
    assert all(CC_CODE.match(c["cost_centre_code"]) for c in centres)
    assert any(c["cost_centre_code"] == "ÄOF.100" for c in centres)
    assert "STÖD" in {
        r["service_area_code"] for r in _read(root / "services" / "service_areas.csv")
    }
    services = {r["service_id"] for r in _read(root / "services" / "services.csv")}
    assert {"PERS-LÖN", "STÖD-LOKAL"} <= services
    # Not Göteborg's: no code of the Göteborg demo appears in Sjöbacka's registers.
    assert not {"I060", "N131", "IT-ARB", "WORKPLACE", "EINVOICE"} & (set(orgs) | services)
    accounts = {r["account"] for r in _read(root / "ledger" / "accounts.csv")}
    assert accounts.isdisjoint({"2440", "5460", "6410", "6560"})


def test_groups_producer_and_one_default_cost_centre_per_organisation(
    sjobacka: tuple[Path, GenerationSummary],
) -> None:
    root, summary = sjobacka
    groups = _read(root / "organisations" / "org_groups.csv")
    assert [g["org_group"] for g in sorted(groups, key=lambda g: int(g["sort_order"]))] == [
        "Välfärd", "Samhälle", "Bolag"
    ]  # fmt: skip
    assert all(g["org_group"] != g["name_sv"] for g in groups)  # codes are not display names
    orgs = _read(root / "organisations" / "organisations.csv")
    assert {o["org_group"] for o in orgs} <= {g["org_group"] for g in groups}
    assert [o["org_code"] for o in orgs if o["is_producer"] == "true"] == ["KSC"]
    assert len(orgs) == summary.organisations == 11
    centres = _read(root / "organisations" / "cost_centres.csv")
    for year in YEARS:
        valid = [
            c for c in centres
            if c["valid_from"] <= f"{year}-12-31" and (not c["valid_to"] or c["valid_to"] >= f"{year}-01-01")
        ]  # fmt: skip
        defaults = Counter(c["org_code"] for c in valid if c["is_default"] == "true")
        assert defaults == dict.fromkeys((o["org_code"] for o in orgs), 1), year
        assert all(
            c["cost_centre_code"] == f"{c['org_code']}.100"
            for c in valid
            if c["is_default"] == "true"
        )
    closed = [c for c in centres if c["valid_to"]]
    assert [c["org_code"] for c in closed] == ["SOF"] and closed[0]["valid_to"] == "2024-12-31"


# ------------------------------------------------------------------------ every method


def test_every_method_of_the_contract_is_used(sjobacka: tuple[Path, GenerationSummary]) -> None:
    root, _ = sjobacka
    methods = _read(root / "plan" / "service_methods.csv")
    assert {m["allocation_method"] for m in methods} == {
        "direct", "fixed_key", "driver_share", "price_list", "step_down", "reciprocal"
    }  # fmt: skip
    plan = [m for m in methods if m["scenario"] != "outcome"]
    by = {(m["fiscal_year"], m["scenario"], m["service_id"]): m for m in plan}
    for y in map(str, YEARS):
        for scenario in SCENARIOS:
            direct = by[(y, scenario, "KOMM-TRYCK")]
            assert direct["allocation_method"] == "direct" and direct["key_set"] == f"FN-{y}"
            assert by[(y, scenario, "EKO-FAKT")]["key_set"] == f"ANSLUTNA-{y}"  # a population
            assert by[(y, scenario, "PERS-LÖN")]["allocation_method"] == "driver_share"
            assert by[(y, scenario, "PERS-LÖN")]["key_set"] == ""  # no population
            assert by[(y, scenario, "DIG-DATOR")]["allocation_method"] == "price_list"
    # Outcome rows only for the support pools; everything else uses the budget's rule.
    outcome = [m for m in methods if m["scenario"] == "outcome"]
    assert {m["service_id"] for m in outcome} == set(city.SUPPORT_SERVICES)
    assert not {m["allocation_method"] for m in plan} & {"step_down", "reciprocal"}


def test_support_pools_step_down_then_a_reciprocal_pair_and_reach_the_direct_service(
    sjobacka: tuple[Path, GenerationSummary],
) -> None:
    root, _ = sjobacka
    rows = _read(root / "plan" / "support_allocations.csv")
    assert {r["scenario"] for r in rows} == {"outcome"}
    support = {
        r["service_id"]
        for r in _read(root / "services" / "services.csv")
        if r["is_support"] == "true"
    }
    for y in map(str, YEARS):
        mine = [r for r in rows if r["fiscal_year"] == y]
        assert {r["support_service_id"] for r in mine} == support
        step = {r["support_service_id"]: int(r["step_order"]) for r in mine}
        method = {r["support_service_id"]: r["method"] for r in mine}
        shares: dict[str, Fraction] = defaultdict(Fraction)
        for r in mine:
            shares[r["support_service_id"]] += Fraction(r["share"])
            giver, receiver = r["support_service_id"], r["receiving_service_id"]
            if receiver in step:  # never back to an earlier step; within a step only reciprocal
                assert step[receiver] > step[giver] or (
                    step[receiver] == step[giver] and method[giver] == "reciprocal" != giver
                ), r
        assert set(shares.values()) == {Fraction(1)}
        down = sorted({step[p] for p in step if method[p] == "step_down"})
        assert len(down) >= 2
        pair = [p for p in step if method[p] == "reciprocal"]
        assert len(pair) == 2 and all(step[p] > max(down) for p in pair)
        gives = {(r["support_service_id"], r["receiving_service_id"]) for r in mine}
        assert (pair[0], pair[1]) in gives and (pair[1], pair[0]) in gives
        # Every pool gives something to the directly charged service.
        assert {g for g, rec in gives if rec == city.DIRECT_SERVICE} == support


def test_the_configuration_passes_the_contracts_checks(
    sjobacka: tuple[Path, GenerationSummary],
) -> None:
    """The contract's configuration checks at ingest, checked here on the written files."""
    root, _ = sjobacka
    plan = _read(root / "plan" / "plan_amounts.csv")
    methods = {(m["fiscal_year"], m["scenario"], m["service_id"]): m
               for m in _read(root / "plan" / "service_methods.csv")}  # fmt: skip
    keys: dict[tuple[str, str], dict[str, Fraction]] = defaultdict(dict)
    for k in _read(root / "plan" / "allocation_keys.csv"):
        keys[(k["key_set"], k["service_id"])][k["org_code"]] = Fraction(k["share"])
    volumes: dict[tuple[str, str, str], Fraction] = defaultdict(Fraction)
    for v in _read(root / "plan" / "planned_volumes.csv"):
        volumes[(v["fiscal_year"], v["scenario"], v["driver_code"])] += Fraction(v["quantity"])
    for line in plan:  # plan_line_without_rule, rule_missing_*, key_set_not_summing_to_one
        rule = methods[(line["fiscal_year"], line["scenario"], line["service_id"])]
        if rule["allocation_method"] in ("fixed_key", "direct"):
            assert sum(keys[(rule["key_set"], line["service_id"])].values()) == 1, rule
        else:
            assert rule["driver_code"], rule
            assert volumes[(line["fiscal_year"], line["scenario"], rule["driver_code"])] > 0
    prices = {(p["fiscal_year"], p["service_id"]) for p in _read(root / "plan" / "price_list.csv")}
    for y in YEARS:  # outcome_without_rule, no_price, support_pool_without_shares
        pools = outcome_pools(root, y)
        for service in {s for s, _ in pools} - {UNALLOCATED}:
            rule = methods.get((str(y), "outcome", service)) or methods[(str(y), "budget", service)]
            if rule["allocation_method"] == "price_list":
                assert (str(y), service) in prices or (
                    (str(y - 1), service) in prices
                    and volumes[(str(y), "budget", rule["driver_code"])]
                )


# ------------------------------------------------------------------- the oracle's figures


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_key_based_plan_lines_are_the_hand_figures(
    sjobacka: tuple[Path, GenerationSummary], year: int, scenario: str
) -> None:
    root, _ = sjobacka
    detail = allocate_plan_detail(root, year, scenario)
    keyed = {k: v for k, v in detail.items() if k[0] in city.KEYS}
    assert keyed == keyed_plan(year, scenario)


def test_hand_figures_of_the_2024_budget(sjobacka: tuple[Path, GenerationSummary]) -> None:
    root, _ = sjobacka
    detail = allocate_plan_detail(root, 2024, "budget")
    by_org = plan_by_org(root, 2024, "budget")
    assert by_org[("DIG-SYSTEM", "BUF")] == 108_000_000  # 3 600 000 x 0.30
    assert by_org[("EKO-REDOV", "ÖFN")] == 4_800_000  # 2 400 000 x 0.02
    assert by_org[("PERS-UTV", "SOF")] == 7_500_000  # 600 000 / 8
    assert by_org[("KOMM-TRYCK", "KLK")] == 14_400_000  # direct, plan key 0.30 of 480 000
    assert ("KOMM-TRYCK", "SOF") not in by_org  # SOF orders print but has no plan key
    # Thirds of 100 000 kr a month: the 0.333333333334 takes the extra öre.
    assert detail[("DIG-UTV", 1, "ÄOF.100")] == 3_333_334
    assert detail[("DIG-UTV", 1, "BUF.100")] == detail[("DIG-UTV", 1, "SOF.100")] == 3_333_333
    # The price list: 4 956 000 kr over 1 180 computers x 12 months = 350.00 kr.
    assert delivered_price(2024) == 350
    assert _read(root / "plan" / "price_list.csv") == [
        {"fiscal_year": "2024", "service_id": "DIG-DATOR", "driver_code": "DATOR",
         "unit_price_sek": "350.00"}
    ]  # fmt: skip
    # 2025: thirds of 90 000 kr: the two 0.333333333333 take the two extra öre.
    d25 = allocate_plan_detail(root, 2025, "budget")
    assert [d25[("DIG-UTV", 1, f"{o}.100")] for o in ("BUF", "SOF", "ÄOF")] == [3_000_000] * 3


@pytest.mark.parametrize("year", YEARS)
def test_driver_based_lines_follow_the_organisations_volumes(
    sjobacka: tuple[Path, GenerationSummary], year: int
) -> None:
    root, _ = sjobacka
    by_org = plan_by_org(root, year, "budget")
    centres = Counter(c["org_code"] for c in _read(root / "organisations" / "cost_centres.csv"))
    expected = driver_plan(year)
    for (sid, org), sek in expected.items():
        # Rounded per cost centre and month: within one öre per cost centre and month.
        assert abs(by_org.get((sid, org), 0) - sek * 100) <= 12 * centres[org], (sid, org)
    assert not [k for k in by_org if k[0] == "EKO-FAKT" and k[1] in ("SJÖB", "SVAB")]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_oracle_allocates_every_plan_line_exactly(
    sjobacka: tuple[Path, GenerationSummary], year: int, scenario: str
) -> None:
    root, _ = sjobacka
    detail = allocate_plan_detail(root, year, scenario)
    per_service: dict[str, int] = defaultdict(int)
    for (sid, _, _), ore in detail.items():
        per_service[sid] += ore
    lines = {r["service_id"]: _ore(r["amount_sek"]) for r in _read(root / "plan" / "plan_amounts.csv")
             if r["fiscal_year"] == str(year) and r["scenario"] == scenario}  # fmt: skip
    assert dict(per_service) == lines
    assert sum(lines.values()) == 100 * sum(
        city.plan_amount(s, year, scenario) for s in city.PLAN_SERVICES
    )


@pytest.mark.parametrize("year", YEARS)
def test_the_ledger_holds_the_designed_pools(
    sjobacka: tuple[Path, GenerationSummary], year: int
) -> None:
    root, _ = sjobacka
    pools = outcome_pools(root, year)
    annual: dict[str, int] = defaultdict(int)
    for (sid, _), ore in pools.items():
        annual[sid] += ore
    expected = {
        s.service_id: city.outcome_ledger_sek(s.service_id, year) * 100 for s in city.SERVICES
    }
    expected[UNALLOCATED] = city.UNMAPPED_SEK * 100
    assert dict(annual) == {s: v for s, v in expected.items() if v}
    for pool in city.SUPPORT_SERVICES:  # flat: the same every month
        assert {pools[(pool, m)] for m in range(1, 13)} == {expected[pool] // 12}


@pytest.mark.parametrize("year", YEARS)
def test_support_flows_are_the_hand_figures_every_month(
    sjobacka: tuple[Path, GenerationSummary], year: int
) -> None:
    root, _ = sjobacka
    pools = outcome_pools(root, year)
    by_hand = support_by_hand(year)
    design = {s: m * city.support_factor(year) for s, m in city.SUPPORT_RECEIVED_MONTHLY.items()}
    assert by_hand.to_services == design
    assert by_hand.totals["STÖD-IT"] == 100_000 * city.support_factor(year)
    assert by_hand.totals["STÖD-HR"] == 60_000 * city.support_factor(year)
    for month in range(1, 13):
        month_pools = {s: pools[(s, month)] for s in city.SUPPORT_SERVICES}
        to_services, totals = allocate_support(root, year, month_pools)
        assert to_services == {s: v * 100 for s, v in design.items()}, month
        assert totals["STÖD-IT"] == by_hand.totals["STÖD-IT"] * 100


def test_the_direct_service_is_booked_on_its_consumers(
    sjobacka: tuple[Path, GenerationSummary],
) -> None:
    root, _ = sjobacka
    owner = {c["cost_centre_code"]: c for c in _read(root / "organisations" / "cost_centres.csv")}
    for year in YEARS:
        rows = [r for r in ledger_rows(root, year) if r["activity_code"] == city.DIRECT_SERVICE]
        assert {owner[r["cost_centre_code"]]["org_code"] for r in rows} == set(city.ORDERERS)
        assert {int(r["period"][5:]) for r in rows} == set(range(1, 13))  # support follows them
        assert sum(_ore(r["amount_sek"]) for r in rows) == 100 * city.outcome_ledger_sek(
            city.DIRECT_SERVICE, year
        )


def test_the_price_is_carried_into_the_second_year(
    sjobacka: tuple[Path, GenerationSummary],
) -> None:
    """2025 has no delivered price: the contract's formula gives it from the 2024 settlement."""
    root, _ = sjobacka
    charged = sum(
        Fraction(350) * Fraction(v["quantity"])
        for v in _volumes(root, 2024)
        if v["driver_code"] == "DATOR"
    )
    cost = Fraction(
        city.outcome_ledger_sek("DIG-DATOR", 2024) + city.support_received("DIG-DATOR", 2024)
    )
    assert cost == city.plan_amount("DIG-DATOR", 2024) * Fraction(103, 100)  # by design
    planned = sum(Fraction(v["quantity"]) for v in _read(root / "plan" / "planned_volumes.csv")
                  if v["fiscal_year"] == "2025" and v["scenario"] == "budget"
                  and v["driver_code"] == "DATOR")  # fmt: skip
    price = carried_price(Fraction(city.plan_amount("DIG-DATOR", 2025)), planned, charged, cost)
    # Computers ran about 1 % over plan at 350 kr, the cost 3 % over budget: a deficit that
    # raises the 2025 price above budget / planned volume (353.28 kr).
    assert charged < cost
    assert Fraction(5_100_000) / planned < price < 365


# ----------------------------------------------------------------- users, KPIs, initiatives


def test_users_file_for_the_dashboards(sjobacka: tuple[Path, GenerationSummary]) -> None:
    from dashboards.lib.auth import authenticate, parse_users
    from pipelines.lib.demo.users import demo_users_file

    root, _ = sjobacka
    path = demo_users_file("sjobacka")
    users = parse_users(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
    assert {u.role for u in users.values()} == {"management", "data_engineer", "controller"}
    controllers = {name: set(u.orgs) for name, u in users.items() if u.role == "controller"}
    assert sorted(map(len, controllers.values())) == [1, 2]
    orgs = {r["org_code"] for r in _read(root / "organisations" / "organisations.csv")}
    assert set().union(*controllers.values()) <= orgs - {city.PRODUCER}
    principal = authenticate("omsorg", "sjobacka-omsorg", users)
    assert principal is not None and principal.allowed_orgs == frozenset({"SOF", "ÄOF"})
    assert authenticate("omsorg", "angered-demo", users) is None


def test_kpis_and_initiatives_name_what_the_city_delivers(
    sjobacka: tuple[Path, GenerationSummary],
) -> None:
    root, _ = sjobacka
    drivers = {d["driver_code"] for d in _read(root / "volumes" / "drivers.csv")}
    services = {s["service_id"] for s in _read(root / "services" / "services.csv")}
    initiatives = {i["initiative_id"]: i for i in _read(root / "plan" / "initiatives.csv")}
    term = re.compile(r"^(volume:[A-Z_]+(\+[A-Z_]+)*|cost:(area|service):\S+)$")
    kpis = _read(root / "plan" / "kpis.csv")
    assert {k["kpi_code"] for k in kpis} == {"DATOR_KOSTNAD", "ARENDE_PER_ANSTALLD"}
    for k in kpis:
        for expr in filter(None, (k["numerator"], k["denominator"])):
            assert term.match(expr), expr
            kind, _, names = expr.partition(":")
            if kind == "volume":
                assert set(names.split("+")) <= drivers
            else:
                assert names.split(":")[1] in services
        assert k["initiative_id"] in ("", *initiatives)
        assert k["scope"] == "city" or k["numerator"].startswith("volume:")
    plan = {(r["fiscal_year"], r["service_id"]): _ore(r["amount_sek"])
            for r in _read(root / "plan" / "plan_amounts.csv") if r["scenario"] == "budget"}  # fmt: skip
    spent: dict[tuple[str, str], int] = defaultdict(int)
    for row in _read(root / "plan" / "initiative_plan.csv"):
        spent[(row["fiscal_year"], initiatives[row["initiative_id"]]["service_id"])] += _ore(
            row["amount_sek"]
        )
    assert dict(spent) == {k: v for k, v in plan.items() if k[1] in ("DIG-UTV", "PERS-UTV")}


def test_cli_writes_the_city_and_refuses_unknown_ones(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "data" / "landing"
    result = runner.invoke(
        app, ["demo-data", "--city", "sjobacka", "--scale", "0.1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Sjöbacka kommun" in result.output
    assert (tmp_path / "data" / "users.toml").exists()
    assert len(list(out.glob("ledger/ledger_2025-*"))) == 12
    bad = runner.invoke(app, ["demo-data", "--city", "oslo", "--out", str(tmp_path / "x")])
    assert bad.exit_code != 0 and "known cities" in bad.output
    years = runner.invoke(app, ["demo-data", "--city", "sjobacka", "--years", "2016-2017",
                                "--out", str(tmp_path / "y")])  # fmt: skip
    assert years.exit_code != 0 and "2021-2029" in years.output
