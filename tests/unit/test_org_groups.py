"""Organisation groups are the city's own; the producer flag is optional (docs/input-formats.md)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from expectations import CONTRACTS_BY_TABLE
from pipelines.lib.landing import SPECS_BY_TABLE, load_table
from pipelines.lib.quality import run_contract
from tests.ingest.conftest import write_files

ORGS = "org_code,org_name,org_group,valid_from,valid_to,is_producer\n"
GROUPS = "org_group,name_sv,name_en,sort_order\n"
# A producer in the group Stöd and a consumer in the group Omsorg.
TWO_ORGS = (
    "SSC,Servicecenter,Stöd,2031-01-01,,true\nSKO,Skolförvaltningen,Omsorg,2031-01-01,,false\n"
)


def _load(con: duckdb.DuckDBPyConnection, landing: Path, *tables: str) -> None:
    for table in tables:
        load_table(con, SPECS_BY_TABLE[table], landing, open_years=[2031])


def test_any_group_is_accepted_when_the_city_delivers_no_group_register(
    tmp_path: Path, con
) -> None:
    landing = tmp_path / "landing"
    write_files(landing, {"organisations/organisations.csv": ORGS + TWO_ORGS})
    _load(con, landing, "org_groups", "organisations")
    assert con.execute("select count(*) from raw.org_groups").fetchone() == (0,)
    assert con.execute(
        "select org_code, org_group from raw.organisations order by 1"
    ).fetchall() == [
        ("SKO", "Omsorg"),
        ("SSC", "Stöd"),
    ]
    assert con.execute("select count(*) from ops.quarantine").fetchone() == (0,)


def test_with_a_group_register_an_unknown_group_is_quarantined(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    write_files(landing, {"organisations/org_groups.csv": GROUPS + "Stöd,Stöd,Support,1\n"})
    write_files(landing, {"organisations/organisations.csv": ORGS + TWO_ORGS})
    loads = load_table(con, SPECS_BY_TABLE["org_groups"], landing)
    assert not loads.skipped_rules
    loads = load_table(con, SPECS_BY_TABLE["organisations"], landing)
    assert loads.quarantined_by_check == {"unknown_org_group": 1}
    assert not loads.skipped_rules
    (message,) = con.execute("select message from ops.quarantine").fetchone()
    assert message == (
        "organisations/organisations.csv row 3: organisation group 'Omsorg' is not in "
        "organisations/org_groups.csv; add the group to organisations/org_groups.csv or correct "
        "the row's org_group."
    )
    # Adding the group releases the organisation.
    write_files(
        landing,
        {"organisations/org_groups.csv": GROUPS + "Stöd,Stöd,Support,1\nOmsorg,Omsorg,Care,2\n"},
    )
    _load(con, landing, "org_groups", "organisations")
    assert con.execute("select count(*) from raw.organisations").fetchone() == (2,)


def test_the_group_register_must_name_each_group_once(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    groups = "Stöd,Stöd,Support,1\nStöd,Stöd igen,Support again,2\nBolag,Bolag,,3\n"
    write_files(landing, {"organisations/org_groups.csv": GROUPS + groups})
    loads = load_table(con, SPECS_BY_TABLE["org_groups"], landing)
    assert loads.quarantined_by_check == {"duplicate_row": 1, "missing_value": 1}


def test_a_warehouse_landed_before_is_producer_reads_its_default(tmp_path: Path, con) -> None:
    """Rows landed before the column existed read `false`, as a file that leaves it out does."""
    con.execute("create schema landed")
    con.execute(
        "create table landed.organisations (org_code varchar, org_name varchar, org_group varchar, "
        "valid_from varchar, valid_to varchar, _source_file varchar, _source_row bigint, "
        "_file_hash varchar, _loaded_at timestamp)"
    )
    con.execute(
        "insert into landed.organisations values ('OLD', 'Gammal', 'G', '2031-01-01', null, "
        "'organisations/old.csv', 2, 'x', now())"
    )
    landing = tmp_path / "landing"
    write_files(
        landing,
        {"organisations/organisations.csv": ORGS + "SSC,Servicecenter,Stöd,2031-01-01,,true\n"},
    )
    _load(con, landing, "organisations")
    assert con.execute(
        "select org_code, is_producer from landed.organisations order by 1"
    ).fetchall() == [
        ("OLD", "false"),
        ("SSC", "true"),
    ]


@pytest.mark.parametrize(
    ("rows", "passed"),
    [
        (
            "SSC,Servicecenter,Stöd,2031-01-01,,true\nSKO,Skola,Förvaltningar,2031-01-01,,false\n",
            True,
        ),
        (
            "SSC,Servicecenter,Stöd,2031-01-01,,false\nSKO,Skola,Förvaltningar,2031-01-01,,false\n",
            False,
        ),
    ],
)
def test_no_producer_is_a_warning_of_the_gx_suite(
    tmp_path: Path, con, rows: str, passed: bool
) -> None:
    landing = tmp_path / "landing"
    write_files(landing, {"organisations/organisations.csv": ORGS + rows})
    _load(con, landing, "org_groups", "organisations")
    run = run_contract(con, CONTRACTS_BY_TABLE["organisations"], [2031], reuse=False)
    (outcome,) = [o for o in run.outcomes if o.rule == "no_producer"]
    assert outcome.passed is passed
    assert outcome.severity == "warning"
    # Nothing else fails: the groups are the city's own, no register was delivered.
    assert all(o.passed for o in run.outcomes if o.rule != "no_producer")
