"""The KPI register and the reference pack at the door: expression grammar, codes inside an
expression, allowed levels and keys; rows that break them are quarantined with a message that
names the file, row, column, value and the fix."""

from __future__ import annotations

import re

from expectations import CONTRACTS_BY_TABLE
from expectations.base import KnownCodes
from pipelines.lib.quality import run_contract

from .conftest import Warehouse, write_files

KPI_HEADER = (
    "kpi_code,name_sv,name_en,numerator,denominator,basis,scope,unit,target,target_direction,"
    "target_from,initiative_id\n"
)


def _quarantined(warehouse: Warehouse, table: str) -> dict[int, list[tuple[str, str, str]]]:
    found: dict[int, list[tuple[str, str, str]]] = {}
    for row, check, value, message in warehouse.rows(
        "select source_row, check_name, value, message from ops.quarantine "
        "where table_name = ? order by source_row, check_name",
        [table],
    ):
        found.setdefault(row, []).append((check, value, message))
    return found


def test_kpi_expressions_are_checked_against_the_grammar_and_the_registers(
    warehouse: Warehouse,
) -> None:
    write_files(
        warehouse.landing,
        {
            "plan/kpis.csv": KPI_HEADER
            + "OK_SHARE,Andel,Share,volume:WORKPLACE,volume:WORKPLACE+MAILBOX,month,organisation,share,0.8,min,2018-01,VO-2\n"
            + "OK_COST,Kostnad,Cost,cost:area:IT:maintenance,volume:WORKPLACE,year_to_date,city,sek,,,,\n"
            + "OK_SERVICE,Tjänst,,cost:service:IT-ARB,,month,city,sek,,,,\n"
            + "BAD_GRAMMAR,Fel,,volume:,volume:WORKPLACE,month,city,ratio,,,,\n"
            + "BAD_DRIVER,Okänd,,volume:WORKPLACE+INVOICES,,month,city,ratio,,,,\n"
            + "BAD_AREA,Område,,cost:area:EHANDEL,,month,city,sek,,,,\n"
            + "BAD_SERVICE,Tjänst,,cost:service:IT-XXX:development,,month,city,sek,,,,\n"
            + "BAD_DENOMINATOR,Nämnare,,volume:WORKPLACE,cost:area:IT,month,city,ratio,,,,\n"
            + "BAD_VALUES,Värden,,volume:WORKPLACE,,weekly,region,pct,0.5,above,2018-01,XX-9\n",
        },
    )
    load = warehouse.load("kpis")
    assert not load.rejected
    problems = _quarantined(warehouse, "kpis")
    assert set(problems) == {5, 6, 7, 8, 9, 10}  # header = row 1; the three good rows load
    assert [(c, v) for c, v, _ in problems[5]] == [("value_not_allowed", "volume:")]
    [(check, value, message)] = problems[6]
    assert (check, value) == ("unknown_driver", "INVOICES")
    assert message == (
        "plan/kpis.csv row 6: unknown volume driver 'INVOICES'; add it to volumes/drivers.csv or "
        "correct the expression."
    )
    assert [(c, v) for c, v, _ in problems[7]] == [("unknown_service_area", "EHANDEL")]
    assert [(c, v) for c, v, _ in problems[8]] == [("unknown_service", "IT-XXX")]
    assert [(c, v) for c, v, _ in problems[9]] == [("value_not_allowed", "cost:area:IT")]
    assert sorted(c for c, _, _ in problems[10]) == [
        "unknown_initiative",
        "value_not_allowed",
        "value_not_allowed",
        "value_not_allowed",
        "value_not_allowed",
    ]
    assert warehouse.rows("select kpi_code from raw.kpis order by 1") == [
        ("OK_COST",),
        ("OK_SERVICE",),
        ("OK_SHARE",),
    ]
    # The GX suite over raw.kpis passes (what is left follows the contract) and knows the
    # rules on codes inside expressions.
    run = run_contract(warehouse.con, CONTRACTS_BY_TABLE["kpis"], reuse=False)
    outcomes = {(o.rule, o.column): o.passed for o in run.outcomes}
    assert (
        outcomes[("unknown_driver", "numerator")]
        and outcomes[("unknown_service_area", "numerator")]
    )
    assert all(outcomes.values()), outcomes


def test_the_gx_suite_fails_on_an_unknown_code_inside_an_expression() -> None:
    codes = KnownCodes(codes={"drivers.driver_code": frozenset({"WORKPLACE", "MAILBOX"})})
    suite = CONTRACTS_BY_TABLE["kpis"].build_suite(codes)
    [drivers] = [
        e
        for e in suite.expectations
        if e.meta["rule"] == "unknown_driver" and e.column == "numerator"
    ]
    values = ["volume:WORKPLACE+MAILBOX", "volume:WORKPLACE+INVOICES", "cost:area:IT"]
    assert [bool(re.search(drivers.regex, v)) for v in values] == [True, False, True]


def test_the_reference_pack_loads_with_its_levels_and_keys(warehouse: Warehouse) -> None:
    write_files(
        warehouse.landing,
        {
            "reference/published_figures.csv": (
                "plan_version,source,level,service_area_code,code,cost_type,label_sv,amount_tkr,line_order\n"
                "P0 2016,bilaga1,organisation,,N131,,Angered,52257,1\n"
                "P0 2016,bilaga1,total,,,,Totalt,616750,2\n"
                "P0 2016,bilaga2,service,IT,IT-ARB,maintenance,IT-arbetsplats,85646,1\n"
                "P0 2016,bilaga1,organisation,,N131,,Angered igen,52258,3\n"
                "P0 2016,bilaga1,region,,N131,,Region,1,4\n"
                "P0 2016,bilaga1,org_group,,SDF,both,SDF,1,5\n"
                "P0 2016,bilaga1,org_group,,SDF,,SDF,1 000,6\n"
            ),
            "reference/published_differences.csv": (
                "plan_version,source,level,code,cost_type,difference_code,min_difference_tkr,"
                "max_difference_tkr,description_sv,description_en\n"
                "P0 2016,bilaga1,organisation,,,ORG_LINE_ROUNDING,-1,-1,Avrundning,Rounding\n"
                "P0 2016,bilaga1,organisation,,,ORG_LINE_ROUNDING,1,1,Avrundning,Rounding\n"
                "P0 2016,bilaga1,organisation,,,ORG_LINE_ROUNDING,1,2,Avrundning,Rounding\n"
                "P0 2016,bilaga1,organisation,,,,0,0,,\n"
            ),
        },
    )
    assert not warehouse.load("published_figures").rejected
    assert not warehouse.load("published_differences").rejected
    figures = _quarantined(warehouse, "published_figures")
    assert {row: [c for c, _, _ in p] for row, p in figures.items()} == {
        5: ["duplicate_row"],
        6: ["value_not_allowed"],
        7: ["value_not_allowed"],
        8: ["integer"],
    }
    assert "duplicate of reference/published_figures.csv row 2" in figures[5][0][2]
    differences = _quarantined(warehouse, "published_differences")
    assert {row: [c for c, _, _ in p] for row, p in differences.items()} == {
        4: ["duplicate_row"],
        5: ["missing_value"],
    }
    assert warehouse.rows("select count(*) from raw.published_figures") == [(3,)]
    assert warehouse.rows("select count(*) from raw.published_differences") == [(2,)]
