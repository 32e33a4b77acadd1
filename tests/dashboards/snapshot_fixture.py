"""A small published snapshot (schema `marts`, plus `ops.publish_log`) with totals the tests know.

`uv run python -m tests.dashboards.snapshot_fixture /tmp/fixture.duckdb` writes one to try the app:
`FORDELA_SNAPSHOT=/tmp/fixture.duckdb uv run streamlit run dashboards/app.py`.
"""

from __future__ import annotations

import os
import stat
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

D = Decimal

# (org_code, org_name, org_group, org_group_sort)
ORGS: list[tuple[str, str, str, int]] = [
    ("N131", "Angered", "Stadsdelsförvaltningar", 1),
    ("N132", "Östra Göteborg", "Stadsdelsförvaltningar", 1),
    ("N133", "Örgryte-Härlanda", "Stadsdelsförvaltningar", 1),
    ("I060", "Intraservice", "Fackförvaltningar", 2),
    ("N610", "Utbildningsförvaltningen", "Fackförvaltningar", 2),
    ("B110", "Göteborg Energi AB", "Bolag", 3),
    ("B730", "Renova AB", "Bolag", 3),
    ("K171", "Räddningstjänsten Storgöteborg", "Kommunalförbund", 4),
    ("K920", "Samordningsförbundet Gbg - Hisingen", "Kommunalförbund", 4),
]

AREAS: list[tuple[str, str, str]] = [
    ("EHANDEL", "E-handel", "E-commerce / procure-to-pay"),
    ("EKONOMI", "Ekonomi", "Finance"),
    ("HR", "HR", "Human resources"),
    ("IT", "IT-tjänster", "IT services"),
    ("KOMMUNIKATION", "Kommunikation", "Communication"),
    ("LEDNING_STYRNING", "Ledning och styrning", "Management and governance"),
    ("UTBILDNING", "Utbildning", "Education"),
    ("VARD_OMSORG", "Vård och omsorg", "Health and social care"),
]

# (fiscal_year, scenario, plan_version); Utfall 2017 has no budget rows and must not be offered.
SCENARIOS: list[tuple[int, str, str]] = [
    (2016, "budget", "P0 2016"),
    (2016, "forecast_1", "P1 2016"),
    (2016, "outcome", "Utfall 2016"),
    (2017, "proposal", "Budget 2017"),
    (2017, "outcome", "Utfall 2017"),
]

# Area x cost type amounts in SEK, per plan version. None as area = a line outside the areas,
# named like the pipeline names it: Reglering (plans) or Ej fördelat (outcome).
AREA_AMOUNTS: dict[str, list[tuple[str | None, str, Decimal]]] = {
    "Budget 2017": [
        ("IT", "maintenance", D("339829000.00")),
        ("IT", "development", D("4600000.00")),
        ("HR", "maintenance", D("78113000.00")),
        ("HR", "development", D("3675000.00")),
        # Öre that round away: 38 396 049,99 kr -> 38 396,0 tkr.
        ("EKONOMI", "maintenance", D("38396049.99")),
        ("EKONOMI", "development", D("4200000.00")),
        # Exactly half a hundred kronor: rounds up, 30 000,5 tkr (half-even would give 30 000,4).
        ("VARD_OMSORG", "development", D("30000450.00")),
    ],
    "P0 2016": [
        ("IT", "maintenance", D("300000000.00")),
        ("IT", "development", D("5400000.00")),
        ("HR", "maintenance", D("75869000.00")),
    ],
    "P1 2016": [
        ("IT", "maintenance", D("301474000.00")),
        ("IT", "development", D("5400000.00")),
        ("HR", "maintenance", D("75869000.00")),
        (None, "maintenance", D("-1474000.00")),
    ],
    "Utfall 2016": [
        ("IT", "maintenance", D("290000000.00")),
        ("HR", "maintenance", D("70000000.00")),
        (None, "maintenance", D("1234567.89")),
    ],
}
OTHER_LINE_NAMES = {"P1 2016": "Reglering", "Utfall 2016": "Ej fördelat"}

ORG_AMOUNTS: dict[str, dict[str, Decimal]] = {
    "Budget 2017": {
        "N131": D("200000000.00"),
        "N132": D("150000000.00"),
        "N133": D("51055000.00"),
        "I060": D("40000000.00"),
        "N610": D("30000000.00"),
        "B110": D("20000000.00"),
        "B730": D("3664499.99"),
        "K171": D("4000000.00"),
        "K920": D("94000.00"),
    },
    "P0 2016": {
        "N131": D("100000000.00"),
        "N132": D("100000000.00"),
        "N133": D("81269000.00"),
        "I060": D("50000000.00"),
        "N610": D("30000000.00"),
        "B110": D("10000000.00"),
        "B730": D("5000000.00"),
        "K171": D("4000000.00"),
        "K920": D("1000000.00"),
    },
}
ORG_AMOUNTS["P1 2016"] = dict(ORG_AMOUNTS["P0 2016"])
# The unallocated outcome pool reaches no organisation.
ORG_AMOUNTS["Utfall 2016"] = {"N131": D("200000000.00"), "N132": D("160000000.00")}

# What the budget page must print for the fixture (Swedish, non-breaking spaces).
NB = "\u00a0"
EXPECTED_SV: dict[str, dict[str, Any]] = {
    "Budget 2017": {
        "total": f"498{NB}813,5{NB}tkr",
        "maintenance": f"456{NB}338,0{NB}tkr",
        "development": f"42{NB}475,5{NB}tkr",
        "groups": {
            "Stadsdelsförvaltningar": f"401{NB}055,0{NB}tkr",
            "Fackförvaltningar": f"70{NB}000,0{NB}tkr",
            "Bolag": f"23{NB}664,5{NB}tkr",
            "Kommunalförbund": f"4{NB}094,0{NB}tkr",
        },
        "N131": f"200{NB}000,0{NB}tkr",
        "VARD_OMSORG": f"30{NB}000,5{NB}tkr",
    },
    "P0 2016": {
        "total": f"381{NB}269,0{NB}tkr",
        "maintenance": f"375{NB}869,0{NB}tkr",
        "development": f"5{NB}400,0{NB}tkr",
    },
    "P1 2016": {
        "total": f"381{NB}269,0{NB}tkr",
        "maintenance": f"377{NB}343,0{NB}tkr",
        "Reglering": f"-1{NB}474,0{NB}tkr",
    },
    "Utfall 2016": {
        "total": f"361{NB}234,6{NB}tkr",
        "maintenance": f"360{NB}000,0{NB}tkr",
        "development": f"0,0{NB}tkr",
        "Ej fördelat": f"1{NB}234,6{NB}tkr",
    },
}

PLAN_VERSION_KEYS = {label: (fy, sc) for fy, sc, label in SCENARIOS}

DDL = """
create schema marts;
create schema ops;
create table marts.dim_organisation (
    org_code varchar, org_name varchar, org_group varchar, org_group_sort integer,
    valid_from date, valid_to date
);
create table marts.dim_cost_centre (
    cost_centre_code varchar, cost_centre_name varchar, org_code varchar, is_default boolean,
    valid_from date, valid_to date
);
create table marts.dim_service_area (service_area_code varchar, name_sv varchar, name_en varchar);
create table marts.dim_service (
    service_version_key varchar, service_id varchar, service_name_sv varchar,
    former_name_sv varchar, service_area_code varchar, cost_type varchar, is_adjustment boolean,
    valid_from date, valid_to date, is_current boolean
);
create table marts.dim_scenario (fiscal_year integer, scenario varchar, plan_version varchar);
create table marts.fct_service_cost (
    period_month date, fiscal_year integer, scenario varchar, service_id varchar,
    service_area_code varchar, cost_type varchar, amount_sek decimal(18, 2)
);
create table marts.fct_allocation (
    period_month date, fiscal_year integer, scenario varchar, service_id varchar,
    service_area_code varchar, consumer_org_code varchar, consumer_cost_centre_code varchar,
    allocation_method varchar, rule_id varchar, driver_code varchar,
    driver_volume decimal(18, 4), share decimal(18, 12), unit_price_sek decimal(18, 2),
    amount_sek decimal(18, 2), cost_type varchar
);
create table marts.rpt_budget_org_year (
    fiscal_year integer, scenario varchar, plan_version varchar, org_code varchar,
    org_name varchar, org_group varchar, org_group_sort integer, amount_sek decimal(18, 2)
);
create table marts.rpt_budget_area_year (
    fiscal_year integer, scenario varchar, plan_version varchar, service_area_code varchar,
    service_area_name_sv varchar, cost_type varchar, amount_sek decimal(18, 2)
);
create table marts.rpt_budget_service_year (
    fiscal_year integer, scenario varchar, plan_version varchar, service_id varchar,
    service_name_sv varchar, service_area_code varchar, cost_type varchar,
    amount_sek decimal(18, 2)
);
create table ops.publish_log (published_at timestamp, run_id varchar, snapshot_file varchar);
"""

PUBLISHED_AT = datetime(2017, 3, 1, 11, 30, 0)


def build_snapshot(path: Path, read_only_file: bool = True) -> Path:
    """Write the fixture snapshot to `path` (replacing it) and make it read-only like a publish."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        path.unlink()
    area_names = {code: name for code, name, _ in AREAS}
    org_lookup = {o[0]: o for o in ORGS}
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        con.executemany(
            "insert into marts.dim_organisation values (?, ?, ?, ?, date '2016-01-01', null)",
            ORGS,
        )
        con.executemany(
            "insert into marts.dim_cost_centre values (?, ?, ?, true, date '2016-01-01', null)",
            [(f"{code}-0001", f"{name} förvaltningsgemensamt", code) for code, name, _, _ in ORGS],
        )
        con.executemany("insert into marts.dim_service_area values (?, ?, ?)", AREAS)
        con.executemany("insert into marts.dim_scenario values (?, ?, ?)", SCENARIOS)
        con.execute(
            "insert into marts.dim_service values "
            "('IT-ARB|2016', 'IT-ARB', 'IT-arbetsplats', null, 'IT', 'maintenance', false, "
            "date '2016-01-01', null, true), "
            "('REGLERING|2016', 'REGLERING', 'Reglering', null, null, 'maintenance', true, "
            "date '2016-01-01', null, true)"
        )
        for label, rows in AREA_AMOUNTS.items():
            fy, scenario = PLAN_VERSION_KEYS[label]
            con.executemany(
                "insert into marts.rpt_budget_area_year values (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        fy,
                        scenario,
                        label,
                        area,
                        area_names[area] if area else OTHER_LINE_NAMES[label],
                        cost_type,
                        amount,
                    )
                    for area, cost_type, amount in rows
                ],
            )
        for label, amounts in ORG_AMOUNTS.items():
            fy, scenario = PLAN_VERSION_KEYS[label]
            con.executemany(
                "insert into marts.rpt_budget_org_year values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        fy,
                        scenario,
                        label,
                        code,
                        org_lookup[code][1],
                        org_lookup[code][2],
                        org_lookup[code][3],
                        amount,
                    )
                    for code, amount in amounts.items()
                ],
            )
        con.execute(
            "insert into marts.fct_allocation values (date '2017-01-01', 2017, 'proposal', "
            "'IT-ARB', 'IT', 'N131', 'N131-0001', 'fixed_key', 'ALLOC-2017-proposal-IT-ARB', "
            "null, null, 0.5, null, 1000.00, 'maintenance')"
        )
        con.execute(
            "insert into ops.publish_log values (?, 'fixture-run', ?)", [PUBLISHED_AT, path.name]
        )
    finally:
        con.close()
    if read_only_file:
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("FORDELA_SNAPSHOT", ""))
    if not str(target):
        sys.exit("usage: python -m tests.dashboards.snapshot_fixture <path.duckdb>")
    print(build_snapshot(target))
