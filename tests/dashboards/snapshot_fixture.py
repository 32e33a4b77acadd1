"""A small published snapshot (schemas `marts` and `ops`) whose totals the tests know.

`uv run python -m tests.dashboards.snapshot_fixture /tmp/fixture.duckdb` writes one to try the app:
`FORDELA_SNAPSHOT=/tmp/fixture.duckdb uv run streamlit run dashboards/app.py`.
"""

from __future__ import annotations

import os
import stat
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from pipelines.lib.allocation.largest_remainder import split_in_order
from tests.dbt_macros import MART_MACROS, SENTENCE_MACROS, render_model

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

# The groups' names as dim_organisation carries them from the city's org_groups register (the
# demo city's groups: demo data). The pages show these, never a list of their own.
GROUP_NAMES: dict[str, tuple[str, str]] = {
    "Stadsdelsförvaltningar": ("Stadsdelsförvaltningar", "District administrations"),
    "Fackförvaltningar": ("Fackförvaltningar", "Specialist administrations"),
    "Bolag": ("Bolag", "Municipal companies"),
    "Kommunalförbund": ("Kommunalförbund", "Joint municipal authorities"),
}
# The organisation that produces the services (dim_organisation.is_producer): its ledger rows are
# the pool behind every consumer's charges.
PRODUCERS = {"I060"}

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
    # The adopted 2017 budget (P0 2017) equals the proposal, as in the city's data.
    (2017, "budget", "P0 2017"),
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
AREA_AMOUNTS["P0 2017"] = list(AREA_AMOUNTS["Budget 2017"])
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
ORG_AMOUNTS["P0 2017"] = dict(ORG_AMOUNTS["Budget 2017"])
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

# --- Beyond the budget page: services, monthly pools, allocations, ops tables --------------------

# An organisation that exists in 2016 only (like B111/B115, wound up at the end of 2016): it is
# offered for 2016 and not for 2017. It has no budget rows, so the budget page never shows it.
ENDED_ORGS: list[tuple[str, str, str, int]] = [("B111", "Göteborg Energi Nät AB", "Bolag", 3)]

# Cost centres: every organisation has its default (förvaltningsgemensamt) one; two have more.
COST_CENTRES: dict[str, list[tuple[str, str, int]]] = {
    # org: [(code, name, weight for volume-driven services)]
    "N131": [
        ("N131-0001", "Angered förvaltningsgemensamt", 6),
        ("N131-0002", "Angered hemtjänst 1", 3),
        ("N131-0003", "Angered grundskola Hammarkullen", 1),
    ],
    "N132": [
        ("N132-0001", "Östra Göteborg förvaltningsgemensamt", 7),
        ("N132-0002", "Östra Göteborg äldreboende", 3),
    ],
}

# (service_id, name, former name, area, cost type, comment, valid_from, valid_to)
SERVICE_VERSIONS: list[
    tuple[str, str, str | None, str | None, str, str | None, str, str | None]
] = [
    ("IT-ARB", "IT-arbetsplats", None, "IT", "maintenance", None, "2016-01-01", None),
    ("IT-DEV", "Utvecklingsinitiativ IT", None, "IT", "development", None, "2016-01-01", None),
    ("HR-LON", "Lönehantering", None, "HR", "maintenance", None, "2016-01-01", None),
    ("HR-DEV", "Utvecklingsinitiativ HR", None, "HR", "development", None, "2017-01-01", None),
    ("EK-RED", "UBW/Agresso", None, "EKONOMI", "maintenance", None, "2016-01-01", "2016-12-31"),
    (
        "EK-RED",
        "Redovisning, Drift",
        "UBW/Agresso",
        "EKONOMI",
        "maintenance",
        "Namnbyte",
        "2017-01-01",
        None,
    ),
    (
        "EK-DEV",
        "Utvecklingsinitiativ Ekonomi",
        None,
        "EKONOMI",
        "development",
        None,
        "2017-01-01",
        None,
    ),
    (
        "VO-DEV",
        "Utvecklingsinitiativ Vård och omsorg",
        None,
        "VARD_OMSORG",
        "development",
        None,
        "2017-01-01",
        None,
    ),
    ("KOM-TEL", "Telefoni", None, "IT", "maintenance", None, "2016-01-01", "2016-12-31"),
    (
        "KOM-TEL",
        "Telefoni",
        None,
        "KOMMUNIKATION",
        "maintenance",
        "Överförd från IT-tjänster",
        "2017-01-01",
        None,
    ),
    ("REGLERING", "Reglering", None, None, "maintenance", None, "2016-01-01", None),
]
SERVICE_AREA = {s[0]: s[3] for s in SERVICE_VERSIONS}
SERVICE_COST_TYPE = {s[0]: s[4] for s in SERVICE_VERSIONS}

# How each service is allocated: (method, driver, reference SEK per unit for fixture volumes).
METHODS: dict[str, tuple[str, str | None, Decimal | None]] = {
    "IT-ARB": ("price_list", "WORKPLACE", D("285.94")),
    "HR-LON": ("driver_share", "HEADCOUNT", D("2800")),
    "EK-RED": ("fixed_key", None, None),
    "IT-DEV": ("fixed_key", None, None),
    "HR-DEV": ("fixed_key", None, None),
    "EK-DEV": ("fixed_key", None, None),
    "VO-DEV": ("fixed_key", None, None),
    "REGLERING": ("fixed_key", None, None),
}

# Annual pools per plan version (and Utfall 2016), SEK; they add up to AREA_AMOUNTS per area.
# Reglering first: a negative line is easier to split before the others.
SERVICE_POOLS: dict[str, dict[str, Decimal]] = {
    "Budget 2017": {
        "IT-ARB": D("339829000.00"),
        "IT-DEV": D("4600000.00"),
        "HR-LON": D("78113000.00"),
        "HR-DEV": D("3675000.00"),
        "EK-RED": D("38396049.99"),
        "EK-DEV": D("4200000.00"),
        "VO-DEV": D("30000450.00"),
    },
    "P0 2016": {
        "IT-ARB": D("300000000.00"),
        "IT-DEV": D("5400000.00"),
        "HR-LON": D("75869000.00"),
    },
    "P1 2016": {
        "REGLERING": D("-1474000.00"),
        "IT-ARB": D("301474000.00"),
        "IT-DEV": D("5400000.00"),
        "HR-LON": D("75869000.00"),
    },
    "Utfall 2016": {"IT-ARB": D("290000000.00"), "HR-LON": D("70000000.00")},
}
SERVICE_POOLS["P0 2017"] = dict(SERVICE_POOLS["Budget 2017"])
# The unallocated outcome pool of 2016 (ledger rows no mapping rule covers): 1 234 567,89 kr.
UNALLOCATED_2016: list[tuple[str, Decimal]] = [
    ("2016-04-01", D("1000000.00")),
    ("2016-09-01", D("234567.89")),
]

# Outcome 2017, January to June (the fixture's "as of" month is June 2017).
OUTCOME_2017_MONTHS = [f"2017-{m:02d}-01" for m in range(1, 7)]
OUTCOME_2017_POOLS: dict[str, list[Decimal]] = {
    "IT-ARB": [
        D(v)
        for v in (
            "29400000.00",
            "29100000.00",
            "29600000.00",
            "28800000.00",
            "29900000.00",
            "30200000.00",
        )
    ],
    "HR-LON": [
        D(v)
        for v in (
            "6600000.00",
            "6500000.00",
            "6800000.00",
            "6700000.00",
            "6900000.00",
            "6600000.00",
        )
    ],
    "EK-RED": [
        D(v)
        for v in (
            "3300000.00",
            "3250000.00",
            "3310000.00",
            "3290000.00",
            "3400000.00",
            "3280000.00",
        )
    ],
    "IT-DEV": [
        D(v) for v in ("200000.00", "300000.00", "350000.00", "400000.00", "380000.00", "420000.00")
    ],
    "HR-DEV": [
        D(v) for v in ("250000.00", "260000.00", "240000.00", "300000.00", "310000.00", "330000.00")
    ],
    "EK-DEV": [
        D(v) for v in ("300000.00", "320000.00", "340000.00", "360000.00", "380000.00", "400000.00")
    ],
    "VO-DEV": [
        D(v)
        for v in (
            "1800000.00",
            "2200000.00",
            "2600000.00",
            "2400000.00",
            "2900000.00",
            "3100000.00",
        )
    ],
}
# The price per workplace and month in 2017, carried from the 2016 settlement (no 2017 price
# list delivered: price_source 'carried'), and the monthly volume growth.
PRICE_2017 = D("285.94")
VOLUME_GROWTH_2017 = [D(v) for v in ("1.000", "1.004", "1.009", "1.013", "1.018", "1.022")]

PUBLISHED_AT = datetime(2017, 3, 1, 11, 30, 0)

DDL = """
create schema marts;
create schema ops;
create table marts.dim_organisation (
    org_code varchar, org_name varchar, org_group varchar, org_group_name_sv varchar,
    org_group_name_en varchar, org_group_sort integer, valid_from date, valid_to date,
    is_producer boolean
);
create table marts.dim_cost_centre (
    cost_centre_code varchar, org_code varchar, cost_centre_name varchar, is_default boolean,
    valid_from date, valid_to date
);
create table marts.dim_service_area (service_area_code varchar, name_sv varchar, name_en varchar);
create table marts.dim_service (
    service_version_key varchar, service_id varchar, service_area_code varchar,
    service_name_sv varchar, former_name_sv varchar, cost_type varchar, comment_sv varchar,
    is_adjustment boolean, is_current boolean, valid_from date, valid_to date
);
create table marts.dim_scenario (
    fiscal_year integer, scenario varchar, plan_version varchar, scenario_sort integer,
    is_outcome boolean, is_year_budget boolean, is_latest_forecast boolean
);
create table marts.fct_service_cost (
    period_month date, fiscal_year integer, scenario varchar, service_id varchar,
    service_area_code varchar, cost_type varchar, amount_sek decimal(18, 2),
    is_unallocated boolean, is_adjustment boolean,
    direct_cost_sek decimal(18, 2), step_down_received_sek decimal(18, 2),
    reciprocal_received_sek decimal(18, 2), passed_on_sek decimal(18, 2), is_support boolean
);
create table marts.fct_allocation (
    period_month date, fiscal_year integer, scenario varchar, service_id varchar,
    service_area_code varchar, consumer_org_code varchar, consumer_cost_centre_code varchar,
    allocation_method varchar, rule_id varchar, driver_code varchar,
    driver_volume decimal(18, 3), share decimal(18, 12), unit_price_sek decimal(18, 4),
    amount_sek decimal(18, 2), cost_type varchar, support_service_id varchar,
    price_source varchar
);
create table marts.fct_price_settlement (
    fiscal_year integer, service_id varchar, driver_code varchar, price_source varchar,
    next_year_price_source varchar, unit_price_sek decimal(18, 4), cost_sek decimal(18, 2),
    charged_sek decimal(18, 2), surplus_deficit_sek decimal(18, 2), carried_to_year integer,
    spread_years integer, carried_to_next_year_sek decimal(18, 2),
    carried_into_next_year_sek decimal(18, 2), next_year_budget_sek decimal(18, 2),
    next_year_planned_volume decimal(18, 3), next_year_unit_price_sek decimal(18, 4),
    next_year_published_unit_price_sek decimal(18, 4)
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
create table ops.landed_files (
    file_hash varchar, table_name varchar, relative_path varchar, logical_key varchar,
    size_bytes bigint, rows_read bigint, loaded_at timestamp, status varchar,
    superseded_by varchar, partition_key varchar, file_format varchar, rows_staged bigint,
    rows_quarantined bigint
);
create table ops.check_results (
    checked_at timestamp, run_id varchar, source varchar, check_name varchar,
    asset_key varchar, severity varchar, passed boolean, expectation varchar,
    column_name varchar, element_count bigint, unexpected_count bigint,
    sample_values varchar, sample_rows varchar, message varchar
);
create table ops.quarantine (
    file_hash varchar, source_file varchar, source_row bigint, table_name varchar,
    stage varchar, check_name varchar, column_name varchar, value varchar, message varchar,
    raw_record json, quarantined_at timestamp
);
create table ops.file_errors (
    file_hash varchar, source_file varchar, table_name varchar, logical_key varchar,
    message varchar, moved_to varchar, error_at timestamp, resolved_at timestamp,
    resolution varchar
);
"""

# Marts the allocation engine and budget-versus-outcome work added after the first pages, with
# the columns of their dbt contracts that the dashboards read.
LATER_MARTS_DDL = """
create table marts.rpt_budget_vs_outcome_monthly (
    fiscal_year integer, period_month date, plan_scenario varchar, plan_version varchar,
    service_id varchar, service_area_code varchar, cost_type varchar, consumer_org_code varchar,
    service_name_sv varchar, org_name varchar, decomposition_method varchar,
    driver_code varchar, unit_sv varchar, unit_en varchar,
    plan_sek decimal(18, 2), outcome_sek decimal(18, 2), variance_sek decimal(18, 2),
    volume_effect_sek decimal(18, 2), price_effect_sek decimal(18, 2),
    key_effect_sek decimal(18, 2), mix_residual_sek decimal(18, 2),
    plan_volume decimal(18, 3), outcome_volume decimal(18, 3),
    plan_ytd_sek decimal(18, 2), outcome_ytd_sek decimal(18, 2), variance_ytd_sek decimal(18, 2),
    volume_effect_ytd_sek decimal(18, 2), price_effect_ytd_sek decimal(18, 2),
    key_effect_ytd_sek decimal(18, 2), mix_residual_ytd_sek decimal(18, 2),
    plan_volume_ytd decimal(18, 3), outcome_volume_ytd decimal(18, 3),
    plan_full_year_sek decimal(18, 2), sentence_sv varchar, sentence_en varchar,
    sentence_ytd_sv varchar, sentence_ytd_en varchar, is_latest_forecast boolean,
    has_plan boolean, is_uncharged boolean, is_adjustment boolean
);
create table marts.rpt_year_end_forecast (
    fiscal_year integer, as_of_month date, service_id varchar, cost_type varchar,
    as_of_month_number integer, service_area_code varchar, service_name_sv varchar,
    profile_basis varchar, ytd_outcome_sek decimal(18, 2), profile_share_ytd decimal(9, 6),
    forecast_full_year_sek decimal(18, 2), budget_sek decimal(18, 2),
    difference_vs_budget_sek decimal(18, 2), actual_full_year_sek decimal(18, 2),
    is_unallocated boolean, is_adjustment boolean
);
create table marts.fct_initiative_plan_vs_spend (
    initiative_id varchar, fiscal_year integer, service_area_code varchar, service_id varchar,
    name_sv varchar, priority integer, financing_channel varchar, status varchar,
    benefit_indicator_code varchar, plan_sek decimal(18, 2), spend_sek decimal(18, 2),
    remaining_sek decimal(18, 2), spend_share decimal(9, 4), benefit_indicator_value decimal(18, 6),
    benefit_indicator_target decimal(18, 6), as_of_month date, is_benefit_target_met boolean
);
create table marts.fct_kpi (
    kpi_code varchar, period_month date, org_code varchar, fiscal_year integer,
    kpi_name_sv varchar, kpi_name_en varchar, unit varchar, target_direction varchar,
    numerator decimal(18, 3), denominator decimal(18, 3), value decimal(18, 6),
    target decimal(18, 6), target_valid_from date, is_city_wide boolean,
    is_target_in_force boolean, is_target_met boolean
);
create table marts.rpt_reconciliation_published (
    plan_version varchar, source varchar, line_key varchar, level varchar,
    service_area_code varchar, code varchar, cost_type varchar, label_sv varchar,
    line_order integer, difference_code varchar, difference_description_sv varchar,
    difference_description_en varchar, warehouse_sek decimal(18, 2), warehouse_tkr bigint,
    published_tkr bigint, difference_tkr bigint, explained_min_tkr bigint,
    explained_max_tkr bigint, is_version_in_plan boolean, is_printed boolean,
    is_named_difference boolean, is_explained boolean
);
create table marts.dim_service_comparable (
    service_id varchar, comparable_service_id varchar, comparable_service_area_code varchar,
    comparable_service_name_sv varchar, relation varchar, hops integer, weight decimal(18, 12)
);
create table marts.rpt_service_like_for_like_year (
    fiscal_year integer, scenario varchar, plan_version varchar, comparable_service_id varchar,
    comparable_service_name_sv varchar, comparable_service_area_code varchar,
    amount_sek decimal(18, 2), own_amount_sek decimal(18, 2)
);
create table marts.fct_pool_ledger_row (
    source_file varchar, source_row bigint, service_id varchar, mapping_rule_id varchar,
    voucher_series varchar, voucher_number varchar, account varchar, cost_centre_code varchar,
    activity_code varchar, project_code varchar, initiative_id varchar, counterparty varchar,
    period_month date, fiscal_year integer, voucher_date date, cost_type varchar,
    account_class varchar, text varchar, amount_sek decimal(18, 2), is_unallocated boolean,
    file_hash varchar
);
create table marts.fct_driver_volume (
    source_file varchar, source_row bigint, scenario varchar, driver_code varchar,
    cost_centre_code varchar, fiscal_year integer, period_month date, quantity decimal(18, 3)
);
create table marts.dim_allocation_rule (
    fiscal_year integer, scenario varchar, service_id varchar, rule_id varchar,
    allocation_method varchar, driver_code varchar, key_set varchar, source_scenario varchar,
    source_file varchar, source_row bigint, file_hash varchar
);
create table marts.dim_allocation_key (
    key_set varchar, service_id varchar, org_code varchar, valid_from date, valid_to date,
    share decimal(18, 12), source_file varchar, source_row bigint
);
create table marts.fct_plan_line (
    fiscal_year integer, scenario varchar, service_id varchar, plan_version varchar,
    cost_type varchar, amount_sek decimal(18, 2), source_file varchar, source_row bigint,
    file_hash varchar
);
create table marts.fct_support_allocation (
    period_month date, fiscal_year integer, scenario varchar, support_service_id varchar,
    receiving_service_id varchar, rule_id varchar, allocation_method varchar, step_order integer,
    basis varchar, share decimal(18, 12), amount_sek decimal(18, 2), is_within_group boolean,
    share_source_file varchar, share_source_row bigint
);
create table marts.fct_support_cost_origin (
    period_month date, fiscal_year integer, support_service_id varchar, origin_service_id varchar,
    origin_share decimal(18, 12), origin_sek decimal(18, 2), total_sek decimal(18, 2)
);
"""
UNITS = {
    "WORKPLACE": ("arbetsplatsmånad", "workplace-month"),
    "HEADCOUNT": ("anställd", "employee"),
}

ORE = 100


def _ore(amount: Decimal) -> int:
    return int((amount * ORE).to_integral_value())


def _sek(ore: int) -> Decimal:
    return (Decimal(ore) / ORE).quantize(Decimal("0.01"))


def _insert_many(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert through Arrow (executemany prepares every row and is slow for thousands).
    Values travel as text where they are Decimals or dates; the table's types cast them."""
    import pyarrow as pa

    columns = [r[0] for r in con.execute(f"describe {table}").fetchall()]
    if not rows:
        return

    def plain(value: Any) -> Any:
        return str(value) if isinstance(value, Decimal | date) else value

    batch = pa.table({c: pa.array([plain(r[i]) for r in rows]) for i, c in enumerate(columns)})
    con.register("_fixture_batch", batch)
    try:
        con.execute(f"insert into {table} select * from _fixture_batch")
    finally:
        con.unregister("_fixture_batch")


def _price_source(row: tuple[Any, ...], carried_year: int | None = None) -> str | None:
    """fct_allocation.price_source of a fixture row (scenario at 2, method at 7): outcome
    price-list rows only; the fixture's 2017 price is carried, 2016's delivered."""
    if row[2] != "outcome" or row[7] != "price_list":
        return None
    return "carried" if row[1] == carried_year else "delivered"


def _months(year: int) -> list[str]:
    return [f"{year}-{m:02d}-01" for m in range(1, 13)]


def _org_service_matrix(
    org_totals: dict[str, Decimal], pools: dict[str, Decimal]
) -> dict[tuple[str, str], int]:
    """Öre per organisation x service whose rows add up to the organisation totals and whose
    columns add up to the pools, exactly (the last service takes what is left of each row)."""
    orgs = list(org_totals)
    weights = [_ore(org_totals[o]) for o in orgs]
    services = list(pools)
    matrix: dict[tuple[str, str], int] = {}
    for service in services[:-1]:
        for org, part in zip(orgs, split_in_order(_ore(pools[service]), weights), strict=True):
            matrix[(org, service)] = part
    last = services[-1]
    for org in orgs:
        matrix[(org, last)] = _ore(org_totals[org]) - sum(matrix[(org, s)] for s in services[:-1])
    return matrix


def _cost_centres(org: str) -> list[tuple[str, str, int]]:
    return COST_CENTRES.get(org, [(f"{org}-0001", f"{_org_name(org)} förvaltningsgemensamt", 1)])


def _org_name(code: str) -> str:
    return {o[0]: o[1] for o in ORGS + ENDED_ORGS}[code]


def _cc_parts(org: str, service: str, annual_ore: int) -> list[tuple[str, int]]:
    """A service's annual öre for one organisation over its cost centres: volume-driven
    services by the cost centres' weights, fixed keys on the default cost centre."""
    centres = _cost_centres(org)
    if METHODS[service][0] == "fixed_key":
        return [(centres[0][0], annual_ore)]
    parts = split_in_order(annual_ore, [w for _, _, w in centres])
    return [(code, part) for (code, _, _), part in zip(centres, parts, strict=True)]


def _allocation_rows(
    label: str, fiscal_year: int, scenario: str
) -> tuple[list[tuple[Any, ...]], dict[tuple[str, str], int], dict[tuple[str, str], Decimal]]:
    """Monthly fct_allocation rows of a plan version (or Utfall 2016), the pools per service and
    month they add up to, and the annual volume per (cost centre, service)."""
    pools = SERVICE_POOLS[label]
    org_totals = ORG_AMOUNTS[label]
    matrix = _org_service_matrix(org_totals, pools)
    rows: list[tuple[Any, ...]] = []
    month_pools: dict[tuple[str, str], int] = {}
    volumes: dict[tuple[str, str], Decimal] = {}
    for service, pool in pools.items():
        method, driver, per_unit = METHODS[service]
        cells = [
            (org, cc, part)
            for org in org_totals
            for cc, part in _cc_parts(org, service, matrix[(org, service)])
        ]
        total_volume = Decimal(0)
        for _org, cc, part in cells:
            if per_unit is not None:
                volumes[(cc, service)] = (_sek(part) / per_unit).quantize(Decimal("1"))
                total_volume += volumes[(cc, service)]
        unit_price = (
            (pool / total_volume).quantize(Decimal("0.0001"))
            if method == "price_list" and total_volume
            else None
        )
        rule_id = f"ALLOC-{fiscal_year}-{scenario}-{service}"
        for org, cc, part in cells:
            share = (
                (Decimal(part) / Decimal(_ore(pool))).quantize(Decimal("0.000000000001"))
                if pool
                else None
            )
            for month, monthly in zip(
                _months(fiscal_year), split_in_order(part, [1] * 12), strict=True
            ):
                volume = volumes.get((cc, service))
                if scenario == "outcome" and volume is not None:
                    volume = (volume / 12).quantize(Decimal("1"))  # actual monthly quantity
                rows.append(
                    (
                        month,
                        fiscal_year,
                        scenario,
                        service,
                        SERVICE_AREA[service],
                        org,
                        cc,
                        method,
                        rule_id,
                        driver,
                        volume,
                        share,
                        unit_price,
                        _sek(monthly),
                        SERVICE_COST_TYPE[service],
                    )
                )
                month_pools[(service, month)] = month_pools.get((service, month), 0) + monthly
    return rows, month_pools, volumes


def _outcome_2017_rows(
    plan_volumes: dict[tuple[str, str], Decimal],
) -> tuple[list[tuple[Any, ...]], dict[tuple[str, str], int]]:
    """Outcome January-June 2017: price list = published price x actual volume (so charged and
    cost differ, the price settlement); other services = the month's pool by the budget's
    weights, to the öre."""
    budget_matrix = _org_service_matrix(ORG_AMOUNTS["Budget 2017"], SERVICE_POOLS["Budget 2017"])
    orgs = list(ORG_AMOUNTS["Budget 2017"])
    rows: list[tuple[Any, ...]] = []
    pools: dict[tuple[str, str], int] = {}
    for service, monthly_pools in OUTCOME_2017_POOLS.items():
        method, driver, _ = METHODS[service]
        rule_id = f"ALLOC-2017-outcome-{service}"
        for month, pool, growth in zip(
            OUTCOME_2017_MONTHS, monthly_pools, VOLUME_GROWTH_2017, strict=True
        ):
            pools[(service, month)] = _ore(pool)
            cells = [
                (org, cc, part)
                for org in orgs
                for cc, part in _cc_parts(org, service, budget_matrix[(org, service)])
            ]
            if method == "price_list":
                volumes = [
                    ((plan_volumes[(cc, service)] / 12) * growth).quantize(Decimal("1"))
                    for _, cc, _ in cells
                ]
                total = sum(volumes, Decimal(0))
                for (org, cc, _), volume in zip(cells, volumes, strict=True):
                    rows.append(
                        (
                            month,
                            2017,
                            "outcome",
                            service,
                            SERVICE_AREA[service],
                            org,
                            cc,
                            method,
                            rule_id,
                            driver,
                            volume,
                            (volume / total).quantize(Decimal("0.000000000001")),
                            PRICE_2017,
                            (volume * PRICE_2017).quantize(Decimal("0.01")),
                            SERVICE_COST_TYPE[service],
                        )
                    )
                continue
            weights = [part for _, _, part in cells]
            parts = split_in_order(_ore(pool), weights)
            weight_sum = sum(weights)
            for (org, cc, weight), part in zip(cells, parts, strict=True):
                volume = None
                if driver is not None:
                    volume = (plan_volumes[(cc, service)] * growth).quantize(Decimal("1"))
                rows.append(
                    (
                        month,
                        2017,
                        "outcome",
                        service,
                        SERVICE_AREA[service],
                        org,
                        cc,
                        method,
                        rule_id,
                        driver,
                        volume,
                        (Decimal(weight) / Decimal(weight_sum)).quantize(Decimal("0.000000000001")),
                        None,
                        _sek(part),
                        SERVICE_COST_TYPE[service],
                    )
                )
    return rows, pools


def expected_statement(org_code: str, through: str = "2017-06-01") -> dict[str, Decimal]:
    """What *Min organisation* must show for 2017 through `through` (computed from the rows)."""
    plan_rows, _, volumes = _allocation_rows("Budget 2017", 2017, "proposal")
    outcome_rows, _ = _outcome_2017_rows(volumes)
    ytd_outcome = sum(
        (r[13] for r in outcome_rows if r[5] == org_code and r[0] <= through), Decimal(0)
    )
    month_outcome = sum(
        (r[13] for r in outcome_rows if r[5] == org_code and r[0] == through), Decimal(0)
    )
    ytd_budget = sum((r[13] for r in plan_rows if r[5] == org_code and r[0] <= through), Decimal(0))
    year_budget = sum((r[13] for r in plan_rows if r[5] == org_code), Decimal(0))
    return {
        "ytd_outcome": ytd_outcome,
        "month_outcome": month_outcome,
        "ytd_budget": ytd_budget,
        "year_budget": year_budget,
    }


def _insert_later_marts(
    con: duckdb.DuckDBPyConnection,
    plan_rows: list[tuple[Any, ...]],
    outcome_rows: list[tuple[Any, ...]],
    outcome_pools: dict[tuple[str, str], int],
) -> None:
    """The later marts, computed from the fixture's own allocation rows."""
    con.execute(LATER_MARTS_DDL)
    names = {v[0]: v[1] for v in SERVICE_VERSIONS}  # the last version's name
    org_names = {o[0]: o[1] for o in ORGS}

    # Budget versus outcome per month x service x consumer organisation (P0 2017 = budget).
    def per_org(rows: list[tuple[Any, ...]]) -> dict[tuple[str, str, str], tuple[Decimal, Decimal]]:
        out: dict[tuple[str, str, str], tuple[Decimal, Decimal]] = {}
        for r in rows:
            key = (r[0], r[3], r[5])
            amount, volume = out.get(key, (Decimal(0), Decimal(0)))
            out[key] = (amount + r[13], volume + (r[10] or Decimal(0)))
        return out

    plan = per_org([r for r in plan_rows if r[0] <= OUTCOME_2017_MONTHS[-1]])
    outcome = per_org(outcome_rows)
    charged: dict[tuple[str, str], Decimal] = {}
    for (month, service, _org), (amount, _) in outcome.items():
        charged[(month, service)] = charged.get((month, service), Decimal(0)) + amount
    bvo = []
    ytd: dict[tuple[str, str], list[Decimal]] = {}
    for month in OUTCOME_2017_MONTHS:
        keys = sorted({(s, o) for (m, s, o) in plan | outcome if m == month})
        keys += sorted({(s, "UNALLOCATED") for s in OUTCOME_2017_POOLS})
        for service, org in keys:
            if org == "UNALLOCATED":
                p, pv = Decimal(0), Decimal(0)
                o, ov = (
                    _sek(outcome_pools[(service, month)]) - charged[(month, service)],
                    Decimal(0),
                )
            else:
                p, pv = plan.get((month, service, org), (Decimal(0), Decimal(0)))
                o, ov = outcome.get((month, service, org), (Decimal(0), Decimal(0)))
            variance = o - p
            volume = (variance * D("0.5")).quantize(D("0.01"))
            price = (variance * D("0.3")).quantize(D("0.01"))
            key = (variance * D("0.1")).quantize(D("0.01"))
            mix = variance - volume - price - key
            acc = ytd.setdefault((service, org), [Decimal(0)] * 8)
            for index, value in enumerate((p, o, variance, volume, price, key, mix, Decimal(0))):
                acc[index] += value
            driver = METHODS[service][1] if org != "UNALLOCATED" else None
            plan_volume = (pv / 12).quantize(D("0.001")) if driver else None
            outcome_volume = ov if driver else None
            row = {
                "service_id": service,
                "service_name_sv": names[service],
                "decomposition_method": "driver" if driver else "key",
                "driver_code": driver,
                "unit_sv": UNITS.get(driver or "", (None, None))[0],
                "unit_en": UNITS.get(driver or "", (None, None))[1],
                "variance_sek": variance,
                "volume_effect_sek": volume,
                "price_effect_sek": price,
                "key_effect_sek": key,
                "mix_residual_sek": mix,
                "plan_volume": plan_volume,
                "outcome_volume": outcome_volume,
                "has_plan": org != "UNALLOCATED",
                "variance_ytd_sek": acc[2],
                "volume_effect_ytd_sek": acc[3],
                "price_effect_ytd_sek": acc[4],
                "key_effect_ytd_sek": acc[5],
                "mix_residual_ytd_sek": acc[6],
            }
            bvo.append(
                (
                    2017,
                    month,
                    "budget",
                    "P0 2017",
                    service,
                    SERVICE_AREA[service],
                    SERVICE_COST_TYPE[service],
                    org,
                    names[service],
                    org_names.get(org),
                    row["decomposition_method"],
                    driver,
                    row["unit_sv"],
                    row["unit_en"],
                    p,
                    o,
                    variance,
                    volume,
                    price,
                    key,
                    mix,
                    plan_volume,
                    outcome_volume,
                    acc[0],
                    acc[1],
                    acc[2],
                    acc[3],
                    acc[4],
                    acc[5],
                    acc[6],
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,  # the sentences: written below, by dbt's macro
                    False,
                    org != "UNALLOCATED",
                    org == "UNALLOCATED",
                    False,
                )
            )
    _insert_many(con, "marts.rpt_budget_vs_outcome_monthly", bvo)
    # The sentences and the per-service year to date by the dbt models themselves (the one
    # sentence generator, macros/sentences.sql), over the fixture's lines.
    bvo_lines = {"int_bvo_variance_ytd": "marts.rpt_budget_vs_outcome_monthly"}
    sentences = render_model("int_bvo_variance_sentences", SENTENCE_MACROS, bvo_lines)
    con.execute(
        f"""
        update marts.rpt_budget_vs_outcome_monthly as t
        set sentence_sv = s.sentence_sv, sentence_en = s.sentence_en,
            sentence_ytd_sv = s.sentence_ytd_sv, sentence_ytd_en = s.sentence_ytd_en
        from ({sentences}) as s
        where s.period_month = t.period_month and s.plan_scenario = t.plan_scenario
            and s.service_id = t.service_id and s.cost_type = t.cost_type
            and s.consumer_org_code = t.consumer_org_code
        """
    )
    per_service = render_model(
        "rpt_service_variance_ytd",
        SENTENCE_MACROS,
        {"rpt_budget_vs_outcome_monthly": "marts.rpt_budget_vs_outcome_monthly"},
    )
    con.execute(f"create table marts.rpt_service_variance_ytd as {per_service}")

    # Year-end forecast: flat run rate (2016 has no outcome year before it in the fixture).
    forecast = []
    for service, monthly in OUTCOME_2017_POOLS.items():
        running = Decimal(0)
        budget_year = SERVICE_POOLS["P0 2017"][service]
        for number, (month, pool) in enumerate(
            zip(OUTCOME_2017_MONTHS, monthly, strict=True), start=1
        ):
            running += pool
            full_year = (running * 12 / number).quantize(D("0.01"))
            forecast.append(
                (
                    2017,
                    month,
                    service,
                    SERVICE_COST_TYPE[service],
                    number,
                    SERVICE_AREA[service],
                    names[service],
                    "flat",
                    running,
                    D(number) / 12,
                    full_year,
                    budget_year,
                    full_year - budget_year,
                    None,
                    False,
                    False,
                )
            )
    con.executemany(
        "insert into marts.rpt_year_end_forecast values (" + ", ".join(["?"] * 16) + ")", forecast
    )

    initiatives = [
        (
            "VO-2",
            "Digitala tjänster inom vård och omsorg",
            "VARD_OMSORG",
            "VO-DEV",
            1,
            "riktlinjerna",
            [D("30000450"), D("25000000"), D("18000000"), D("9000000")],
            D("15000000"),
            "pågår",
        ),
        (
            "EH-1",
            "Övergång till 100% elektroniska leverantörsfakturor",
            "EHANDEL",
            None,
            1,
            "riktlinjerna",
            [D("200000"), D("400000"), D("50000"), D("0")],
            D("80000"),
            "pågår",
        ),
        (
            "IT-4",
            "Förenkling och automatisering av konton och behörigheter",
            "IT",
            "IT-DEV",
            2,
            "e_samhalle",
            [D("4600000"), D("3000000"), D("0"), D("0")],
            D("2050000"),
            "pågår",
        ),
        (
            "HR-2",
            "Förmånsportal",
            "HR",
            "HR-DEV",
            3,
            "riktlinjerna",
            [D("3000000"), D("0"), D("0"), D("0")],
            D("0"),
            "ej startad",
        ),
    ]
    plan_vs_spend = []
    for ident, name, area, service, priority, channel, plans, spend_2017, status in initiatives:
        for year, amount in zip(range(2017, 2021), plans, strict=True):
            spend = spend_2017 if year == 2017 else D("0")
            plan_vs_spend.append(
                (
                    ident,
                    year,
                    area,
                    service,
                    name,
                    priority,
                    channel,
                    status if year == 2017 else "ej startad",
                    "EINVOICE_SHARE" if ident == "EH-1" else None,
                    amount,
                    spend,
                    amount - spend,
                    (spend / amount).quantize(D("0.0001")) if amount else None,
                    D("0.688") if ident == "EH-1" else None,
                    D("0.80") if ident == "EH-1" else None,
                    OUTCOME_2017_MONTHS[-1] if year == 2017 else None,
                    False if ident == "EH-1" else None,
                )
            )
    con.executemany(
        "insert into marts.fct_initiative_plan_vs_spend values (" + ", ".join(["?"] * 17) + ")",
        plan_vs_spend,
    )

    kpi_rows = []
    for org, shares in (
        ("ALL", ("0.612", "0.628", "0.641", "0.655", "0.671", "0.688")),
        ("N131", ("0.581", "0.590", "0.602", "0.630", "0.644", "0.659")),
        ("N132", ("0.640", "0.652", "0.661", "0.670", "0.690", "0.702")),
    ):
        for month, share in zip(OUTCOME_2017_MONTHS, shares, strict=True):
            kpi_rows.append(
                (
                    "EINVOICE_SHARE",
                    month,
                    org,
                    2017,
                    "Andel e-fakturor",
                    "E-invoice share",
                    "share",
                    "min",
                    D(share) * 1000,
                    D(1000),
                    D(share),
                    D("0.80"),
                    "2018-01-01",
                    org == "ALL",
                    False,
                    False,
                )
            )
    con.executemany("insert into marts.fct_kpi values (" + ", ".join(["?"] * 16) + ")", kpi_rows)

    con.executemany(
        "insert into marts.rpt_reconciliation_published values (" + ", ".join(["?"] * 22) + ")",
        [
            (
                "Budget 2017",
                "ks_budget_table",
                "total::",
                "total",
                None,
                None,
                None,
                "Totalt",
                3,
                None,
                None,
                None,
                D("689695000"),
                689695,
                689695,
                0,
                None,
                None,
                True,
                True,
                False,
                True,
            ),
            (
                "P1 2016",
                "is_summary_table",
                "adjustment::",
                "adjustment",
                None,
                None,
                None,
                "Reglering",
                19,
                "REGLERING_BALANCING_LINE",
                "Reglering −1 474 tryckt utan kolumn; hör till P1 2016",
                "Reglering −1,474 printed without a column; belongs to P1 2016",
                D("-1474000"),
                -1474,
                -1474,
                0,
                0,
                0,
                True,
                True,
                True,
                True,
            ),
            (
                "P0 2016",
                "is_bilaga2_subtotals",
                "service_area:IT:development",
                "service_area",
                None,
                "IT",
                "development",
                "Summa: IT-tjänster (utveckling)",
                7,
                "IT_DEV_SUBTOTAL_PRINTED_0",
                "Delsumman för IT-utveckling tryckt som 0 i Bilaga 2",
                "The IT development subtotal printed as 0 in Bilaga 2",
                D("5400000"),
                5400,
                0,
                5400,
                5400,
                5400,
                True,
                True,
                True,
                True,
            ),
            (
                "Budget 2017",
                "is_bilaga1_subtotals",
                "org_group:Stadsdelsförvaltningar:",
                "org_group",
                None,
                "Stadsdelsförvaltningar",
                None,
                "Stadsdelsförvaltningar",
                1,
                "GROUP_SUBTOTAL_ROUNDING",
                "Avrundning av organisationsraderna (±1–2 tkr)",
                "Rounding of the organisation lines (±1–2 kSEK)",
                D("501055000"),
                501055,
                501055,
                0,
                0,
                1,
                True,
                True,
                True,
                True,
            ),
            (
                "Budget 2017",
                "is_bilaga1_lines",
                "organisation:N131:",
                "organisation",
                None,
                "N131",
                None,
                "Angered",
                1,
                "ORG_LINE_ROUNDING",
                "Avrundning",
                "Rounding",
                D("200000000"),
                200000,
                200001,
                -1,
                -1,
                -1,
                True,
                True,
                True,
                True,
            ),
        ],
    )

    con.executemany(
        "insert into marts.dim_service_comparable values (?, ?, ?, ?, ?, ?, ?)",
        [
            ("IT-ARB", "IT-ARB", "IT", "IT-arbetsplats", "same", 0, D(1)),
            ("EK-RED", "EK-RED", "EKONOMI", "Redovisning, Drift", "rename", 1, D(1)),
            ("KOM-TEL", "KOM-TEL", "KOMMUNIKATION", "Telefoni", "move", 1, D(1)),
        ],
    )
    con.execute(
        """
        insert into marts.rpt_service_like_for_like_year
        select c.fiscal_year, c.scenario, s.plan_version, c.service_id, d.service_name_sv,
               d.service_area_code, sum(c.amount_sek), sum(c.amount_sek)
        from marts.fct_service_cost c
        join marts.dim_scenario s using (fiscal_year, scenario)
        join marts.dim_service d on d.service_id = c.service_id and d.is_current
        group by all
        """
    )

    ledger = []
    number = 1000
    for service, monthly in OUTCOME_2017_POOLS.items():
        for month, pool in zip(OUTCOME_2017_MONTHS, monthly, strict=True):
            pieces = split_in_order(_ore(pool), [5, 3, 2])
            for index, piece in enumerate(pieces):
                number += 1
                ledger.append(
                    (
                        f"ledger/ledger_{month[:7]}.csv",
                        2 + number % 500,
                        service,
                        f"MAP-2017-{service}",
                        "A",
                        str(number),
                        "5460" if index else "7690",
                        "I060-0001",
                        service,
                        None,
                        None,
                        ("Atea Sverige AB", "Tieto Sverige AB", "Intraservice personal")[index],
                        month,
                        2017,
                        month[:8] + "25",
                        SERVICE_COST_TYPE[service],
                        "cost",
                        f"{names[service]} {month[:7]} del {index + 1}",
                        _sek(piece),
                        False,
                        "h-ledger",
                    )
                )
    _insert_many(con, "marts.fct_pool_ledger_row", ledger)

    volumes = []
    row_number = 1
    for r in outcome_rows:
        if r[9] is not None and r[10] is not None:
            row_number += 1
            volumes.append(
                (
                    f"volumes/volumes_{r[0][:7]}.csv",
                    row_number,
                    "outcome",
                    r[9],
                    r[6],
                    2017,
                    r[0],
                    r[10],
                )
            )
    seen: set[tuple[str, str]] = set()
    for r in plan_rows:
        if r[2] == "budget" and r[9] is not None and (r[6], r[9]) not in seen:
            seen.add((r[6], r[9]))
            row_number += 1
            volumes.append(
                ("plan/planned_volumes.csv", row_number, "budget", r[9], r[6], 2017, None, r[10])
            )
    _insert_many(con, "marts.fct_driver_volume", volumes)

    # The rules, keys and plan lines the allocation engine's explanation reads.
    con.execute(
        """
        insert into marts.dim_allocation_rule
        select distinct fiscal_year, scenario, service_id, rule_id, allocation_method, driver_code,
            case when allocation_method = 'fixed_key' then 'KEY-' || service_id end,
            scenario, 'plan/service_methods.csv', 2, 'h-sm'
        from marts.fct_allocation
        """
    )
    con.execute(
        "update marts.dim_allocation_rule set source_row = 1 + (hash(rule_id) % 200)::bigint"
    )
    keys = []
    total = sum(ORG_AMOUNTS["Budget 2017"].values(), Decimal(0))
    for service, (method, _, _) in METHODS.items():
        if method != "fixed_key":
            continue
        for index, (org, amount) in enumerate(ORG_AMOUNTS["Budget 2017"].items(), start=2):
            keys.append(
                (
                    f"KEY-{service}",
                    service,
                    org,
                    "2016-01-01",
                    None,
                    (amount / total).quantize(Decimal("0.000000000001")),
                    "plan/allocation_keys.csv",
                    index,
                )
            )
    _insert_many(con, "marts.dim_allocation_key", keys)
    lines = []
    for number, (label, pools) in enumerate(SERVICE_POOLS.items()):
        fy, scenario = PLAN_VERSION_KEYS[label]
        if scenario == "outcome":
            continue
        for index, (service, pool) in enumerate(pools.items(), start=2):
            lines.append(
                (
                    fy,
                    scenario,
                    service,
                    label,
                    SERVICE_COST_TYPE[service],
                    pool,
                    "plan/plan_amounts.csv",
                    number * 20 + index,
                    "h-plan",
                )
            )
    _insert_many(con, "marts.fct_plan_line", lines)

    # fct_allocation per organisation (dbt_project/models/marts/fct_allocation_org_month.sql).
    con.execute(
        """
        create table marts.fct_allocation_org_month as
        select fiscal_year, period_month, scenario, service_id, consumer_org_code,
            cast(sum(amount_sek) as decimal(18, 2)) as amount_sek,
            count(*) as allocation_row_count
        from marts.fct_allocation
        group by fiscal_year, period_month, scenario, service_id, consumer_org_code
        order by consumer_org_code, fiscal_year, scenario, period_month, service_id
        """
    )


# Report marts that are plain SQL over the marts above: the fixture builds them with their own
# dbt models' SQL (ref() pointing at marts.<name>), so fixture and pipeline cannot differ.
DERIVED_REPORTS = (
    "rpt_service_unit_cost_monthly",
    "rpt_budget_reconciliation_monthly",
    "rpt_development_year",
    "rpt_cost_vs_budget_monthly",
    "rpt_org_statement_monthly",
    "rpt_budget_area_total_year",
)


def _create_derived_reports(con: duckdb.DuckDBPyConnection) -> None:
    """The report marts built from their own dbt SQL over the fixture's marts."""
    relations = KeyedRelations()
    for report in DERIVED_REPORTS:
        sql = render_model(report, MART_MACROS, relations)
        con.execute(f"create table marts.{report} as {sql}")


class KeyedRelations(dict[str, str]):
    """`ref(name)` of a model rendered over the fixture: every model is `marts.<name>`."""

    def __missing__(self, name: str) -> str:
        return f"marts.{name}"


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
            "insert into marts.dim_organisation values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    code,
                    name,
                    group,
                    *GROUP_NAMES[group],
                    sort,
                    date(2016, 1, 1),
                    date(2016, 12, 31) if ended else None,
                    code in PRODUCERS,
                )
                for ended, orgs in ((False, ORGS), (True, ENDED_ORGS))
                for code, name, group, sort in orgs
            ],  # fmt: skip
        )
        con.executemany(
            "insert into marts.dim_cost_centre values (?, ?, ?, ?, date '2016-01-01', null)",
            [
                (code, org, name, index == 0)
                for org, *_ in ORGS + ENDED_ORGS
                for index, (code, name, _) in enumerate(_cost_centres(org))
            ],
        )
        con.executemany("insert into marts.dim_service_area values (?, ?, ?)", AREAS)
        sort = {"budget": 1, "forecast_1": 2, "proposal": 3, "outcome": 4}
        # The flags as dim_scenario.sql sets them: the adopted budget, else the proposal; the
        # forecast with the highest number.
        budgets: dict[int, str] = {}
        for preferred in ("proposal", "budget"):
            budgets |= {fy: sc for fy, sc, _ in SCENARIOS if sc == preferred}
        latest: dict[int, str] = {}
        for fy, sc, _ in SCENARIOS:
            if sc.startswith("forecast_"):
                latest[fy] = max(latest.get(fy, sc), sc, key=lambda s: int(s.split("_")[1]))
        con.executemany(
            "insert into marts.dim_scenario values (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    fy,
                    sc,
                    label,
                    sort[sc],
                    sc == "outcome",
                    budgets.get(fy) == sc,
                    latest.get(fy) == sc,
                )
                for fy, sc, label in SCENARIOS
            ],
        )
        con.executemany(
            "insert into marts.dim_service values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    f"{sid}@{valid_from}",
                    sid,
                    area,
                    name,
                    former,
                    cost_type,
                    comment,
                    sid == "REGLERING",
                    valid_to is None,
                    valid_from,
                    valid_to,
                )
                for sid, name, former, area, cost_type, comment, valid_from, valid_to in SERVICE_VERSIONS
            ],
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

        # Allocations and the pools they add up to.
        plan_volumes: dict[tuple[str, str], Decimal] = {}
        p0_2017_rows: list[tuple[Any, ...]] = []
        for label, (fy, scenario) in PLAN_VERSION_KEYS.items():
            if label not in SERVICE_POOLS:
                continue
            rows, month_pools, volumes = _allocation_rows(label, fy, scenario)
            if label == "Budget 2017":
                plan_volumes = volumes
            if label == "P0 2017":
                p0_2017_rows = rows
            _insert_many(con, "marts.fct_allocation", [(*r, None, _price_source(r)) for r in rows])
            for (service, month), ore in month_pools.items():
                con.execute(
                    "insert into marts.fct_service_cost values (?, ?, ?, ?, ?, ?, ?, false, ?, ?, 0, 0, 0, false)",
                    [
                        month,
                        fy,
                        scenario,
                        service,
                        SERVICE_AREA[service],
                        SERVICE_COST_TYPE[service],
                        _sek(ore),
                        service == "REGLERING",
                        _sek(ore),
                    ],
                )
        for month, amount in UNALLOCATED_2016:
            con.execute(
                "insert into marts.fct_service_cost values (?, 2016, 'outcome', 'UNALLOCATED', null, "
                "'maintenance', ?, true, false, ?, 0, 0, 0, false)",
                [month, amount, amount],
            )
        outcome_rows, outcome_pools = _outcome_2017_rows(plan_volumes)
        _insert_many(
            con, "marts.fct_allocation", [(*r, None, _price_source(r, 2017)) for r in outcome_rows]
        )
        for (service, month), ore in outcome_pools.items():
            con.execute(
                "insert into marts.fct_service_cost values (?, 2017, 'outcome', ?, ?, ?, ?, false, false, ?, 0, 0, 0, false)",
                [
                    month,
                    service,
                    SERVICE_AREA[service],
                    SERVICE_COST_TYPE[service],
                    _sek(ore),
                    _sek(ore),
                ],
            )
        con.execute(
            """
            insert into marts.rpt_budget_service_year
            select c.fiscal_year, c.scenario, s.plan_version, c.service_id,
                   coalesce(d.service_name_sv, 'Ej fördelat'), c.service_area_code, c.cost_type,
                   sum(c.amount_sek)
            from marts.fct_service_cost c
            join marts.dim_scenario s using (fiscal_year, scenario)
            left join marts.dim_service d on d.service_id = c.service_id and d.is_current
            group by all
            """
        )
        # 2016 charged at its delivered price; its settlement gives 2017 the price 2017 charges.
        con.execute(
            "insert into marts.fct_price_settlement values "
            "(2016, 'IT-ARB', 'WORKPLACE', 'delivered', 'carried', 284.1234, 290000000.00, "
            "288765432.10, -1234567.90, 2017, 1, -1234567.90, -1234567.90, 339829000.00, "
            "1188466.000, ?, null)",
            [PRICE_2017],
        )
        con.execute(
            """
            insert into marts.fct_price_settlement
            select 2017, 'IT-ARB', 'WORKPLACE', 'carried', null, ?, cost, charged,
                   charged - cost, 2018, 1, charged - cost, charged - cost, null, null, null, null
            from (select sum(amount_sek) as cost from marts.fct_service_cost
                  where fiscal_year = 2017 and scenario = 'outcome' and service_id = 'IT-ARB'),
                 (select sum(amount_sek) as charged from marts.fct_allocation
                  where fiscal_year = 2017 and scenario = 'outcome' and service_id = 'IT-ARB')
            """,
            [PRICE_2017],
        )

        # ops: the pipeline's own tables.
        con.execute(
            "insert into ops.publish_log values (?, 'fixture-run', ?)", [PUBLISHED_AT, path.name]
        )
        _insert_ops(con)
        _insert_later_marts(con, p0_2017_rows, outcome_rows, outcome_pools)
        _insert_close(con)
        _create_derived_reports(con)
    finally:
        con.close()
    if read_only_file:
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return path


# Quarantine and check texts as the pipeline writes them (file, row, what is wrong, what to do).
QUARANTINE_ROWS: list[tuple[str, int, str, str, str, str | None, str | None, str]] = [
    (
        "ledger/ledger_2017-03.csv",
        812,
        "ledger",
        "validate",
        "unknown_cost_centre",
        "cost_centre_code",
        "N999-0001",
        "ledger/ledger_2017-03.csv row 812: unknown cost centre 'N999-0001'; add it to cost_centres.csv or correct the row.",
    ),
    (
        "ledger/ledger_2017-03.csv",
        813,
        "ledger",
        "validate",
        "unknown_cost_centre",
        "cost_centre_code",
        "N999-0001",
        "ledger/ledger_2017-03.csv row 813: unknown cost centre 'N999-0001'; add it to cost_centres.csv or correct the row.",
    ),
    (
        "volumes/volumes_2017-02.csv",
        40,
        "volumes",
        "read",
        "number",
        "quantity",
        "tolv",
        "volumes/volumes_2017-02.csv row 40: quantity 'tolv' is not a number; write digits with . as decimal point.",
    ),
]


# (run, source, check, asset, severity, passed, expectation, column, rows, unexpected, samples)
CHECK_ROWS: list[tuple[Any, ...]] = [
    (
        "fixture-run",
        "gx",
        "ledger",
        "raw/ledger",
        "blocking",
        True,
        "expect_column_values_to_not_be_null",
        "account",
        2500,
        0,
        "[]",
    ),
    (
        "fixture-run",
        "gx",
        "ledger",
        "raw/ledger",
        "warning",
        False,
        "expect_column_values_to_be_in_set",
        "cost_centre_code",
        2500,
        2,
        '["N999-0001"]',
    ),
    (
        "fixture-run",
        "gx",
        "volumes",
        "raw/volumes",
        "blocking",
        True,
        "expect_column_values_to_be_between",
        "quantity",
        59,
        0,
        "[]",
    ),
    (
        "fixture-run",
        "dbt",
        "assert_allocation_conserves_pool",
        "fct_allocation",
        "blocking",
        True,
        "singular",
        None,
        None,
        0,
        "[]",
    ),
    (
        "fixture-run",
        "dbt",
        "unique_dim_organisation_org_code",
        "dim_organisation",
        "blocking",
        True,
        "unique",
        "org_code",
        None,
        0,
        "[]",
    ),
    (
        "fixture-run-0",
        "dbt",
        "assert_allocation_conserves_pool",
        "fct_allocation",
        "blocking",
        False,
        "singular",
        None,
        None,
        3,
        "[]",
    ),
]


def _insert_ops(con: duckdb.DuckDBPyConnection) -> None:
    files = [
        (
            "h-org",
            "organisations",
            "organisations/organisations.csv",
            "organisations:organisations",
            4200,
            10,
            None,
            "csv",
            10,
            0,
            "active",
            None,
        ),
        (
            "h-cc",
            "cost_centres",
            "organisations/cost_centres.csv",
            "cost_centres:cost_centres",
            900,
            13,
            None,
            "csv",
            13,
            0,
            "active",
            None,
        ),
        (
            "h-srv",
            "services",
            "services/services.csv",
            "services:services",
            1200,
            11,
            None,
            "csv",
            11,
            0,
            "active",
            None,
        ),
        (
            "h-l01",
            "ledger",
            "ledger/ledger_2017-01.csv",
            "ledger:ledger_2017-01",
            51000,
            800,
            "2017-01",
            "csv",
            800,
            0,
            "active",
            None,
        ),
        (
            "h-l02",
            "ledger",
            "ledger/ledger_2017-02.csv",
            "ledger:ledger_2017-02",
            52000,
            810,
            "2017-02",
            "csv",
            810,
            0,
            "superseded",
            "h-l02k",
        ),
        (
            "h-l02k",
            "ledger",
            "ledger/ledger_2017-02_korr.csv",
            "ledger:ledger_2017-02",
            52100,
            812,
            "2017-02",
            "csv",
            812,
            0,
            "active",
            None,
        ),
        (
            "h-l03",
            "ledger",
            "ledger/ledger_2017-03.se",
            "ledger:ledger_2017-03",
            60000,
            900,
            "2017-03",
            "sie4",
            898,
            2,
            "active",
            None,
        ),
        (
            "h-v02",
            "volumes",
            "volumes/volumes_2017-02.csv",
            "volumes:volumes_2017-02",
            3000,
            60,
            "2017-02",
            "csv",
            59,
            1,
            "active",
            None,
        ),
    ]
    con.executemany(
        "insert into ops.landed_files values (?, ?, ?, ?, ?, ?, timestamp '2017-03-01 11:00:00', ?, ?, ?, ?, ?, ?)",
        [
            (h, tbl, rel, key, size, rows, status, sup, part, fmt, staged, quar)
            for h, tbl, rel, key, size, rows, part, fmt, staged, quar, status, sup in files
        ],
    )
    con.executemany(
        "insert into ops.check_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', null)",
        [
            (
                datetime(2017, 3, 1, 11, 20)
                if run == "fixture-run"
                else datetime(2017, 2, 28, 23, 5),
                run,
                source,
                name,
                asset,
                severity,
                passed,
                expectation,
                column,
                elements,
                unexpected,
                samples,
            )
            for run, source, name, asset, severity, passed, expectation, column, elements, unexpected, samples in CHECK_ROWS
        ],
    )
    con.executemany(
        "insert into ops.quarantine values ('h', ?, ?, ?, ?, ?, ?, ?, ?, null, timestamp '2017-03-01 11:05:00')",
        QUARANTINE_ROWS,
    )
    con.execute(
        "insert into ops.file_errors values ('h-bad', 'ledger/ledger_2017-04.xlsx', 'ledger', "
        "'ledger:ledger_2017-04', 'ledger/ledger_2017-04.xlsx: the workbook has no sheet with the "
        "ledger columns; export the ledger sheet again.', 'quarantine/ledger/ledger_2017-04.xlsx', "
        "timestamp '2017-03-01 11:01:00', null, null)"
    )


# The month close (marts and ops tables of the close, as their dbt contracts and
# pipelines/lib/close/state.py define the columns the pages read): 2017-01 and 2017-02 closed,
# 2017-02 once reopened; a correction of 2017-01 frozen in 2017-02, one of 2017-02 pending in
# 2017-03. Cause texts as fct_restatement writes them.
CLOSE_DDL = """
create table marts.rpt_period_close_monthly (
    period_month date, fiscal_year integer, close_id varchar, status varchar, closed_by varchar,
    closed_at timestamp, last_action varchar, last_action_by varchar, last_action_at timestamp,
    reopen_count bigint, last_reopen_reason varchar, last_exported_at timestamp,
    last_exported_by varchar, last_export_files varchar, charged_sek decimal(18, 2),
    restatements_booked_sek decimal(18, 2), restatement_rows bigint,
    restated_later_sek decimal(18, 2), is_closed boolean, has_pending_restatement boolean
);
create table marts.fct_restatement (
    period_month date, fiscal_year integer, restated_month date, restated_close_id varchar,
    service_id varchar, service_area_code varchar, cost_type varchar, consumer_org_code varchar,
    consumer_cost_centre_code varchar, recomputed_sek decimal(18, 2), closed_sek decimal(18, 2),
    previously_restated_sek decimal(18, 2), amount_sek decimal(18, 2), cause_kind varchar,
    cause_sv varchar, cause_en varchar
);
create table marts.fct_charge (
    period_month date, fiscal_year integer, line_kind varchar, restated_month date,
    service_id varchar, cost_type varchar, consumer_org_code varchar,
    consumer_cost_centre_code varchar, amount_sek decimal(18, 2), cause_kind varchar,
    cause_sv varchar, cause_en varchar, close_id varchar, is_closed boolean
);
create table marts.fct_invoice_line (
    period_month date, fiscal_year integer, close_id varchar, voucher_number integer,
    line_kind varchar, restated_month date, consumer_org_code varchar,
    consumer_cost_centre_code varchar, service_id varchar, org_name varchar,
    cost_centre_name varchar, service_name_sv varchar, activity_code varchar,
    debit_account varchar, credit_account varchar, credit_cost_centre_code varchar,
    cause_sv varchar, cause_en varchar, amount_sek decimal(18, 2)
);
create table ops.period_closes (
    action_id varchar, close_id varchar, period_month date, action varchar, acted_by varchar,
    acted_at timestamp, reason varchar, run_id varchar, detail varchar
);
"""
CAUSE_JAN = (
    "ledger/ledger_2017-01_korr.csv ersatte ledger/ledger_2017-01.csv",
    "ledger/ledger_2017-01_korr.csv replaced ledger/ledger_2017-01.csv",
)
CAUSE_FEB = (
    "plan/allocation_keys_v2.csv ersatte plan/allocation_keys.csv",
    "plan/allocation_keys_v2.csv replaced plan/allocation_keys.csv",
)
# (booked month, restated month, org, cost centre, service, amount): frozen in 2017-02 ...
FROZEN_RESTATEMENTS = [
    ("2017-02-01", "2017-01-01", "N131", "N131-0001", "IT-ARB", D("500.00")),
    ("2017-02-01", "2017-01-01", "B110", "B110-0001", "IT-ARB", D("-200.00")),
]
# ... and pending in the open month 2017-03.
PENDING_RESTATEMENTS = [
    ("2017-03-01", "2017-02-01", "N131", "N131-0001", "HR-LON", D("1200.50")),
    ("2017-03-01", "2017-02-01", "N132", "N132-0001", "HR-LON", D("-300.00")),
]
# 2017-02's internal invoices: (voucher, kind, restated, org, cost centre, service, amount)
INVOICE_LINES = [
    (1, "charge", None, "B110", "B110-0001", "IT-ARB", D("4000.00")),
    (2, "charge", None, "N131", "N131-0001", "IT-ARB", D("10000.00")),
    (2, "charge", None, "N131", "N131-0002", "HR-LON", D("2500.25")),
    (3, "charge", None, "N132", "N132-0001", "IT-ARB", D("7000.00")),
    (4, "restatement", "2017-01-01", "B110", "B110-0001", "IT-ARB", D("-200.00")),
    (5, "restatement", "2017-01-01", "N131", "N131-0001", "IT-ARB", D("500.00")),
]


def _insert_close(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(CLOSE_DDL)
    at = datetime(2017, 3, 1, 9, 0)
    months = [(f"2017-{m:02d}-01") for m in range(1, 7)]
    for month in months:
        closed = month in ("2017-01-01", "2017-02-01")
        con.execute(
            "insert into marts.rpt_period_close_monthly values (?, 2017, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                month,
                f"close-{month[:7]}" if closed else None,
                "closed" if closed else "open",
                "Anna Controller" if closed else None,
                at if closed else None,
                "close" if closed else None,
                "Anna Controller" if closed else None,
                at if closed else None,
                1 if month == "2017-02-01" else 0,
                "nycklarna var fel" if month == "2017-02-01" else None,
                at if closed else None,
                "Anna Controller" if closed else None,
                None,
                D("1000000.00"),
                D("300.00")
                if month == "2017-02-01"
                else (D("900.50") if month == "2017-03-01" else D("0")),
                2 if month in ("2017-02-01", "2017-03-01") else 0,
                D("300.00")
                if month == "2017-01-01"
                else (D("900.50") if month == "2017-02-01" else D("0")),
                closed,
                month == "2017-02-01",
            ],
        )
    for booked, restated, org, cc, service, amount in PENDING_RESTATEMENTS:
        con.execute(
            "insert into marts.fct_restatement values (?, 2017, ?, 'close-2017-02', ?, ?, "
            "'maintenance', ?, ?, ?, 0, 0, ?, 'register', ?, ?)",
            [booked, restated, service, SERVICE_AREA[service], org, cc, amount, amount, *CAUSE_FEB],
        )
        con.execute(
            "insert into marts.fct_charge values (?, 2017, 'restatement', ?, ?, 'maintenance', ?, ?, "
            "?, 'register', ?, ?, null, false)",
            [booked, restated, service, org, cc, amount, *CAUSE_FEB],
        )
    for booked, restated, org, cc, service, amount in FROZEN_RESTATEMENTS:
        con.execute(
            "insert into marts.fct_charge values (?, 2017, 'restatement', ?, ?, 'maintenance', ?, ?, "
            "?, 'file', ?, ?, 'close-2017-02', true)",
            [booked, restated, service, org, cc, amount, *CAUSE_JAN],
        )
    names = {v[0]: v[1] for v in SERVICE_VERSIONS}
    for voucher, kind, restated, org, cc, service, amount in INVOICE_LINES:
        cause = CAUSE_JAN if kind == "restatement" else (None, None)
        con.execute(
            "insert into marts.fct_invoice_line values ('2017-02-01', 2017, 'close-2017-02', ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, 'I060-0001', ?, ?, ?)",
            [
                voucher,
                kind,
                restated,
                org,
                cc,
                service,
                _org_name(org),
                cc,
                names[service],
                service,
                "6951" if service.startswith("IT") else "6950",
                "3591" if service.startswith("IT") else "3590",
                *cause,
                amount,
            ],
        )
    actions = [
        (
            "a1",
            "close-2017-01",
            "2017-01-01",
            "close",
            "Anna Controller",
            datetime(2017, 2, 5, 9),
            None,
        ),
        (
            "a2",
            "close-2017-01",
            "2017-01-01",
            "export",
            "Anna Controller",
            datetime(2017, 2, 5, 9, 1),
            None,
        ),
        (
            "a3",
            "close-2017-02-first",
            "2017-02-01",
            "close",
            "Anna Controller",
            datetime(2017, 3, 1, 8),
            None,
        ),
        (
            "a4",
            "close-2017-02-first",
            "2017-02-01",
            "reopen",
            "Bo Ledning",
            datetime(2017, 3, 1, 8, 30),
            "nycklarna var fel",
        ),
        ("a5", "close-2017-02", "2017-02-01", "close", "Anna Controller", at, None),
        ("a6", "close-2017-02", "2017-02-01", "export", "Anna Controller", at, None),
    ]
    con.executemany(
        "insert into ops.period_closes values (?, ?, ?, ?, ?, ?, ?, 'fixture-run', null)", actions
    )


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("FORDELA_SNAPSHOT", ""))
    if not str(target):
        sys.exit("usage: python -m tests.dashboards.snapshot_fixture <path.duckdb>")
    print(build_snapshot(target))
