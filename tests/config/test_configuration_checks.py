"""Configuration checks at ingest: one test per check, each delivering a bad configuration.

Every test starts from the minimal complete city of docs/input-formats.md (which passes every
check), changes what the check is about, lands the files as the ingest does (real readers,
real row rules, real DuckDB) and asserts the finding: the file, rows, column, value and fix the
message names. `test_the_blocking_check_stops_dbt` runs the Dagster check itself.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from expectations import CONTRACTS
from expectations.configuration import CHECKS, max_step_down_steps
from pipelines.lib.configuration import Finding, prepare, rows_text, run_configuration_checks
from pipelines.lib.landing import TABLE_SPECS, load_table
from tests.conftest import PipelineRun
from tests.minimal_city import (
    minimal_city,
    replace_rows,
    set_cell,
    with_rows,
    write_city,
)

SERVICES = "services/services.csv"
METHODS = "plan/service_methods.csv"
KEYS = "plan/allocation_keys.csv"
PLAN = "plan/plan_amounts.csv"
SUPPORT = "plan/support_allocations.csv"
MAPPING = "ledger/mapping_rules.csv"
LEDGER_JAN = "ledger/ledger_2025-01.csv"
LEDGER_FEB = "ledger/ledger_2025-02.csv"
DRIVERS = "volumes/drivers.csv"
VOLUMES_JAN = "volumes/volumes_2025-01.csv"
PRICES = "plan/price_list.csv"
LINEAGE = "services/service_lineage.csv"
COST_CENTRES = "organisations/cost_centres.csv"
ORGANISATIONS = "organisations/organisations.csv"
ACCOUNTS = "ledger/accounts.csv"
PLANNED = "plan/planned_volumes.csv"

SUPPORT_HEADER = (
    "fiscal_year,scenario,support_service_id,receiving_service_id,basis,share,step_order,method"
)
LEDGER_HEADER = (
    "voucher_series,voucher_number,voucher_date,period,account,cost_centre_code,activity_code,"
    "project_code,counterparty,amount_sek,text"
)
VOLUMES_HEADER = "period,driver_code,cost_centre_code,quantity"
PRICES_HEADER = "fiscal_year,service_id,driver_code,unit_price_sek"


def base() -> dict[str, str]:
    return minimal_city()


def _load(con: duckdb.DuckDBPyConnection, root: Path, tables: set[str]) -> None:
    for spec in TABLE_SPECS:  # registers first, as the asset dependencies order them
        if spec.table in tables:
            load = load_table(con, spec, root / "landing", quarantine_dir=root / "quarantine")
            assert not load.rejected, [f.message for f in load.rejected]


def _dependents(tables: set[str]) -> set[str]:
    """The tables whose rows are validated against these (so they must be loaded again)."""
    found = set(tables)
    while True:
        more = {c.table for c in CONTRACTS if set(c.references) & found} - found
        if not more:
            return found
        found |= more


Lander = Callable[[dict[str, str], Path], duckdb.DuckDBPyConnection]
Finder = Callable[[dict[str, str], Path], list[Finding]]


@pytest.fixture(scope="session")
def landed_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal city landed once; each test copies it and reloads only what it changed."""
    root = tmp_path_factory.mktemp("minimal-city")
    write_city(base(), root / "landing")
    with duckdb.connect(str(root / "warehouse.duckdb")) as con:
        _load(con, root, {spec.table for spec in TABLE_SPECS})
    return root


@pytest.fixture()
def land(landed_base: Path) -> Lander:
    def land(city: dict[str, str], root: Path) -> duckdb.DuckDBPyConnection:
        """Deliver the files and load the tables they change (and those validated against
        them) as the ingest does, on a copy of the landed minimal city."""
        shutil.copytree(landed_base, root, dirs_exist_ok=True)
        original = base()
        changed = {path for path, text in city.items() if original.get(path) != text}
        assert set(original) <= set(city), "removing files is not supported here"
        write_city({path: city[path] for path in changed}, root / "landing")
        tables = {
            spec.table
            for path in changed
            for spec in TABLE_SPECS
            if spec.matches(root / "landing" / path)
        }
        con = duckdb.connect(str(root / "warehouse.duckdb"))
        _load(con, root, _dependents(tables))
        return con

    return land


@pytest.fixture()
def findings(land: Lander) -> Finder:
    def findings(city: dict[str, str], root: Path) -> list[Finding]:
        with land(city, root) as con:
            return run_configuration_checks(con)

    return findings


def only(found: list[Finding], check: str) -> Finding:
    names = [f.check_name for f in found]
    assert names == [check], [f.message for f in found]
    return found[0]


# Shared variations --------------------------------------------------------------------------


def with_service(city: dict[str, str], service_id: str, *, support: bool = False) -> dict[str, str]:
    flag = "true" if support else "false"
    return with_rows(
        city, SERVICES, f"{service_id},{service_id},,IT,maintenance,false,2025-01-01,,,{flag}"
    )


def with_support_pool(
    city: dict[str, str], pool: str = "IS-ADM", amount: str = "300.00"
) -> dict[str, str]:
    """A support service with January ledger cost on the producer's cost centre."""
    city = with_service(city, pool, support=True)
    city = with_rows(city, MAPPING, f"M-{pool},2025,5,4000,7999,{pool},,,{pool},maintenance")
    return with_rows(
        city,
        LEDGER_JAN,
        f"A,2,2025-01-20,2025-01,5400,SSC-1,{pool},,Hyresvärd AB,{amount},Stöd januari",
        f"A,2,2025-01-20,2025-01,1930,,,,Hyresvärd AB,-{amount},Stöd januari",
    )


def with_driver(city: dict[str, str], driver: str = "WORKPLACE") -> dict[str, str]:
    return with_rows(city, DRIVERS, f"{driver},st,pcs,Arbetsplatser,Workplaces")


def with_price_list_year_before(city: dict[str, str]) -> dict[str, str]:
    """2024 before the minimal city's 2025: IT-DRIFT charged by price list in both years (the
    budgets' rules), at a price delivered for 2024 only, with January ledger cost and volumes
    in each year and planned volumes in each budget. 2025's price can be carried."""
    for path, rows in ((ORGANISATIONS, 2), (COST_CENTRES, 2), (SERVICES, 1)):
        for row in range(rows):
            city = set_cell(city, path, row, "valid_from", "2024-01-01")
    city = with_driver(city)
    city = with_rows(city, ACCOUNTS, "2024,1930,Bank,balance", "2024,5400,IT-kostnader,cost")
    city = with_rows(city, MAPPING, "M0,2024,10,4000,7999,IT-DRIFT,,,IT-DRIFT,maintenance")
    city = with_rows(
        city,
        "ledger/ledger_2024-01.csv",
        "A,1,2024-01-15,2024-01,5400,SSC-1,IT-DRIFT,,Leverantör AB,1000.00,Drift januari",
        "A,1,2024-01-15,2024-01,1930,,,,Leverantör AB,-1000.00,Drift januari",
        header=LEDGER_HEADER,
    )
    city = with_rows(city, PLAN, "2024,budget,Budget 2024,IT-DRIFT,maintenance,10800.00")
    city = set_cell(city, METHODS, 0, "allocation_method", "price_list")
    city = set_cell(city, METHODS, 0, "driver_code", "WORKPLACE")
    city = with_rows(city, METHODS, "2024,budget,IT-DRIFT,R0,price_list,WORKPLACE,")
    city = with_rows(
        city, PLANNED, "2024,budget,WORKPLACE,SKO-1,120", "2025,budget,WORKPLACE,SKO-1,120"
    )
    city = with_rows(city, PRICES, "2024,IT-DRIFT,WORKPLACE,90.00", header=PRICES_HEADER)
    city = with_rows(
        city, "volumes/volumes_2024-01.csv", "2024-01,WORKPLACE,SKO-1,10", header=VOLUMES_HEADER
    )
    return with_rows(city, VOLUMES_JAN, "2025-01,WORKPLACE,SKO-1,10", header=VOLUMES_HEADER)


# The base city ------------------------------------------------------------------------------


def test_the_minimal_city_passes_every_check(tmp_path: Path, findings: Finder) -> None:
    assert findings(base(), tmp_path) == []


def test_every_check_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "input-formats.md").read_text(
        encoding="utf-8"
    )
    section = doc.split("### Configuration checks at ingest", 1)[1].split("\n### ", 1)[0]
    missing = [check.name for check in CHECKS if f"`{check.name}`" not in section]
    assert not missing, f"not in docs/input-formats.md (Configuration checks at ingest): {missing}"


def test_rows_are_named_as_ranges() -> None:
    assert rows_text([5]) == "row 5"
    assert rows_text([4, 2, 3, 7, 9, 8]) == "rows 2-4, 7-9"


# One test per check -------------------------------------------------------------------------


def test_plan_line_without_rule(tmp_path: Path, findings: Finder) -> None:
    city = with_service(base(), "IT-NÄT")
    city = with_rows(city, PLAN, "2025,budget,Budget 2025,IT-NÄT,maintenance,5000.00")
    found = only(findings(city, tmp_path), "plan_line_without_rule")
    assert found.message == (
        "plan/plan_amounts.csv row 3, column 'service_id': the plan line 2025 budget of service "
        "'IT-NÄT' (5000.00 SEK) has no allocation rule; add a row (2025, budget, IT-NÄT, ...) to "
        "plan/service_methods.csv, or remove the line."
    )


def test_outcome_without_rule(tmp_path: Path, findings: Finder) -> None:
    city = with_service(base(), "IT-NÄT")
    city = with_rows(city, MAPPING, "M2,2025,10,4000,7999,IT-NÄT,,,IT-NÄT,maintenance")
    city = with_rows(
        city,
        LEDGER_JAN,
        "A,2,2025-01-16,2025-01,5400,SSC-1,IT-NÄT,,Operatör AB,250.00,Nät januari",
        "A,2,2025-01-16,2025-01,1930,,,,Operatör AB,-250.00,Nät januari",
    )
    found = only(findings(city, tmp_path), "outcome_without_rule")
    assert found.source_file == MAPPING and found.source_rows == (3,)
    assert found.column_name == "service_id" and found.value == "IT-NÄT"
    assert "maps ledger cost of 2025 to service 'IT-NÄT' (250.00 SEK in 1 ledger rows, the first "
    assert "ledger/ledger_2025-01.csv row 4" in found.problem
    assert "neither an outcome nor a budget rule for 2025" in found.problem
    assert (
        found.fix
        == "add a row (2025, outcome, IT-NÄT, ...) to plan/service_methods.csv, or map the cost to another service"
    )


def test_method_not_allowed_in_scenario(tmp_path: Path, findings: Finder) -> None:
    city = set_cell(base(), METHODS, 0, "allocation_method", "step_down")
    city = set_cell(city, METHODS, 0, "key_set", "")
    found = only(findings(city, tmp_path), "method_not_allowed_in_scenario")
    assert found.message == (
        "plan/service_methods.csv row 2, column 'allocation_method': method 'step_down' is not "
        "allowed in the plan scenario 'budget': support pools have no plan line (their cost "
        "reaches the services through plan/support_allocations.csv in the outcome); use direct, "
        "fixed_key, driver_share or price_list, or mark the service is_support = true in "
        "services/services.csv and give its shares in plan/support_allocations.csv."
    )


def test_a_support_service_may_only_be_charged_on(tmp_path: Path, findings: Finder) -> None:
    """is_support is read: a support service with an ordinary method is refused."""
    city = with_support_pool(base())
    city = with_rows(
        city, SUPPORT, "2025,outcome,IS-ADM,IT-DRIFT,headcount,1,1,step_down", header=SUPPORT_HEADER
    )
    city = with_rows(city, METHODS, "2025,outcome,IS-ADM,R-ADM,fixed_key,,K2025")
    city = with_rows(city, KEYS, "K2025,IS-ADM,SKO,1,2025-01-01,")
    found = only(findings(city, tmp_path), "method_not_allowed_in_scenario")
    assert found.source_rows == (3,) and found.value == "fixed_key"
    assert "'IS-ADM' is a support service (is_support): its cost is charged on by " in found.problem
    assert "so its rule can only be step_down or reciprocal" in found.problem


def test_rule_missing_driver(tmp_path: Path, findings: Finder) -> None:
    city = set_cell(base(), METHODS, 0, "allocation_method", "driver_share")
    found = only(findings(city, tmp_path), "rule_missing_driver")
    assert found.message == (
        "plan/service_methods.csv row 2, column 'driver_code': rule 'R1' (2025 budget, IT-DRIFT) "
        "uses driver_share but names no driver; fill in driver_code (a driver of "
        "volumes/drivers.csv)."
    )


def test_rule_missing_key_set(tmp_path: Path, findings: Finder) -> None:
    city = set_cell(base(), METHODS, 0, "allocation_method", "direct")
    city = set_cell(city, METHODS, 0, "key_set", "")
    found = only(findings(city, tmp_path), "rule_missing_key_set")
    assert found.message == (
        "plan/service_methods.csv row 2, column 'key_set': rule 'R1' (2025 budget, IT-DRIFT) uses "
        "direct in a plan scenario, where no ledger row names the consumers, but names no key "
        "set; fill in key_set (a key set of plan/allocation_keys.csv with the organisations' "
        "shares for IT-DRIFT)."
    )


def test_key_set_not_summing_to_one(tmp_path: Path, findings: Finder) -> None:
    city = set_cell(base(), KEYS, 0, "share", "0.6")
    city = with_rows(city, KEYS, "K2025,IT-DRIFT,SSC,0.398,2025-01-01,")
    found = only(findings(city, tmp_path), "key_set_not_summing_to_one")
    assert found.message == (
        "plan/allocation_keys.csv rows 2-3, column 'share': the shares of key set 'K2025' for "
        "service 'IT-DRIFT' valid in 2025 sum to 0.998, not 1 (used by rule 'R1', "
        "plan/service_methods.csv row 2); correct the shares so that they sum to exactly 1 (one "
        "version of the key per fiscal year)."
    )


def test_a_key_set_without_the_service_is_refused_too(tmp_path: Path, findings: Finder) -> None:
    city = set_cell(base(), METHODS, 0, "key_set", "K-MISSING")
    found = only(findings(city, tmp_path), "key_set_not_summing_to_one")
    assert found.source_file == METHODS and found.column_name == "key_set"
    assert found.problem == "key set 'K-MISSING' has no row for service 'IT-DRIFT' valid in 2025"


def test_no_planned_volume(tmp_path: Path, findings: Finder) -> None:
    city = with_driver(base())
    city = set_cell(city, METHODS, 0, "allocation_method", "driver_share")
    city = set_cell(city, METHODS, 0, "driver_code", "WORKPLACE")
    # The outcome keeps the fixed key, so only the plan is short of volumes.
    city = with_rows(city, METHODS, "2025,outcome,IT-DRIFT,R2,fixed_key,,K2025")
    found = only(findings(city, tmp_path), "no_planned_volume")
    assert found.message == (
        "plan/service_methods.csv row 2, column 'driver_code': rule 'R1' (2025 budget, IT-DRIFT) "
        "splits the plan line by planned volumes of 'WORKPLACE', but plan/planned_volumes.csv has "
        "none > 0 for 2025 budget on the cost centres of its population 'K2025'; deliver the "
        "planned volumes of WORKPLACE for 2025 budget in plan/planned_volumes.csv, or change the "
        "rule."
    )


def test_no_actual_volume(tmp_path: Path, findings: Finder) -> None:
    city = with_driver(base())
    city = with_rows(city, METHODS, "2025,outcome,IT-DRIFT,R2,driver_share,WORKPLACE,")
    # Volumes of another month only: January's ledger cost has nothing to be split by.
    city = with_rows(
        city, "volumes/volumes_2025-02.csv", "2025-02,WORKPLACE,SKO-1,10", header=VOLUMES_HEADER
    )
    found = only(findings(city, tmp_path), "no_actual_volume")
    assert found.source_file == METHODS and found.source_rows == (3,)
    assert found.problem.startswith(
        "service 'IT-DRIFT' has 1000.00 SEK of ledger cost in 2025-01 (ledger/ledger_2025-01.csv "
        "row 2 and 0 more) and is split by actual volumes of 'WORKPLACE' (rule 'R2')"
    )
    assert (
        found.fix
        == "deliver volumes/volumes_2025-01 with the volumes of WORKPLACE, or change the rule"
    )


def test_no_price(tmp_path: Path, findings: Finder) -> None:
    city = with_driver(base())
    city = with_rows(city, METHODS, "2025,outcome,IT-DRIFT,R2,price_list,WORKPLACE,")
    city = with_rows(city, VOLUMES_JAN, "2025-01,WORKPLACE,SKO-1,10", header=VOLUMES_HEADER)
    # A 2024 price, but no 2024 outcome to settle, and a budget rule (fixed key) without
    # planned volumes of the driver: 2025's price can be neither delivered nor carried.
    city = with_rows(city, PRICES, "2024,IT-DRIFT,WORKPLACE,95.00", header=PRICES_HEADER)
    found = only(findings(city, tmp_path), "no_price")
    assert found.message == (
        "plan/service_methods.csv row 3, column 'driver_code': service 'IT-DRIFT' is charged by "
        "price list (rule 'R2') and has ledger cost in 2025, but plan/price_list.csv has no 2025 "
        "price of 'WORKPLACE' for it, and none can be carried from the settlement of 2024: it "
        "has no ledger cost under a price-list rule in 2024; its 2025 budget rule has no planned "
        "volume > 0 of 'WORKPLACE'; add the unit price (2025, IT-DRIFT, WORKPLACE, SEK per unit "
        "and month) to plan/price_list.csv; without it the price is carried from the settlement "
        "of 2024, which needs the service charged by price list in 2024, a 2025 budget line and "
        "planned volumes of WORKPLACE in the 2025 budget."
    )


def test_a_price_carried_from_the_year_before_is_accepted(tmp_path: Path, findings: Finder) -> None:
    """No 2025 price is delivered, but 2024 was charged by price list and 2025 has a budget
    line and planned volumes: the price is carried (int_price_list_prices_resolved)."""
    assert findings(with_price_list_year_before(base()), tmp_path) == []


def test_no_price_without_a_budget_line_to_carry_into(tmp_path: Path, findings: Finder) -> None:
    city = with_price_list_year_before(base())
    # 2025 has a forecast but no adopted budget: nothing to compute the carried price from.
    city = set_cell(city, PLAN, 0, "scenario", "forecast_1")
    city = set_cell(city, METHODS, 0, "scenario", "forecast_1")
    city = with_rows(city, METHODS, "2025,outcome,IT-DRIFT,R2,price_list,WORKPLACE,")
    city = set_cell(city, PLANNED, 1, "scenario", "forecast_1")
    found = only(findings(city, tmp_path), "no_price")
    assert found.source_rows == (4,)
    assert found.problem.endswith(
        "none can be carried from the settlement of 2024: plan/plan_amounts.csv has no 2025 "
        "budget line for it; its 2025 budget rule has no planned volume > 0 of 'WORKPLACE'"
    )


def test_no_price_after_a_year_not_charged_by_price_list(tmp_path: Path, findings: Finder) -> None:
    city = with_price_list_year_before(base())
    # 2024 was charged by a fixed key: there is no price-list settlement to carry.
    city = set_cell(city, METHODS, 1, "allocation_method", "fixed_key")
    city = set_cell(city, METHODS, 1, "driver_code", "")
    city = set_cell(city, METHODS, 1, "key_set", "K2024")
    city = with_rows(city, KEYS, "K2024,IT-DRIFT,SKO,1,2024-01-01,2024-12-31")
    found = only(findings(city, tmp_path), "no_price")
    assert found.problem.endswith(
        "none can be carried from the settlement of 2024: it has no ledger cost under a "
        "price-list rule in 2024"
    )


def test_direct_support_without_consumers(tmp_path: Path, findings: Finder) -> None:
    city = with_support_pool(base())
    city = with_rows(
        city, SUPPORT, "2025,outcome,IS-ADM,IT-DRIFT,headcount,1,1,step_down", header=SUPPORT_HEADER
    )
    city = with_rows(city, METHODS, "2025,outcome,IT-DRIFT,R2,direct,,")
    # IT-DRIFT's only direct charge of the year is in February, on the consumer's cost centre.
    city = replace_rows(
        city,
        LEDGER_JAN,
        "A,2,2025-01-20,2025-01,5400,SSC-1,IS-ADM,,Hyresvärd AB,300.00,Stöd januari",
        "A,2,2025-01-20,2025-01,1930,,,,Hyresvärd AB,-300.00,Stöd januari",
    )
    city = with_rows(
        city,
        LEDGER_FEB,
        "A,3,2025-02-10,2025-02,5400,SKO-1,IT-DRIFT,,Tryckeri AB,80.00,Trycksaker",
        "A,3,2025-02-10,2025-02,1930,,,,Tryckeri AB,-80.00,Trycksaker",
        header=LEDGER_HEADER,
    )
    found = only(findings(city, tmp_path), "direct_support_without_consumers")
    assert found.message == (
        "plan/service_methods.csv row 3, column 'key_set': service 'IT-DRIFT' is charged directly "
        "and receives support cost in 2025 (plan/support_allocations.csv row 2), from 2025-01 on, "
        "but has its first direct charge of the year only in 2025-02, and its outcome rule 'R2' "
        "names no key set, so nothing says who should carry the support cost before then; add a "
        "key set (the expected consumers' shares, plan/allocation_keys.csv) to the rule; support "
        "cost of a month without direct charges so far that year follows it."
    )
    # With a key set to fall back on, the same delivery is allocatable.
    fixed = set_cell(city, METHODS, 1, "key_set", "K2025")
    assert findings(fixed, tmp_path / "fixed") == []


def test_no_default_cost_centre(tmp_path: Path, findings: Finder) -> None:
    city = set_cell(base(), COST_CENTRES, 1, "is_default", "false")
    found = only(findings(city, tmp_path), "no_default_cost_centre")
    assert found.message == (
        "organisations/cost_centres.csv row 3, column 'is_default': organisation 'SKO' has no "
        "default cost centre valid in 2025 (amounts decided per organisation, fixed keys and "
        "support cost, land on it); mark exactly one of its cost centres valid in 2025 "
        "is_default = true."
    )


def test_support_pool_without_shares(tmp_path: Path, findings: Finder) -> None:
    city = with_support_pool(base())
    found = only(findings(city, tmp_path), "support_pool_without_shares")
    assert found.message == (
        "services/services.csv row 3, column 'is_support': support service 'IS-ADM' has 300.00 "
        "SEK of ledger cost in 2025 (ledger/ledger_2025-01.csv row 4) but gives nothing on in "
        "plan/support_allocations.csv for 2025, so its cost could not be charged on; add its "
        "receivers and shares for 2025 (scenario outcome) to plan/support_allocations.csv."
    )


def test_support_shares_not_summing_to_one(tmp_path: Path, findings: Finder) -> None:
    city = with_support_pool(base())
    city = with_rows(
        city,
        SUPPORT,
        "2025,outcome,IS-ADM,IT-DRIFT,headcount,0.5,1,step_down",
        header=SUPPORT_HEADER,
    )
    found = only(findings(city, tmp_path), "support_shares_not_summing_to_one")
    assert found.message == (
        "plan/support_allocations.csv row 2, column 'share': the shares of support pool 'IS-ADM' "
        "in 2025 sum to 0.5, not 1; correct the shares so that they sum to exactly 1 (the pool is "
        "passed on in full)."
    )


def test_support_not_support_service(tmp_path: Path, findings: Finder) -> None:
    city = with_service(base(), "IT-NÄT")
    city = with_rows(city, METHODS, "2025,budget,IT-NÄT,R2,fixed_key,,K2025")
    city = with_rows(city, KEYS, "K2025,IT-NÄT,SKO,1,2025-01-01,")
    city = with_rows(
        city, SUPPORT, "2025,outcome,IT-DRIFT,IT-NÄT,headcount,1,1,step_down", header=SUPPORT_HEADER
    )
    found = only(findings(city, tmp_path), "support_not_support_service")
    assert found.message == (
        "plan/support_allocations.csv row 2, column 'support_service_id': service 'IT-DRIFT' "
        "gives support cost in 2025 but is not a support service (services.is_support is false); "
        "only support services are charged on to other services; mark it is_support = true in "
        "services/services.csv (then it has no plan line and no rule but step_down or "
        "reciprocal), or remove the rows."
    )


def test_support_step_not_ordered(tmp_path: Path, findings: Finder) -> None:
    city = with_support_pool(base(), "IS-ADM")
    city = with_support_pool(city, "IS-LOK", "200.00")
    city = with_rows(
        city,
        SUPPORT,
        "2025,outcome,IS-LOK,IS-ADM,floor_area,0.2,1,step_down",
        "2025,outcome,IS-LOK,IT-DRIFT,floor_area,0.8,1,step_down",
        "2025,outcome,IS-ADM,IS-LOK,headcount,0.1,1,step_down",
        "2025,outcome,IS-ADM,IT-DRIFT,headcount,0.9,1,step_down",
        header=SUPPORT_HEADER,
    )
    found = [f for f in findings(city, tmp_path)]
    assert {f.check_name for f in found} == {"support_step_not_ordered"}
    assert [f.source_rows for f in found] == [(2,), (4,)]
    assert found[0].message == (
        "plan/support_allocations.csv row 2, column 'receiving_service_id': step-down pool "
        "'IS-LOK' (step 1) gives to pool 'IS-ADM', which gives in step 1 (the same or an earlier "
        "step): step-down passes cost on only to later steps; give 'IS-ADM' a later step_order, "
        "or remove the share."
    )


def test_more_step_down_steps_than_the_engine_unrolls_are_refused(
    tmp_path: Path, findings: Finder
) -> None:
    steps = max_step_down_steps()
    assert steps == 8
    city = base()
    pools = [f"IS-{n}" for n in range(1, steps + 2)]
    support_rows = []
    for n, pool in enumerate(pools, start=1):
        city = with_support_pool(city, pool, "100.00")
        receiver = pools[n] if n < len(pools) else "IT-DRIFT"
        support_rows.append(f"2025,outcome,{pool},{receiver},headcount,1,{n},step_down")
    city = with_rows(city, SUPPORT, *support_rows, header=SUPPORT_HEADER)
    found = only(findings(city, tmp_path), "support_step_not_ordered")
    assert found.source_rows == tuple(range(2, 2 + steps + 1))
    assert found.problem == "2025 has 9 step-down steps; at most 8 are allowed"
    # Eight steps are allocatable: IS-1 gives to IT-DRIFT alone, beside IS-2 in step 2.
    eight = with_rows(
        replace_rows(city, SUPPORT, *support_rows[1:]),
        SUPPORT,
        "2025,outcome,IS-1,IT-DRIFT,headcount,1,2,step_down",
    )
    assert findings(eight, tmp_path / "eight") == []


def test_reciprocal_without_solution(tmp_path: Path, findings: Finder) -> None:
    city = with_support_pool(base(), "IS-IT")
    city = with_support_pool(city, "IS-HR", "200.00")
    city = with_rows(
        city,
        SUPPORT,
        "2025,outcome,IS-IT,IS-HR,tickets,1,1,reciprocal",
        "2025,outcome,IS-HR,IS-IT,headcount,1,1,reciprocal",
        header=SUPPORT_HEADER,
    )
    found = [f for f in findings(city, tmp_path)]
    assert {f.check_name for f in found} == {"reciprocal_without_solution"}
    assert {f.value for f in found} == {"IS-IT", "IS-HR"}
    assert found[0].message == (
        "plan/support_allocations.csv row 2, column 'receiving_service_id': reciprocal pool "
        "'IS-IT' passes nothing on outside the reciprocal pools of 2025 (all its shares go, "
        "directly or through the others, back to the pools), so the system has no solution; give "
        "part of its shares to the services it supports."
    )
    # One of them passing a little on makes the pair solvable (through the other, too).
    solvable = replace_rows(
        city,
        SUPPORT,
        "2025,outcome,IS-IT,IS-HR,tickets,0.9,1,reciprocal",
        "2025,outcome,IS-IT,IT-DRIFT,tickets,0.1,1,reciprocal",
        "2025,outcome,IS-HR,IS-IT,headcount,1,1,reciprocal",
    )
    assert findings(solvable, tmp_path / "solvable") == []


def test_lineage_weights_not_summing_to_one(tmp_path: Path, findings: Finder) -> None:
    city = with_service(base(), "IT-NÄT")
    city = with_rows(city, METHODS, "2025,budget,IT-NÄT,R2,fixed_key,,K2025")
    city = with_rows(city, KEYS, "K2025,IT-NÄT,SKO,1,2025-01-01,")
    city = with_rows(
        city,
        LINEAGE,
        "IT-DRIFT,IT-DRIFT,rename,0.5,2025-01-01",
        "IT-DRIFT,IT-NÄT,split,0.4,2025-01-01",
    )
    found = only(findings(city, tmp_path), "lineage_weights_not_summing_to_one")
    assert found.message == (
        "services/service_lineage.csv rows 2-3, column 'weight': the weights of the successors of "
        "'IT-DRIFT' from 2025-01-01 sum to 0.9, not 1; correct the weights so that they sum to "
        "exactly 1 (a rename or a move has weight 1)."
    )


# Row rules that go with these checks --------------------------------------------------------


def test_support_allocations_of_a_plan_scenario_are_quarantined(
    tmp_path: Path, land: Lander
) -> None:
    city = with_support_pool(base())
    city = with_rows(
        city,
        SUPPORT,
        "2025,outcome,IS-ADM,IT-DRIFT,headcount,1,1,step_down",
        "2025,budget,IS-ADM,IT-DRIFT,headcount,1,1,step_down",
        header=SUPPORT_HEADER,
    )
    with land(city, tmp_path) as con:
        quarantined = con.execute(
            "select source_row, check_name, column_name, value, message from ops.quarantine "
            "where table_name = 'support_allocations'"
        ).fetchall()
        assert con.execute("select count(*) from raw.support_allocations").fetchone() == (1,)
        assert run_configuration_checks(con) == []
    assert quarantined == [
        (
            3,
            "value_not_allowed",
            "scenario",
            "budget",
            "plan/support_allocations.csv row 3: 'budget' is not an allowed scenario; support "
            "allocations apply to the outcome only (a plan's service lines already carry their part "
            "of the support cost, so this row would never be used); set the scenario to outcome or "
            "remove the row.",
        )
    ]


def test_an_empty_register_file_is_an_empty_register(tmp_path: Path) -> None:
    """A register delivered as a header alone is loaded with no rows (the minimal city's
    drivers); a monthly file like that is a broken export and is rejected."""
    city = with_rows(base(), "volumes/volumes_2025-01.csv", header=VOLUMES_HEADER)
    write_city(city, tmp_path / "landing")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        loads = {
            spec.table: load_table(con, spec, tmp_path / "landing", quarantine_dir=tmp_path / "q")
            for spec in TABLE_SPECS
        }
        assert [f.rows_read for f in loads["drivers"].files] == [0]
        assert con.execute("select count(*) from raw.drivers").fetchone() == (0,)
    assert [f.message for f in loads["volumes"].rejected] == [
        "volumes/volumes_2025-01.csv: the file has a header (row 1) but no data rows; "
        "export it again with the rows of the period, or remove the file."
    ]


@pytest.mark.slow
def test_the_blocking_check_stops_dbt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In Dagster: a refused configuration fails configuration_allocatable (ERROR), dbt and the
    publish step do not run, and the findings are in ops.check_results (source config)."""
    import dagster as dg

    from pipelines.runs import failure_lines, run_full_pipeline

    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    city = set_cell(base(), KEYS, 0, "share", "0.998")
    write_city(city, tmp_path / "landing")
    result = run_full_pipeline(dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert not result.success
    [evaluation] = [
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "configuration_allocatable"
    ]
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "raw/allocation_keys" in materialized
    assert not any(key.startswith(("stg_", "int_", "fct_", "serving/")) for key in materialized)
    lines = failure_lines(result)
    assert lines[0].startswith(
        "plan/allocation_keys.csv row 2, column 'share': the shares of key set 'K2025' for service "
        "'IT-DRIFT' valid in 2025 sum to 0.998, not 1"
    )
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        stored = con.execute(
            "select check_name, passed, message from ops.check_results where source = 'config' "
            "and not passed"
        ).fetchall()
    assert [(name, passed) for name, passed, _ in stored] == [("key_set_not_summing_to_one", False)]
    assert stored[0][2].startswith("plan/allocation_keys.csv row 2, column 'share'")


@pytest.mark.slow
def test_the_demo_city_passes_and_the_checks_map_the_ledger_as_the_engine(
    pipeline_run: PipelineRun,
) -> None:
    """The checks' own mapping of the ledger (a second implementation over raw text, so that it
    runs before dbt) gives the pools dbt gives, month by month and service by service."""
    assert pipeline_run.success
    with duckdb.connect(str(pipeline_run.warehouse)) as con:
        assert run_configuration_checks(con) == []
        prepare(con)
        differences = con.execute(
            """
            with checks as (
                select period, service_id, sum(amount_sek) as amount_sek
                from _cfg_service_months group by all
            ),
            engine as (
                select strftime(period_month, '%Y-%m') as period, service_id,
                       sum(pool_ore) / 100 as amount_sek
                from intermediate.int_outcome_pools_monthly
                where not is_unallocated group by all
            )
            select count(*), count(*) filter (where checks.amount_sek is distinct from engine.amount_sek)
            from checks full join engine using (period, service_id)
            """
        ).fetchone()
    assert differences is not None and differences[0] > 1000 and differences[1] == 0
