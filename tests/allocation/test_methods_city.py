"""Every allocation method in every scenario where the contract allows it, on a city small
enough to compute by hand: the files land through the real ingest (readers, row rules,
configuration checks), dbt builds the allocation (real models, real DuckDB) with its tests,
among them pool = allocated to the öre, and every amount is compared with the hand computation
in the docstring of each test.

The city (2025): producer SSC (cost centre SSC-1), consumers A (A-1 default, A-2) and B (B-1).
Services: FIX fixed_key, DRV driver_share, PRC price_list, DIR direct (budget rule with key set
KDIR, which the outcome falls back to), support pools SUP1 (step_down, step 1) and SUP2 / SUP3
(a reciprocal pair, step 2). Driver USERS.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from pipelines.defs.transform.dbt import dbt_executable
from pipelines.lib.configuration import run_configuration_checks
from pipelines.lib.landing import TABLE_SPECS, load_table
from pipelines.lib.settings import DBT_PROJECT_DIR
from tests.minimal_city import write_city

D = Decimal

CITY: dict[str, str] = {
    "organisations/organisations.csv": (
        "org_code,org_name,org_group,valid_from,valid_to,is_producer\n"
        "SSC,Servicecenter,Stöd,2025-01-01,,true\n"
        "A,Förvaltning A,Förvaltningar,2025-01-01,,false\n"
        "B,Förvaltning B,Förvaltningar,2025-01-01,,false\n"
    ),
    "organisations/cost_centres.csv": (
        "cost_centre_code,cost_centre_name,org_code,is_default,valid_from,valid_to\n"
        "SSC-1,Servicecenter,SSC,true,2025-01-01,\n"
        "A-1,A gemensamt,A,true,2025-01-01,\n"
        "A-2,A skola,A,false,2025-01-01,\n"
        "B-1,B gemensamt,B,true,2025-01-01,\n"
    ),
    "services/service_areas.csv": "service_area_code,name_sv,name_en\nIT,IT,IT\n",
    "services/services.csv": (
        "service_id,service_name_sv,former_name_sv,service_area_code,cost_type,is_adjustment,"
        "valid_from,valid_to,comment_sv,is_support\n"
        + "".join(
            f"{s},{s},,IT,maintenance,false,2025-01-01,,,{'true' if s.startswith('SUP') else 'false'}\n"
            for s in ("FIX", "DRV", "PRC", "DIR", "SUP1", "SUP2", "SUP3")
        )
    ),
    "services/service_lineage.csv": "from_service_id,to_service_id,relation,weight,effective_date\n",
    "volumes/drivers.csv": (
        "driver_code,unit_sv,unit_en,description_sv,description_en\n"
        "USERS,användarmånad,user-month,Användare,Users\n"
    ),
    "ledger/accounts.csv": (
        "fiscal_year,account,account_name,account_class\n"
        "2025,1930,Bank,balance\n2025,5400,IT-kostnader,cost\n"
    ),
    "ledger/mapping_rules.csv": (
        "rule_id,fiscal_year,priority,account_from,account_to,activity_code,cost_centre_code,"
        "project_code,service_id,cost_type\n"
        + "".join(
            f"M-{s},2025,10,4000,7999,{s},,,{s},maintenance\n"
            for s in ("FIX", "DRV", "PRC", "DIR", "SUP1", "SUP2", "SUP3")
        )
    ),
    "ledger/ledger_2025-01.csv": (
        "voucher_series,voucher_number,voucher_date,period,account,cost_centre_code,activity_code,"
        "project_code,counterparty,amount_sek,text\n"
        "A,1,2025-01-10,2025-01,5400,SSC-1,FIX,,Lev AB,1000.00,FIX\n"
        "A,1,2025-01-10,2025-01,1930,,,,Lev AB,-1000.00,FIX\n"
        "A,2,2025-01-10,2025-01,5400,SSC-1,DRV,,Lev AB,500.00,DRV\n"
        "A,2,2025-01-10,2025-01,1930,,,,Lev AB,-500.00,DRV\n"
        "A,3,2025-01-10,2025-01,5400,SSC-1,PRC,,Lev AB,700.00,PRC\n"
        "A,3,2025-01-10,2025-01,1930,,,,Lev AB,-700.00,PRC\n"
        "A,4,2025-01-10,2025-01,5400,A-2,DIR,,Tryckeri AB,200.00,Trycksaker A\n"
        "A,4,2025-01-10,2025-01,5400,B-1,DIR,,Tryckeri AB,100.00,Trycksaker B\n"
        "A,4,2025-01-10,2025-01,1930,,,,Tryckeri AB,-300.00,Trycksaker\n"
        "A,5,2025-01-10,2025-01,5400,SSC-1,SUP1,,Hyresvärd AB,300.00,Lokaler\n"
        "A,5,2025-01-10,2025-01,1930,,,,Hyresvärd AB,-300.00,Lokaler\n"
        "A,6,2025-01-10,2025-01,5400,SSC-1,SUP2,,Lev AB,90.00,Intern IT\n"
        "A,6,2025-01-10,2025-01,1930,,,,Lev AB,-90.00,Intern IT\n"
        "A,7,2025-01-10,2025-01,5400,SSC-1,SUP3,,Lev AB,60.00,Intern HR\n"
        "A,7,2025-01-10,2025-01,1930,,,,Lev AB,-60.00,Intern HR\n"
    ),
    "volumes/volumes_2025-01.csv": (
        "period,driver_code,cost_centre_code,quantity\n"
        "2025-01,USERS,A-1,3\n2025-01,USERS,A-2,1\n2025-01,USERS,B-1,6\n"
    ),
    "plan/plan_amounts.csv": (
        "fiscal_year,scenario,plan_version,service_id,cost_type,amount_sek\n"
        "2025,budget,Budget 2025,FIX,maintenance,1200.00\n"
        "2025,budget,Budget 2025,DRV,maintenance,2400.00\n"
        "2025,budget,Budget 2025,PRC,maintenance,3600.00\n"
        "2025,budget,Budget 2025,DIR,maintenance,600.00\n"
    ),
    "plan/service_methods.csv": (
        "fiscal_year,scenario,service_id,rule_id,allocation_method,driver_code,key_set\n"
        "2025,budget,FIX,R-FIX,fixed_key,,K\n"
        "2025,budget,DRV,R-DRV,driver_share,USERS,\n"
        "2025,budget,PRC,R-PRC,price_list,USERS,\n"
        "2025,budget,DIR,R-DIR,direct,,K\n"
        "2025,outcome,SUP1,R-SUP1,step_down,,\n"
        "2025,outcome,SUP2,R-SUP2,reciprocal,,\n"
        "2025,outcome,SUP3,R-SUP3,reciprocal,,\n"
    ),
    "plan/allocation_keys.csv": (
        "key_set,service_id,org_code,share,valid_from,valid_to\n"
        "K,FIX,A,0.25,2025-01-01,\nK,FIX,B,0.75,2025-01-01,\n"
        "K,DIR,A,0.5,2025-01-01,\nK,DIR,B,0.5,2025-01-01,\n"
    ),
    "plan/planned_volumes.csv": (
        "fiscal_year,scenario,driver_code,cost_centre_code,quantity\n"
        "2025,budget,USERS,A-1,30\n2025,budget,USERS,A-2,10\n2025,budget,USERS,B-1,60\n"
    ),
    "plan/price_list.csv": "fiscal_year,service_id,driver_code,unit_price_sek\n2025,PRC,USERS,3.00\n",
    "plan/support_allocations.csv": (
        "fiscal_year,scenario,support_service_id,receiving_service_id,basis,share,step_order,method\n"
        "2025,outcome,SUP1,FIX,floor_area,0.5,1,step_down\n"
        "2025,outcome,SUP1,DIR,floor_area,0.5,1,step_down\n"
        "2025,outcome,SUP2,SUP3,tickets,0.5,2,reciprocal\n"
        "2025,outcome,SUP2,DRV,tickets,0.5,2,reciprocal\n"
        "2025,outcome,SUP3,SUP2,headcount,0.5,2,reciprocal\n"
        "2025,outcome,SUP3,FIX,headcount,0.5,2,reciprocal\n"
    ),
}

# The models the allocation needs, with the tests whose every parent is among them
# (--indirect-selection cautious): keys, not-nulls, conservation, support pools net to zero.
DBT_SELECTION = [
    "+fct_allocation",
    "+fct_service_cost",
    "+fct_price_settlement",
    # what pipelines.lib.allocation.explain reads
    "+dim_allocation_key",
    "+dim_allocation_rule",
    "+dim_cost_centre",
    "+fct_driver_volume",
    "+fct_plan_line",
    "+fct_pool_ledger_row",
    "+fct_support_allocation",
    "+fct_support_cost_origin",
]


@pytest.fixture(scope="module")
def allocated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    root = tmp_path_factory.mktemp("methods-city")
    write_city(CITY, root / "landing")
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        for spec in TABLE_SPECS:
            load = load_table(con, spec, root / "landing", quarantine_dir=root / "quarantine")
            assert not load.rejected and not load.quarantined_by_check, (spec.table, load)
        assert [f.message for f in run_configuration_checks(con)] == []
    completed = subprocess.run(
        [
            dbt_executable(),
            "build",
            "--select",
            *DBT_SELECTION,
            "--indirect-selection",
            "cautious",
            "--exclude-resource-type",
            "unit_test",
            "--target-path",
            str(root / "target"),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        env={**os.environ, "FORDELA_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]
    assert "assert_allocation_conserves_pool" in completed.stdout
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def _amounts(con: duckdb.DuckDBPyConnection, scenario: str, month: str | None = None) -> dict:
    rows = con.execute(
        """
        select service_id, consumer_cost_centre_code, allocation_method,
               coalesce(support_service_id, ''), sum(amount_sek)
        from marts.fct_allocation
        where scenario = ? and (? is null or period_month = ?::date)
        group by all
        """,
        [scenario, month, month],
    ).fetchall()
    return {(s, cc, m, sup): amount for s, cc, m, sup, amount in rows}


@pytest.mark.slow
def test_every_method_in_the_budget(allocated: duckdb.DuckDBPyConnection) -> None:
    """Budget 2025 (whole year; each line is 12 equal monthly pools):
    FIX 1 200 by key K (A 0.25, B 0.75) on default cost centres: A-1 300, B-1 900.
    DRV 2 400 by planned USERS (A-1 30, A-2 10, B-1 60 of 100): 720, 240, 1 440.
    PRC 3 600 by the same volumes (its implied price 3 600 / 100 = 36 per user-month): 1 080,
    360, 2 160. DIR 600, direct in a plan scenario: by its key set (A 0.5, B 0.5) on default
    cost centres, keeping the method 'direct': A-1 300, B-1 300."""
    assert _amounts(allocated, "budget") == {
        ("FIX", "A-1", "fixed_key", ""): D("300.00"),
        ("FIX", "B-1", "fixed_key", ""): D("900.00"),
        ("DRV", "A-1", "driver_share", ""): D("720.00"),
        ("DRV", "A-2", "driver_share", ""): D("240.00"),
        ("DRV", "B-1", "driver_share", ""): D("1440.00"),
        ("PRC", "A-1", "price_list", ""): D("1080.00"),
        ("PRC", "A-2", "price_list", ""): D("360.00"),
        ("PRC", "B-1", "price_list", ""): D("2160.00"),
        ("DIR", "A-1", "direct", ""): D("300.00"),
        ("DIR", "B-1", "direct", ""): D("300.00"),
    }
    price = allocated.execute(
        "select distinct unit_price_sek from marts.fct_allocation where scenario = 'budget' "
        "and service_id = 'PRC'"
    ).fetchall()
    assert price == [(D("36.0000"),)]


@pytest.mark.slow
def test_every_method_in_the_outcome(allocated: duckdb.DuckDBPyConnection) -> None:
    """January 2025. Support first: SUP1 (step-down) passes 300 on, 150 to FIX and 150 to DIR.
    The reciprocal pair: T2 = 90 + 0.5 T3, T3 = 60 + 0.5 T2, so T2 = 160, T3 = 140 (exact);
    SUP2 passes 0.5 x 160 = 80 to DRV, SUP3 0.5 x 140 = 70 to FIX (80 + 70 = 90 + 60).
    FIX: own 1 000 by K: A-1 250, B-1 750; SUP1's 150 and SUP3's 70 per organisation by the
    same key on default cost centres: 37.50 / 112.50 and 17.50 / 52.50.
    DRV: own 500 by January's USERS (A-1 3, A-2 1, B-1 6): 150, 50, 300; SUP2's 80 per
    organisation (A 4 of 10, B 6 of 10) on default cost centres: A-1 32, B-1 48.
    PRC: price 3.00 x volume: A-1 9, A-2 3, B-1 18 (the rest of its 700 is settled).
    DIR: its ledger rows (A-2 200, B-1 100); SUP1's 150 by the organisations' direct charges
    of the month (A 200, B 100): A-1 100, B-1 50."""
    assert _amounts(allocated, "outcome", "2025-01-01") == {
        ("FIX", "A-1", "fixed_key", ""): D("250.00"),
        ("FIX", "B-1", "fixed_key", ""): D("750.00"),
        ("FIX", "A-1", "step_down", "SUP1"): D("37.50"),
        ("FIX", "B-1", "step_down", "SUP1"): D("112.50"),
        ("FIX", "A-1", "reciprocal", "SUP3"): D("17.50"),
        ("FIX", "B-1", "reciprocal", "SUP3"): D("52.50"),
        ("DRV", "A-1", "driver_share", ""): D("150.00"),
        ("DRV", "A-2", "driver_share", ""): D("50.00"),
        ("DRV", "B-1", "driver_share", ""): D("300.00"),
        ("DRV", "A-1", "reciprocal", "SUP2"): D("32.00"),
        ("DRV", "B-1", "reciprocal", "SUP2"): D("48.00"),
        ("PRC", "A-1", "price_list", ""): D("9.00"),
        ("PRC", "A-2", "price_list", ""): D("3.00"),
        ("PRC", "B-1", "price_list", ""): D("18.00"),
        ("DIR", "A-2", "direct", ""): D("200.00"),
        ("DIR", "B-1", "direct", ""): D("100.00"),
        ("DIR", "A-1", "step_down", "SUP1"): D("100.00"),
        ("DIR", "B-1", "step_down", "SUP1"): D("50.00"),
    }


@pytest.mark.slow
def test_the_outcome_pools_hold_what_support_gave(allocated: duckdb.DuckDBPyConnection) -> None:
    """Support pools net to zero; each service's pool is its own cost plus what it received;
    the month's pools add up to the ledger's 2 750 (PRC's 700 - 30 charged is its settlement)."""
    pools = dict(
        allocated.execute(
            "select service_id, amount_sek from marts.fct_service_cost where scenario = 'outcome'"
        ).fetchall()
    )
    assert pools == {
        "FIX": D("1220.00"),
        "DRV": D("580.00"),
        "PRC": D("700.00"),
        "DIR": D("450.00"),
        "SUP1": D("0.00"),
        "SUP2": D("0.00"),
        "SUP3": D("0.00"),
    }
    settlement = allocated.execute(
        "select cost_sek, charged_sek, surplus_deficit_sek from marts.fct_price_settlement"
    ).fetchall()
    assert settlement == [(D("700.00"), D("30.00"), D("-670.00"))]


@pytest.mark.slow
def test_the_new_rows_explain_themselves(allocated: duckdb.DuckDBPyConnection) -> None:
    """A direct service's plan row points at its key, its support row at the organisation's
    direct charges of the month; both break down exactly to their amounts."""
    from pipelines.lib.allocation.explain import explain

    plan = explain(
        allocated,
        period_month=date(2025, 3, 1),
        scenario="budget",
        service_id="DIR",
        consumer_cost_centre_code="A-1",
    )
    assert plan.amount_sek == D("25.00")
    assert [(d.kind, d.key_set, d.share) for d in plan.drivers] == [
        ("key_share", "K", D("0.500000000000"))
    ]

    outcome = explain(
        allocated,
        period_month=date(2025, 1, 1),
        scenario="outcome",
        service_id="DIR",
        consumer_cost_centre_code="A-1",
    )
    [line] = outcome.lines
    assert (line.support_service_id, line.amount_sek) == ("SUP1", D("100.00"))
    assert sum(c.amount_sek for c in line.components) == D("100.00")
    # SUP1's share row for DIR, then A's direct charge of January (the voucher's A-2 row)
    assert [(d.kind, d.cost_centre_code, d.source_row) for d in line.drivers] == [
        ("support_share", None, 3),
        ("ledger_row", "A-2", 8),
    ]
