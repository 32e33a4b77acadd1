"""Acceptance 6: a register that loses most of its rows makes the run red, and the first line
`fordela pipeline` prints names the register rows and the rule that started the cascade."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.lib.cascade import quarantine_report
from pipelines.lib.landing import TABLE_SPECS, load_table
from tests.minimal_city import (
    header_of,
    minimal_city,
    rows_of,
    set_cell,
    to_text,
    write_city,
)

ORGANISATIONS = "organisations/organisations.csv"
COST_CENTRES = "organisations/cost_centres.csv"
LEDGER = "ledger/ledger_2025-01.csv"
CONSUMERS = ("BUF", "SOC", "KUL", "MBK", "IFO")


def bigger_city() -> dict[str, str]:
    """The minimal city with five more consumers, each with a cost centre and ledger rows."""
    city = minimal_city()
    orgs = rows_of(city[ORGANISATIONS])
    centres = rows_of(city[COST_CENTRES])
    ledger = rows_of(city[LEDGER])
    for number, org in enumerate(CONSUMERS, start=2):
        orgs.append({**orgs[1], "org_code": org, "org_name": f"Förvaltning {org}"})
        centres.append(
            {
                **centres[1],
                "cost_centre_code": f"{org}-1",
                "org_code": org,
                "cost_centre_name": f"{org} gemensamt",
            }
        )
        for row in ledger[:2]:
            ledger.append(
                {
                    **row,
                    "voucher_number": str(number),
                    "cost_centre_code": f"{org}-1" if row["cost_centre_code"] else "",
                }
            )
    return {
        **city,
        ORGANISATIONS: to_text(header_of(city[ORGANISATIONS]), orgs),
        COST_CENTRES: to_text(header_of(city[COST_CENTRES]), centres),
        LEDGER: to_text(header_of(city[LEDGER]), ledger),
    }


def broken_register(city: dict[str, str]) -> tuple[dict[str, str], str, str]:
    """(the city with a register that loses most rows, the register's file, the rule): every
    organisation's group is missing from a delivered org_groups.csv (unknown_org_group)."""
    groups = "org_group,name_sv,name_en,sort_order\nBolag,Bolag,Companies,1\n"
    return {**city, "organisations/org_groups.csv": groups}, ORGANISATIONS, "unknown_org_group"


@pytest.mark.slow
def test_a_register_that_loses_most_rows_stops_the_run_naming_the_root_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city, register, rule = broken_register(bigger_city())
    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    write_city(city, tmp_path / "landing")

    # Dagster's own console log (every step, stack traces) stays quiet: what is left is what
    # the command says about the failure.
    result = CliRunner().invoke(app, ["pipeline", "--no-demo", "--log-level", "CRITICAL"])

    assert result.exit_code == 1
    output = result.stderr.splitlines()
    first = output[0]
    assert first.startswith(f"{register} rows 2-"), output[:5]
    assert f"({rule}) -> " in first
    assert "quarantined" in first and "100 % of ledger/ledger_2025-01.csv" in first
    assert output[-1] == "The pipeline failed; the published snapshot was left as it was."
    assert not (tmp_path / "serving" / "current.duckdb").exists()
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        stored = con.execute(
            "select asset_key, message from ops.check_results where source = 'quarantine' "
            "and not passed order by asset_key"
        ).fetchall()
    assert {asset for asset, _ in stored} >= {"raw/ledger"}
    assert all(message.startswith(f"{register} rows 2-") for _, message in stored)


def _landed(city: dict[str, str], root: Path) -> duckdb.DuckDBPyConnection:
    write_city(city, root / "landing")
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    for spec in TABLE_SPECS:
        load_table(con, spec, root / "landing", quarantine_dir=root / "quarantine")
    return con


def test_the_root_cause_is_traced_through_the_registers(tmp_path: Path) -> None:
    """Without Dagster: the organisations are quarantined for an unknown group, the cost centres
    and keys for unknown organisations, the ledger rows for unknown cost centres; the cause is
    the register rows, named once, first."""
    city, register, rule = broken_register(bigger_city())
    with _landed(city, tmp_path) as con:
        report = quarantine_report(con, 0.5)
    assert not report.passed
    [(cause, taken)] = report.causes
    assert (cause.source_file, cause.check_name, cause.rows) == (register, rule, tuple(range(2, 9)))
    # The organisations take their cost centres, their keys and the ledger rows with them.
    assert [loss.table for loss in taken] == [
        "organisations",
        "cost_centres",
        "allocation_keys",
        "ledger",
    ]
    lines = report.lines()
    assert lines[0].startswith(f"{register} rows 2-8, column ")
    assert lines[0].endswith("100 % of ledger/ledger_2025-01.csv (12 of 12 rows) quarantined")
    assert lines[1:] and all(line.startswith("over the limit (50 %") for line in lines[1:])


def test_the_limit_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One organisation code wrong: 1 of 7 cost centres and 2 of 12 ledger rows, under the
    default limit (0.5); over a limit of 0.1 (FORDELA_QUARANTINE_FAIL_SHARE)."""
    from pipelines.lib.settings import get_settings

    city = bigger_city()
    city = set_cell(city, COST_CENTRES, 2, "org_code", "BUFX")
    with _landed(city, tmp_path) as con:
        assert get_settings().quarantine_fail_share == 0.5
        assert quarantine_report(con, get_settings().quarantine_fail_share).passed
        monkeypatch.setenv("FORDELA_QUARANTINE_FAIL_SHARE", "0.1")
        strict = quarantine_report(con, get_settings().quarantine_fail_share)
    assert not strict.passed
    assert strict.lines()[0].startswith(
        "organisations/cost_centres.csv row 4, column 'org_code': unknown organisation code 'BUFX'"
    )
