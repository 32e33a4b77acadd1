"""The demo city generator: determinism, the input-format contract, and plausible magnitudes."""

from __future__ import annotations

import csv
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.lib.demo import GenerationSummary, generate, parse_years
from pipelines.lib.demo.writer import HEADERS
from pipelines.lib.readers import CONTRACT_COLUMNS, read_table
from pipelines.lib.settings import PROJECT_ROOT

CONTRACT = PROJECT_ROOT / "docs" / "input-formats.md"
YEARS = (2016, 2017)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _monthly(root: Path, table: str, period: str = "*") -> list[dict[str, str]]:
    """Canonical rows of the monthly `ledger` or `volumes` files (CSV, SIE 4 or XLSX), read
    through the readers, empty values as ""."""
    kind = "ledger" if table == "ledger" else "volumes"
    rows: list[dict[str, str]] = []
    for path in sorted(root.glob(f"{kind}/{table}_{period}.*")):
        if path.suffix == ".csv":  # canonical already: read as is (fast)
            rows.extend(_read(path))
            continue
        result = read_table(path, table, CONTRACT_COLUMNS[table])
        assert not result.row_problems, result.row_problems[:3]
        rows.extend({k: v or "" for k, v in r.items()} for r in result.records)
    return rows


def _contract() -> dict[str, list[str]]:
    """File pattern -> columns, read from the tables and column lists of docs/input-formats.md."""
    text = CONTRACT.read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    out: dict[str, list[str]] = {}
    for section in sections:
        path = re.match(r"`([^`]+)`", section)
        if not path:  # a section about something else than one file (e.g. a delivery format)
            continue
        # The section ends at the next heading of any level (### or ##).
        body = re.split(r"^## ", section.split("\n", 1)[1], flags=re.MULTILINE)[0]
        # The section's first table lists the columns (a later one may explain values).
        lines = body.splitlines()
        start = next((i for i, line in enumerate(lines) if line.startswith("|")), len(lines))
        table = list(itertools.takewhile(lambda line: line.startswith("|"), lines[start:]))
        if table:
            columns: list[str] = []
            for line in table[2:]:  # skip the header and the |---| rule
                cell = line.split("|")[1].strip()
                columns.extend(name.strip() for name in cell.split(","))
        else:
            prose = re.sub(r"\([^)]*\)", "", body.strip().split("\n\n")[0])
            # The first sentence lists the columns (a later one may name methods or values).
            prose = re.split(r"\.(?:\s|$)", prose, maxsplit=1)[0]
            columns = re.findall(r"`([a-z][a-z0-9_]*)`", prose)
        out[path.group(1)] = columns
    return out


def _optional_files() -> set[str]:
    """File patterns whose section docs/input-formats.md marks `(optional)`: a city may leave
    them out, and the demo city need not deliver them."""
    text = CONTRACT.read_text(encoding="utf-8")
    marked = set(re.findall(r"^### `([^`]+)`[^\n]*\(optional\)", text, flags=re.MULTILINE))
    # The whole reference pack (`reference/`) is optional (the table of "Delivering files").
    pack = set(re.findall(r"^### `(reference/[^`]+)`", text, flags=re.MULTILINE))
    return marked | pack


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary]:
    out = tmp_path_factory.mktemp("demo-city")
    summary = generate(out, seed=2017, scale=0.1)
    return out, summary


@pytest.fixture(scope="module")
def full_city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary]:
    out = tmp_path_factory.mktemp("demo-city-full")
    summary = generate(out, seed=2017, scale=1.0)
    return out, summary


# ---------------------------------------------------------------------------- arguments


def test_parse_years_accepts_ranges_and_lists() -> None:
    assert parse_years("2016-2017") == (2016, 2017)
    assert parse_years("2016,2017") == (2016, 2017)
    assert parse_years("2017") == (2017,)
    assert parse_years("2017, 2016") == (2016, 2017)


@pytest.mark.parametrize("text", ["", "abc", "2017-2016", "2015-2017"])
def test_parse_years_rejects_nonsense_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError, match="years"):
        parse_years(text)


# ------------------------------------------------------------------------- determinism


def test_same_seed_gives_byte_identical_files(
    tmp_path: Path, city: tuple[Path, GenerationSummary]
) -> None:
    first, _ = city
    again = tmp_path / "again"
    generate(again, seed=2017, scale=0.1)
    assert _hashes(first) == _hashes(again)


def test_another_seed_gives_another_ledger(
    tmp_path: Path, city: tuple[Path, GenerationSummary]
) -> None:
    first, _ = city
    other = tmp_path / "other"
    generate(other, seed=2018, scale=0.1)
    a, b = _hashes(first), _hashes(other)
    ledgers = [name for name in a if name.startswith("ledger/ledger_")]
    assert len(ledgers) == 24
    assert {name.rsplit(".", 1)[1] for name in ledgers} == {"se", "xlsx", "csv"}
    assert all(a[name] != b[name] for name in ledgers)


def test_regenerating_fewer_years_leaves_no_stray_monthly_files(tmp_path: Path) -> None:
    generate(tmp_path, seed=1, scale=0.05, years=(2016, 2017))
    generate(tmp_path, seed=1, scale=0.05, years=(2017,))
    assert not list(tmp_path.glob("*/*_2016-*"))
    assert len(list(tmp_path.glob("ledger/ledger_2017-*"))) == 12
    generate(tmp_path, seed=1, scale=0.05, years=(2017,), ledger_formats="csv")
    assert len(list(tmp_path.glob("ledger/ledger_2017-*.csv"))) == 12
    assert not list(tmp_path.glob("*/*.se")) and not list(tmp_path.glob("*/*.xlsx"))


# ---------------------------------------------------------------------------- contract


def test_every_contract_file_exists_with_exactly_its_columns(
    city: tuple[Path, GenerationSummary],
) -> None:
    root, summary = city
    contract = _contract()
    assert len(contract) >= 18
    monthly = {p for p in contract if "YYYY-MM" in p}
    assert monthly >= {"ledger/ledger_YYYY-MM.csv", "volumes/volumes_YYYY-MM.csv"}
    for pattern, columns in contract.items():
        if not pattern.endswith(".csv"):
            continue  # another delivery format of a table documented as CSV
        if pattern in monthly:
            table = pattern.split("/")[1].split("_")[0]
            for y in YEARS:
                for m in range(1, 13):
                    stem = pattern.replace("YYYY-MM", f"{y}-{m:02d}").removesuffix(".csv")
                    found = sorted(root.glob(f"{stem}.*"))
                    assert len(found) == 1, (stem, found)
                    path = found[0]
                    if path.suffix == ".csv":
                        with path.open(encoding="utf-8", newline="") as fh:
                            assert next(csv.reader(fh)) == columns, path
                    else:  # SIE 4 or an Excel export: read through the readers
                        result = read_table(path, table, columns)
                        assert result.records and not result.row_problems, path
            continue
        path = root / pattern
        if pattern in _optional_files() and not path.exists():
            continue
        assert path.exists(), pattern
        with path.open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert header == columns, pattern
    written = {
        str(p.relative_to(root))
        for p in root.rglob("*.csv")
        if not re.search(r"_\d{4}-\d{2}\.csv$", p.name)
    }
    assert written <= set(contract), written - set(contract)
    assert written == set(HEADERS)
    # ... and what the readers (the loading code) expect, column for column.
    for name in written:
        table = name.split("/")[1].removesuffix(".csv")
        assert list(HEADERS[name]) == CONTRACT_COLUMNS[table], name
    assert summary.files == len([p for p in root.rglob("*") if p.is_file()]) == len(HEADERS) + 48


def test_files_are_utf8_with_unix_line_ends(city: tuple[Path, GenerationSummary]) -> None:
    root, _ = city
    for path in root.rglob("*.csv"):
        data = path.read_bytes()
        assert b"\r\n" not in data, path
        data.decode("utf-8")
    assert "Örgryte-Härlanda" in (root / "organisations" / "organisations.csv").read_text(
        encoding="utf-8"
    )


def test_organisations_and_cost_centres(city: tuple[Path, GenerationSummary]) -> None:
    root, summary = city
    orgs = _read(root / "organisations" / "organisations.csv")
    assert len(orgs) == summary.organisations == 63
    assert Counter(o["org_group"] for o in orgs) == {
        "Stadsdelsförvaltningar": 10,
        "Fackförvaltningar": 21,
        "Bolag": 30,
        "Kommunalförbund": 2,
    }
    assert [o["org_code"] for o in orgs if o["is_producer"] == "true"] == ["I060"]
    groups = _read(root / "organisations" / "org_groups.csv")
    assert [(g["org_group"], g["sort_order"]) for g in groups] == [
        ("Stadsdelsförvaltningar", "1"),
        ("Fackförvaltningar", "2"),
        ("Bolag", "3"),
        ("Kommunalförbund", "4"),
    ]
    assert {g["org_group"] for g in groups} == {o["org_group"] for o in orgs}
    assert all(g["name_sv"] and g["name_en"] for g in groups)
    closed = {o["org_code"]: o["valid_to"] for o in orgs if o["valid_to"]}
    assert closed == {"B111": "2016-12-31", "B115": "2016-12-31"}
    ccs = _read(root / "organisations" / "cost_centres.csv")
    org_codes = {o["org_code"] for o in orgs}
    for cc in ccs:
        assert re.fullmatch(r"[A-Z]\d{3}-\d{4}", cc["cost_centre_code"]), cc
        assert cc["cost_centre_code"].startswith(cc["org_code"] + "-")
        assert cc["org_code"] in org_codes
    defaults = Counter(cc["org_code"] for cc in ccs if cc["is_default"] == "true")
    assert defaults == dict.fromkeys(org_codes, 1)
    assert all(cc["cost_centre_code"].endswith("-0001") for cc in ccs if cc["is_default"] == "true")
    assert len({cc["cost_centre_code"] for cc in ccs}) == len(ccs)
    consumers_2016 = [
        cc
        for cc in ccs
        if cc["valid_from"] <= "2016-12-31" and not cc["cost_centre_code"].startswith("I060-9")
    ]
    assert len(consumers_2016) == 300  # 3 000 x scale 0.1
    assert any(cc["cost_centre_code"].startswith("I060-91") for cc in ccs)  # Intraservice producers


def test_service_catalogue_history_and_lineage(city: tuple[Path, GenerationSummary]) -> None:
    root, _ = city
    services = _read(root / "services" / "services.csv")
    by_id: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in services:
        by_id[s["service_id"]].append(s)
    # Telephony moved from IT to Kommunikation: one id, two validity rows.
    tel = sorted(by_id["KOM-TEL"], key=lambda s: s["valid_from"])
    assert [(s["service_area_code"], s["valid_to"]) for s in tel] == [
        ("IT", "2016-12-31"),
        ("KOMMUNIKATION", ""),
    ]
    assert {s["service_area_code"] for s in by_id["IT-ETJ"]} == {"KOMMUNIKATION", "IT"}
    # A rename keeps the id and prints the former name.
    plan = sorted(by_id["LS-PLAN"], key=lambda s: s["valid_from"])
    assert plan[0]["service_name_sv"] == "Rappet" and plan[1]["former_name_sv"] == "Rappet"
    reglering = by_id["REGLERING"][0]
    assert reglering["is_adjustment"] == "true" and reglering["service_area_code"] == ""
    assert all(s["is_adjustment"] == "false" for s in services if s["service_id"] != "REGLERING")
    # 91 published lines, 4 moves counted once, plus Reglering and 4 internal support pools.
    assert len(by_id) == 92
    # Support pools (is_support) are the services plan/support_allocations.csv charges on;
    # they have an area (for the ledger's owner) but no plan line.
    support = {r["support_service_id"] for r in _read(root / "plan" / "support_allocations.csv")}
    assert support == {"IS-LOKAL", "IS-ADM", "IS-ITDRIFT", "IS-HR"}
    assert support == {s["service_id"] for s in services if s["is_support"] == "true"}
    assert all(s["is_support"] in ("true", "false") for s in services)
    for sid in support:
        (row,) = by_id[sid]
        assert row["service_area_code"] and row["cost_type"] == "maintenance", row
        assert row["comment_sv"].startswith("Internt stöd"), row
    planned = {r["service_id"] for r in _read(root / "plan" / "plan_amounts.csv")}
    assert not support & planned
    lineage = _read(root / "services" / "service_lineage.csv")
    split = [r for r in lineage if r["relation"] == "split"]
    assert {r["from_service_id"] for r in split} == {"EH-FAKT"}
    assert sum(Decimal(r["weight"]) for r in split) == 1
    merges = Counter(r["to_service_id"] for r in lineage if r["relation"] == "merge")
    assert merges == {"VO-HOS": 2, "VO-VO": 5}
    for r in lineage:
        assert r["from_service_id"] in by_id and r["to_service_id"] in by_id


def test_plan_lines_methods_and_keys_are_consistent(city: tuple[Path, GenerationSummary]) -> None:
    root, _ = city
    plan = _read(root / "plan" / "plan_amounts.csv")
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in plan:
        assert re.fullmatch(r"-?\d+\.\d{2}", r["amount_sek"]), r
        totals[(r["fiscal_year"], r["plan_version"])] += Decimal(r["amount_sek"])
    assert totals == {
        ("2016", "P0 2016"): Decimal("616750000.00"),
        ("2016", "P1 2016"): Decimal("616751000.00"),
        # The adopted 2017 budget under the one name the city prints (scenario budget).
        ("2017", "Budget 2017"): Decimal("689695000.00"),
        # Forecasts of 2017 and the proposal for 2018 (synthetic, see catalogue.FORECASTS_2017).
        ("2017", "P1 2017"): Decimal("686954000.00"),
        ("2017", "P2 2017"): Decimal("689914000.00"),
        ("2018", "Budget 2018"): Decimal("647357000.00"),
    }
    reglering = [r for r in plan if r["service_id"] == "REGLERING"]
    assert [(r["scenario"], r["amount_sek"]) for r in reglering] == [("forecast_1", "-1474000.00")]

    methods = {
        (r["fiscal_year"], r["scenario"], r["service_id"]): r
        for r in _read(root / "plan" / "service_methods.csv")
    }
    plan_rules = {k for k in methods if k[1] != "outcome"}
    assert plan_rules == {(r["fiscal_year"], r["scenario"], r["service_id"]) for r in plan}
    keys: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in _read(root / "plan" / "allocation_keys.csv"):
        assert re.fullmatch(r"[01]\.\d{12}", r["share"]), r
        keys[(r["key_set"], r["service_id"])] += Decimal(r["share"])
    assert all(total == 1 for total in keys.values())
    drivers = {r["driver_code"] for r in _read(root / "volumes" / "drivers.csv")}
    volumes = _read(root / "plan" / "planned_volumes.csv")
    planned = {(r["fiscal_year"], r["scenario"], r["driver_code"]) for r in volumes}
    for (year, scenario, service), m in methods.items():
        assert m["rule_id"] == f"ALLOC-{year}-{scenario}-{service}"
        if m["allocation_method"] == "fixed_key":
            assert m["driver_code"] == "" and (m["key_set"], service) in keys
        elif m["allocation_method"] in ("driver_share", "price_list"):
            # The outcome weighs actual volumes, with the budget's driver and population.
            volumes_of = "budget" if scenario == "outcome" else scenario
            assert m["driver_code"] in drivers and (year, volumes_of, m["driver_code"]) in planned
            assert m["key_set"] == "" or (m["key_set"], service) in keys
        else:
            assert scenario == "outcome", m
            assert m["allocation_method"] in ("direct", "step_down", "reciprocal"), m
            assert m["driver_code"] == "" and m["key_set"] == "", m
    expected = {
        "IT-ARB": ("price_list", "WORKPLACE"),
        "IT-WAN": ("price_list", "WAN_CONN"),
        "HR-LON": ("driver_share", "HEADCOUNT"),
        "EK-INK": ("driver_share", "HEADCOUNT"),
        "EH-SKAN": ("driver_share", "PAPER_INVOICE"),
        "LS-KEMI": ("driver_share", "CHEM_PRODUCT"),
        "KOM-TEL": ("driver_share", "PHONE_SUB"),
        "VO-VO": ("fixed_key", ""),
        "REGLERING": ("fixed_key", ""),
    }
    for service, (method, driver) in expected.items():
        rows = [m for (_, _, s), m in methods.items() if s == service]
        assert rows and all(
            (m["allocation_method"], m["driver_code"]) == (method, driver) for m in rows
        )
    # Care keys reach only the district administrations, Social resurs and Utbildningsförvaltningen.
    care_orgs = {
        r["org_code"]
        for r in _read(root / "plan" / "allocation_keys.csv")
        if r["service_id"] in ("VO-VO", "VO-TRES")
    }
    assert care_orgs == {f"N{n}" for n in range(131, 141)} | {"N130", "N610"}
    for r in volumes:
        assert Decimal(r["quantity"]) > 0
        if r["driver_code"] != "HEADCOUNT":
            assert re.fullmatch(r"\d+", r["quantity"]), r


def test_price_list_is_budget_over_planned_volume(city: tuple[Path, GenerationSummary]) -> None:
    root, _ = city
    prices = _read(root / "plan" / "price_list.csv")
    assert {(r["fiscal_year"], r["service_id"]) for r in prices} == {
        (y, s) for y in ("2016", "2017") for s in ("IT-ARB", "IT-WAN", "IT-LAN", "IT-LAGR")
    }
    plan = {
        (r["fiscal_year"], r["service_id"]): Decimal(r["amount_sek"])
        for r in _read(root / "plan" / "plan_amounts.csv")
        if r["scenario"] == "budget"
    }
    units: Counter[tuple[str, str]] = Counter()
    for r in _read(root / "plan" / "planned_volumes.csv"):
        if r["scenario"] == "budget":
            units[(r["fiscal_year"], r["driver_code"])] += (
                int(r["quantity"]) if r["quantity"].isdigit() else 0
            )
    for r in prices:
        expected = (
            plan[(r["fiscal_year"], r["service_id"])] / units[(r["fiscal_year"], r["driver_code"])]
        )
        assert abs(Decimal(r["unit_price_sek"]) - expected) <= Decimal("0.005")


def test_every_voucher_balances_and_posts_to_known_accounts(
    city: tuple[Path, GenerationSummary],
) -> None:
    root, _ = city
    accounts = {(r["fiscal_year"], r["account"]) for r in _read(root / "ledger" / "accounts.csv")}
    balance: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for path in sorted(root.glob("ledger/ledger_*-*.*")):
        period = path.stem.removeprefix("ledger_")
        if path.suffix == ".csv":  # canonical text: two decimals
            assert all(re.fullmatch(r"-?\d+\.\d{2}", r["amount_sek"]) for r in _read(path))
        for r in _monthly(root, "ledger", period):
            assert r["period"] == period and r["voucher_date"].startswith(period)
            assert (period[:4], r["account"]) in accounts, r
            balance[(period[:4], r["voucher_series"], r["voucher_number"])] += Decimal(
                r["amount_sek"]
            )
    assert len(balance) > 100
    assert all(total == 0 for total in balance.values())


def test_ledger_maps_to_services_except_the_deliberate_anomalies(
    city: tuple[Path, GenerationSummary],
) -> None:
    root, _ = city
    rules = _read(root / "ledger" / "mapping_rules.csv")
    for year in YEARS:
        year_rules = sorted(
            (r for r in rules if r["fiscal_year"] == str(year)), key=lambda r: int(r["priority"])
        )
        assert [r["rule_id"] for r in year_rules if r["priority"] == "50"][0].startswith(
            f"MAP-{year}-"
        )
        rows = _monthly(root, "ledger", f"{year}-*")
        consumers = {
            r["cost_centre_code"]
            for r in _read(root / "organisations" / "cost_centres.csv")
            if not r["cost_centre_code"].startswith("I060-9")
        }
        unmapped = []
        for r in rows:
            if r["account"] < "3000":
                assert r["activity_code"] == "" and r["cost_centre_code"] == ""
                continue
            hit = next(
                (
                    rule
                    for rule in year_rules
                    if rule["account_from"] <= r["account"] <= rule["account_to"]
                    and rule["activity_code"] in ("", r["activity_code"])
                    and rule["project_code"] in ("", r["project_code"])
                    and (rule["activity_code"] or rule["project_code"])
                ),
                None,
            )
            if hit is None:
                unmapped.append(r)
            elif r["activity_code"] in ("KOM-GRAF", "KOM-VIDEOPL"):  # charged directly
                assert r["cost_centre_code"] in consumers, r
            else:
                assert r["cost_centre_code"].startswith("I060-9"), r
        assert [r["activity_code"] for r in unmapped] == ["IT-XXX"]
        corrections = [r for r in rows if r["text"].startswith("Rättelse")]
        assert len(corrections) == 2 and sum(Decimal(r["amount_sek"]) for r in corrections) == 0
        assert any("Sverge" in r["counterparty"] or "A.B." in r["counterparty"] for r in rows)
        assert any(r["project_code"] for r in rows)


# ---------------------------------------------------------------------------- magnitudes


def test_volumes_are_positive_monthly_rows(city: tuple[Path, GenerationSummary]) -> None:
    root, summary = city
    cost_centres = {
        r["cost_centre_code"] for r in _read(root / "organisations" / "cost_centres.csv")
    }
    count = 0
    for path in sorted(root.glob("volumes/volumes_*-*.*")):
        period = path.stem.removeprefix("volumes_")
        for r in _monthly(root, "volumes", period):
            assert r["period"] == period
            assert Decimal(r["quantity"]) > 0 and r["cost_centre_code"] in cost_centres
            count += 1
    assert count == summary.volume_rows
    assert [p.name for p in root.glob("volumes/*.xlsx")] == ["volumes_2017-06.xlsx"]


def _yearly(root: Path, driver: str, year: int) -> Decimal:
    return sum(
        (
            Decimal(r["quantity"])
            for r in _monthly(root, "volumes", f"{year}-*")
            if r["driver_code"] == driver
        ),
        Decimal(0),
    )


def test_full_scale_magnitudes(full_city: tuple[Path, GenerationSummary]) -> None:
    root, summary = full_city
    assert 2_900 <= summary.cost_centres <= 3_200
    # About 400 000 paper invoices in 2016, falling in 2017 while e-invoices rise.
    paper_2016, paper_2017 = (
        _yearly(root, "PAPER_INVOICE", 2016),
        _yearly(root, "PAPER_INVOICE", 2017),
    )
    assert 380_000 <= paper_2016 <= 420_000
    assert paper_2017 < Decimal("0.85") * paper_2016
    e_2016, e_2017 = _yearly(root, "EINVOICE", 2016), _yearly(root, "EINVOICE", 2017)
    assert e_2016 / (e_2016 + paper_2016) < e_2017 / (e_2017 + paper_2017)
    workplaces = _yearly(root, "WORKPLACE", 2016) / 12
    assert 20_000 <= workplaces <= 30_000
    # 30-60 cost rows per service and year, at least one per month and posting kind (68 a plan
    # line for seed 2017).
    plan_lines = sum(
        1 for r in _read(root / "plan" / "plan_amounts.csv") if r["scenario"] == "budget"
    )
    cost_rows = sum(1 for r in _monthly(root, "ledger") if "4000" <= r["account"] <= "7999")
    assert 30 <= cost_rows / plan_lines <= 90  # salaries are two rows (wages and social fees)
    assert summary.volume_rows > 300_000 and summary.ledger_rows > 5_000
    # The ledger outcome is the budget give or take a few percent.
    outcome = sum(
        Decimal(r["amount_sek"])
        for r in _monthly(root, "ledger", "2017-*")
        if r["account"] >= "3000"
    )
    assert abs(outcome / Decimal("689695000") - 1) < Decimal("0.04")
    assert "63 organisations" in summary.describe()


def test_volume_totals_do_not_depend_on_scale(
    city: tuple[Path, GenerationSummary], full_city: tuple[Path, GenerationSummary]
) -> None:
    def planned(root: Path) -> dict[tuple[str, str, str], Decimal]:
        totals: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
        for r in _read(root / "plan" / "planned_volumes.csv"):
            totals[(r["fiscal_year"], r["scenario"], r["driver_code"])] += Decimal(r["quantity"])
        return totals

    small, full = planned(city[0]), planned(full_city[0])
    assert small == full
    assert small[("2016", "budget", "PAPER_INVOICE")] == 405_000
