"""The query layer: access control for controllers, bound parameters, snapshot replacement."""

from __future__ import annotations

import importlib
import inspect
import itertools
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboards.lib import db, queries
from dashboards.lib.auth import Principal
from tests.dashboards.snapshot_fixture import (
    ENDED_ORGS,
    GROUP_NAMES,
    ORG_AMOUNTS,
    ORGS,
    build_snapshot,
)

MANAGEMENT = Principal("ledning", "management", "Ledning")
DATA = Principal("data", "data_engineer", "Data")
ANGERED = Principal("angered", "controller", "Angered", frozenset({"N131"}))
MULTI = Principal("multi", "controller", "Multi", frozenset({"N131", "N132"}))

INJECTIONS = [
    "' or 1=1 --",
    "') or ('1'='1",
    "N131' or org_code <> '",
    "%",
    "_",
    "*",
    "'; drop table marts.rpt_budget_org_year; --",
    "$allowed_orgs",
    "\\",
    "\x00",
]
SEARCHES = ["", "a", "N13", "göteborg", "ÖSTRA", "B", *INJECTIONS]
GROUP_FILTERS: list[list[str]] = [
    [],
    ["Stadsdelsförvaltningar"],
    ["Bolag", "Kommunalförbund"],
    [g for g in {o[2] for o in ORGS}],
    ["' or 1=1 --"],
]


def _versions() -> list[queries.PlanVersion]:
    return queries.plan_versions(MANAGEMENT)


def test_plan_versions_are_those_with_budget_rows_in_planning_order(
    fixture_snapshot: Path,
) -> None:
    labels = [v.plan_version for v in _versions()]
    # Planning order; no "Utfall 2017": it has no rows.
    assert labels == ["P0 2016", "P1 2016", "Utfall 2016", "Budget 2017", "P0 2017"]
    # The adopted budget of the latest year that has one, not a label written in code.
    assert queries.default_plan_version(_versions()).plan_version == "P0 2017"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("versions", "expected"),
    [
        # A proposal for the next year does not displace the adopted budget.
        ([(2031, "budget", "B31"), (2031, "outcome", "U31"), (2032, "proposal", "F32")], "B31"),
        ([(2031, "budget", "B31"), (2032, "budget", "B32"), (2032, "forecast_1", "P32")], "B32"),
        # No adopted budget at all: the latest plan version, never an outcome when there is one.
        ([(2031, "proposal", "F31"), (2031, "outcome", "U31")], "F31"),
        ([(2031, "outcome", "U31")], "U31"),
        ([], None),
    ],
)
def test_default_plan_version_follows_the_data(
    versions: list[tuple[int, str, str]], expected: str | None
) -> None:
    chosen = queries.default_plan_version([queries.PlanVersion(*v) for v in versions])
    assert (chosen.plan_version if chosen else None) == expected


def test_group_labels_come_from_the_city_s_register(fixture_snapshot: Path) -> None:
    sv = queries.org_group_labels(ANGERED, "sv")
    en = queries.org_group_labels(ANGERED, "en")
    # In the city's order (org_group_sort), every group, whoever asks: groups are city-wide.
    assert list(sv) == list(en) == list(GROUP_NAMES)
    assert sv == {g: names[0] for g, names in GROUP_NAMES.items()}
    assert en == {g: names[1] for g, names in GROUP_NAMES.items()}


def test_management_and_data_engineer_see_every_organisation(fixture_snapshot: Path) -> None:
    for principal in (MANAGEMENT, DATA):
        orgs = queries.budget_by_org(principal, 2017, "proposal")
        assert set(orgs["org_code"]) == {o[0] for o in ORGS}
        assert sum(orgs["amount_sek"]) == sum(ORG_AMOUNTS["Budget 2017"].values())


@pytest.mark.parametrize("principal", [ANGERED, MULTI], ids=["angered", "multi"])
def test_controller_never_gets_another_organisations_rows(
    fixture_snapshot: Path, principal: Principal
) -> None:
    allowed = principal.allowed_orgs
    assert allowed
    seen: set[str] = set()
    for version, search, groups in itertools.product(_versions(), SEARCHES, GROUP_FILTERS):
        orgs = queries.budget_by_org(
            principal, version.fiscal_year, version.scenario, search=search, org_groups=groups
        )
        assert set(orgs["org_code"]) <= allowed, (version, search, groups)
        seen |= set(orgs["org_code"])
        group_totals = queries.budget_by_org_group(principal, version.fiscal_year, version.scenario)
        own = sum(
            amount for code, amount in ORG_AMOUNTS[version.plan_version].items() if code in allowed
        )
        assert sum(group_totals["amount_sek"]) == own
        assert set(group_totals["org_group"]) == {"Stadsdelsförvaltningar"}
    assert seen == allowed  # the filter is not simply "nothing"


def test_controller_gets_exactly_their_own_rows(fixture_snapshot: Path) -> None:
    orgs = queries.budget_by_org(MULTI, 2017, "proposal")
    assert list(orgs["org_code"]) == ["N131", "N132"]
    assert list(orgs["amount_sek"]) == [Decimal("200000000.00"), Decimal("150000000.00")]


@pytest.mark.parametrize("code", INJECTIONS + ["N131 ", "n131", "N13_", "N13%"])
def test_injection_strings_as_allowed_org_codes_match_nothing(
    fixture_snapshot: Path, code: str
) -> None:
    principal = Principal("evil", "controller", "Evil", frozenset({code}))
    assert queries.budget_by_org(principal, 2017, "proposal").empty
    assert queries.budget_by_org_group(principal, 2017, "proposal").empty


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_as_filter_text_return_no_extra_rows(
    fixture_snapshot: Path, text: str
) -> None:
    assert queries.budget_by_org(MANAGEMENT, 2017, "proposal", search=text).empty
    assert queries.budget_by_org(MANAGEMENT, 2017, "proposal", org_groups=[text]).empty
    assert queries.budget_by_area(MANAGEMENT, 2017, text).empty
    # ... and the snapshot is untouched.
    assert len(queries.budget_by_org(MANAGEMENT, 2017, "proposal")) == len(ORGS)


def test_search_matches_name_or_code_case_insensitively(fixture_snapshot: Path) -> None:
    found = queries.budget_by_org(MANAGEMENT, 2017, "proposal", search="göteborg")
    assert set(found["org_code"]) == {"N132", "B110", "K171"}  # Storgöteborg too
    assert list(queries.budget_by_org(MANAGEMENT, 2017, "proposal", search="k9")["org_code"]) == [
        "K920"
    ]


def test_area_budget_is_the_same_city_wide_figure_for_every_role(fixture_snapshot: Path) -> None:
    reference = queries.budget_by_area(MANAGEMENT, 2017, "proposal")
    assert sum(reference["amount_sek"]) == Decimal("498813499.99")
    for principal in (DATA, ANGERED, MULTI):
        assert queries.budget_by_area(principal, 2017, "proposal").equals(reference)


@pytest.mark.parametrize(
    ("fiscal_year", "scenario", "name", "amount"),
    [
        (2016, "forecast_1", "Reglering", Decimal("-1474000.00")),
        (2016, "outcome", "Ej fördelat", Decimal("1234567.89")),
    ],
)
def test_lines_outside_the_areas_are_kept_apart(
    fixture_snapshot: Path, fiscal_year: int, scenario: str, name: str, amount: Decimal
) -> None:
    areas = queries.budget_by_area(MANAGEMENT, fiscal_year, scenario)
    other = areas[~areas["is_area_line"]]
    assert list(other["service_area_name_sv"]) == [name]
    assert list(other["amount_sek"]) == [amount]
    assert other["service_area_code"].isna().all()
    assert areas["is_area_line"].sum() == len(areas) - 1


def _query_modules() -> list[object]:
    return [importlib.import_module(f"dashboards.lib.queries.{name}") for name in queries.MODULES]


def test_every_query_function_takes_the_principal_first() -> None:
    source_of = {
        name: inspect.getsource(fn)
        for module in _query_modules()
        for name, fn in vars(module).items()
        if inspect.isfunction(fn) and fn.__module__ == module.__name__  # type: ignore[attr-defined]
    }
    runs_sql = [
        name
        for name, src in source_of.items()
        if not name.startswith("_") and ("query(" in src or "snapshot_tables(" in src)
    ]
    assert {"budget_by_org", "budget_by_org_group", "budget_by_area", "plan_versions"} <= set(
        runs_sql
    )
    assert len(runs_sql) > 30  # every module's statements, not only the budget page's
    functions = {
        name: fn
        for module in _query_modules()
        for name, fn in vars(module).items()
        if inspect.isfunction(fn)
    }
    for name in runs_sql:
        first = next(iter(inspect.signature(functions[name]).parameters.values()))
        assert first.name == "principal", name
        assert first.annotation in (Principal, "Principal"), name


@pytest.mark.parametrize("not_a_principal", [None, "ledning", {"role": "management"}])
def test_query_functions_refuse_anything_but_a_principal(
    fixture_snapshot: Path, not_a_principal: object
) -> None:
    with pytest.raises(TypeError):
        queries.budget_by_org(not_a_principal, 2017, "proposal")  # type: ignore[arg-type]


def test_sql_is_constant_text() -> None:
    # Statements are module constants, never built from input; all variables are $parameters.
    statements = [
        v for module in _query_modules() for k, v in vars(module).items() if k.endswith("_SQL")
    ]
    assert len(statements) > 30
    for sql in statements:
        assert "{" not in sql and "%s" not in sql


def test_row_counts_only_for_tables_the_snapshot_lists(fixture_snapshot: Path) -> None:
    assert queries.table_row_count(DATA, "marts", "dim_organisation") == len(ORGS) + len(ENDED_ORGS)
    for schema, table in [("marts", "nope"), ("marts", "dim_organisation; drop"), ("main", "x")]:
        with pytest.raises(KeyError):
            queries.table_row_count(DATA, schema, table)


def test_publish_log_is_read_when_present(fixture_snapshot: Path) -> None:
    log = queries.publish_log(DATA)
    assert log is not None
    assert list(log["run_id"]) == ["fixture-run"]


def test_missing_snapshot_raises_the_friendly_error(missing_snapshot: Path) -> None:
    with pytest.raises(db.SnapshotMissing):
        queries.plan_versions(MANAGEMENT)


def test_file_that_is_not_a_snapshot_raises_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "current.duckdb"
    bad.write_bytes(b"not a database" * 100)
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(bad))
    with pytest.raises(db.SnapshotUnreadable):
        queries.plan_versions(MANAGEMENT)


def test_snapshot_without_the_marts_raises_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "current.duckdb"
    duckdb.connect(str(empty)).close()
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(empty))
    with pytest.raises(db.SnapshotUnreadable, match="dim_scenario|rpt_budget"):
        queries.plan_versions(MANAGEMENT)


def test_connection_is_read_only_and_cannot_read_files(fixture_snapshot: Path) -> None:
    for sql in ("delete from marts.dim_organisation", "select * from read_csv('/etc/passwd')"):
        with pytest.raises((duckdb.Error, db.SnapshotUnavailable)):
            db.query(sql)
    assert queries.table_row_count(DATA, "marts", "dim_organisation") == len(ORGS) + len(ENDED_ORGS)


def test_a_new_publish_is_seen_at_once_even_while_the_old_file_is_open(
    fixture_snapshot: Path,
) -> None:
    """A publish replaces current.duckdb atomically; cached results of the old file must go."""
    before = queries.budget_by_org(MANAGEMENT, 2017, "proposal")
    assert len(before) == len(ORGS)
    # Someone in this process still has the old file open (another session, a notebook).
    held = duckdb.connect(str(fixture_snapshot), read_only=True)
    try:
        replacement = build_snapshot(fixture_snapshot.parent / "snapshot-2.duckdb")
        con = replacement.parent / "writable.duckdb"
        replacement.chmod(0o644)
        os.replace(replacement, con)
        with duckdb.connect(str(con)) as w:
            w.execute("delete from marts.rpt_budget_org_year where org_code <> 'N131'")
        os.replace(con, fixture_snapshot)  # the atomic publish
        after = queries.budget_by_org(MANAGEMENT, 2017, "proposal")
        assert list(after["org_code"]) == ["N131"]
    finally:
        held.close()
