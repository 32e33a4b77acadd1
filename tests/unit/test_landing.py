"""Landing: files registered by content hash, corrections supersede, history kept, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.lib.landing import (
    SPECS_BY_TABLE,
    configured_open_years,
    fast_read_csv,
    landing_files,
    load_table,
    logical_key,
    period_of,
    spec_for,
    unrecognised_files,
)
from pipelines.lib.readers import CONTRACT_COLUMNS, read_table

HEADER = "period,driver_code,cost_centre_code,quantity\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_keep_file_row_hash_and_load_time(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    _write(
        landing / "volumes/volumes_2017-03.csv",
        HEADER + "2017-03,WORKPLACE,N131-0001,12\n2017-03,WORKPLACE,N131-0002,3\n",
    )
    loads = load_table(con, SPECS_BY_TABLE["volumes"], landing)
    assert [(x.relative_path, x.status, x.rows_read, x.partition) for x in loads] == [
        ("volumes/volumes_2017-03.csv", "loaded", 2, "2017-03")
    ]
    rows = con.execute(
        "select cost_centre_code, _source_file, _source_row, length(_file_hash), _loaded_at is not null "
        "from raw.volumes order by _source_row"
    ).fetchall()
    assert rows == [
        ("N131-0001", "volumes/volumes_2017-03.csv", 2, 64, True),
        ("N131-0002", "volumes/volumes_2017-03.csv", 3, 64, True),
    ]
    # Registers that are not loaded are not checked, and the load says so.
    assert any("raw.drivers is not loaded" in s for s in loads.skipped_rules)


def test_the_same_file_twice_changes_nothing(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    _write(landing / "volumes/volumes_2017-03.csv", HEADER + "2017-03,WORKPLACE,N131-0001,12\n")
    load_table(con, SPECS_BY_TABLE["volumes"], landing)
    before = con.execute("select count(*), min(_loaded_at) from landed.volumes").fetchone()
    # Same content under another name: still the same file.
    _write(
        landing / "volumes/volumes_2017-03_copy.csv", HEADER + "2017-03,WORKPLACE,N131-0001,12\n"
    )
    loads = load_table(con, SPECS_BY_TABLE["volumes"], landing)
    assert {x.status for x in loads} == {"unchanged"}
    copy = next(x for x in loads if x.relative_path.endswith("_copy.csv"))
    assert copy.message == "same content as volumes/volumes_2017-03.csv; nothing to load"
    assert con.execute("select count(*), min(_loaded_at) from landed.volumes").fetchone() == before
    assert con.execute("select count(*) from ops.landed_files").fetchone()[0] == 1


def test_a_correction_supersedes_and_the_earlier_version_stays_queryable(
    tmp_path: Path, con
) -> None:
    landing = tmp_path / "landing"
    _write(landing / "volumes/volumes_2017-03.csv", HEADER + "2017-03,WORKPLACE,N131-0001,12\n")
    load_table(con, SPECS_BY_TABLE["volumes"], landing)
    _write(landing / "volumes/volumes_2017-03_v2.csv", HEADER + "2017-03,WORKPLACE,N131-0001,14\n")
    loads = load_table(con, SPECS_BY_TABLE["volumes"], landing)
    assert [x.status for x in loads if x.status != "unchanged"] == ["superseding"]
    assert con.execute("select quantity from raw.volumes").fetchall() == [("14",)]
    history = con.execute(
        "select quantity, f.status from landed.volumes v join ops.landed_files f on v._file_hash = f.file_hash "
        "order by v._loaded_at"
    ).fetchall()
    assert history == [("12", "superseded"), ("14", "active")]


def test_logical_key_ignores_correction_suffixes() -> None:
    assert logical_key("ledger", Path("ledger_2017-03.csv")) == logical_key(
        "ledger", Path("ledger_2017-03.v2.csv")
    )
    assert logical_key("ledger", Path("ledger_2017-03.csv")) == logical_key(
        "ledger", Path("ledger_2017-03_rattelse.csv")
    )
    # Another format of the same delivery is a version of it too.
    assert logical_key("ledger", Path("ledger_2017-03.csv")) == logical_key(
        "ledger", Path("ledger_2017-03.se")
    )
    assert logical_key("ledger", Path("ledger_2017-03.csv")) != logical_key(
        "ledger", Path("ledger_2017-04.csv")
    )


def test_period_from_the_file_name() -> None:
    ledger = SPECS_BY_TABLE["ledger"]
    assert period_of(ledger, Path("ledger_2017-03.csv")) == "2017-03"
    assert period_of(ledger, Path("ledger_201703_korr.se")) == "2017-03"
    assert period_of(ledger, Path("ledger_2017-13.csv")) is None
    assert period_of(ledger, Path("ledger_mars.xlsx")) is None


def test_files_are_found_by_contract_and_corrections_come_last(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    for name in (
        "ledger_2017-03_v10.csv",
        "ledger_2017-03_v2.csv",
        "ledger_2017-03.csv",
        "ledger_2017-04.se",
        "ledger_2017-05.xlsx",
        "accounts.csv",
        "~$ledger_2017-06.xlsx",
        "huvudbok.csv",
    ):
        _write(landing / "ledger" / name, "x")
    names = [p.name for p in landing_files(SPECS_BY_TABLE["ledger"], landing)]
    assert names == [
        "ledger_2017-03.csv",
        "ledger_2017-03_v2.csv",
        "ledger_2017-03_v10.csv",
        "ledger_2017-04.se",
        "ledger_2017-05.xlsx",
    ]
    assert spec_for(landing / "ledger/accounts.csv", landing) == SPECS_BY_TABLE["accounts"]
    assert [p.name for p in unrecognised_files(landing)] == [
        "huvudbok.csv",
        "~$ledger_2017-06.xlsx",
    ]


def test_open_years_setting() -> None:
    assert configured_open_years("2016-2017") == {2016, 2017}
    assert configured_open_years("2015, 2017") == {2015, 2017}
    assert configured_open_years("") is None


def test_an_empty_file_is_rejected_moved_and_the_load_goes_on(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    _write(landing / "volumes/volumes_2017-03.csv", HEADER + "2017-03,WORKPLACE,N131-0001,12\n")
    _write(landing / "volumes/volumes_2017-04.csv", "")
    loads = load_table(con, SPECS_BY_TABLE["volumes"], landing)
    assert [(x.relative_path, x.status) for x in loads] == [
        ("volumes/volumes_2017-03.csv", "loaded"),
        ("volumes/volumes_2017-04.csv", "rejected"),
    ]
    assert (
        loads.rejected[0].message
        == "volumes/volumes_2017-04.csv: the file is empty; export it again or remove it."
    )
    assert (tmp_path / "quarantine/volumes/volumes_2017-04.csv.reason.txt").exists()
    assert con.execute("select count(*) from raw.volumes").fetchone()[0] == 1


def test_a_header_that_breaks_the_contract_rejects_only_that_file(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    _write(landing / "volumes/volumes_2017-03.csv", HEADER + "2017-03,WORKPLACE,N131-0001,12\n")
    load_table(con, SPECS_BY_TABLE["volumes"], landing)
    _write(
        landing / "volumes/volumes_2017-04.csv",
        "period,driver_code,quantity,extra\n2017-04,WORKPLACE,1,x\n",
    )
    loads = load_table(con, SPECS_BY_TABLE["volumes"], landing)
    [rejected] = loads.rejected
    assert "missing column(s) cost_centre_code" in rejected.message
    assert "unexpected column(s) 'extra'" in rejected.message
    # The rejected file left nothing behind but its error.
    assert con.execute("select count(*) from ops.landed_files").fetchone()[0] == 1
    assert (
        con.execute("select count(*) from ops.file_errors where resolved_at is null").fetchone()[0]
        == 1
    )


def test_partitioned_load_takes_only_its_months_and_rejects_unnamed_files(
    tmp_path: Path, con
) -> None:
    landing = tmp_path / "landing"
    for month in ("2017-03", "2017-04"):
        _write(
            landing / f"volumes/volumes_{month}.csv", HEADER + f"{month},WORKPLACE,N131-0001,1\n"
        )
    _write(landing / "volumes/volumes_mars.csv", HEADER + "2017-03,WORKPLACE,N131-0002,1\n")
    _write(landing / "volumes/volumes_1999-01.csv", HEADER + "1999-01,WORKPLACE,N131-0002,1\n")
    _write(landing / "volumes/volumes_2099-01.csv", HEADER + "2099-01,WORKPLACE,N131-0002,1\n")
    loads = load_table(
        con,
        SPECS_BY_TABLE["volumes"],
        landing,
        periods=["2017-04"],
        valid_periods=["2017-03", "2017-04"],
    )
    assert sorted((x.relative_path, x.status) for x in loads) == [
        ("volumes/volumes_1999-01.csv", "rejected"),
        ("volumes/volumes_2017-04.csv", "loaded"),
        ("volumes/volumes_2099-01.csv", "rejected"),
        ("volumes/volumes_mars.csv", "rejected"),
    ]
    messages = {x.relative_path: x.message for x in loads.rejected}
    assert messages["volumes/volumes_mars.csv"] == (
        "volumes/volumes_mars.csv: the file name does not say which period it holds; name it like "
        "volumes_YYYY-MM.csv (one period per file, see docs/input-formats.md) and deliver it again."
    )
    # Before the first month: the message names the setting that moves it.
    assert messages["volumes/volumes_1999-01.csv"] == (
        "volumes/volumes_1999-01.csv: period 1999-01 (from the file name) is before the first "
        "month fordela keeps, 2017-03 (the setting FORDELA_FIRST_MONTH); set "
        "FORDELA_FIRST_MONTH=1999-01 (or earlier) to load it, or correct the file name."
    )
    assert messages["volumes/volumes_2099-01.csv"].startswith(
        "volumes/volumes_2099-01.csv: period 2099-01 (from the file name) is outside the periods "
        "fordela keeps (2017-03 to 2017-04: from FORDELA_FIRST_MONTH to the current month)"
    )


CANONICAL_EDGE_CASES = {
    # Each of these must leave the fast path (the reader normalises or reports something).
    "leading space": "2017-03, WORKPLACE,N131-0001,12\n",
    "decimal comma": '2017-03,WORKPLACE,N131-0001,"1,5"\n',
    "blank line": "2017-03,WORKPLACE,N131-0001,12\n\n2017-03,MAILBOX,N131-0001,1\n",
    "short row": "2017-03,WORKPLACE,N131-0001\n",
    "all empty row": ",,,\n2017-03,WORKPLACE,N131-0001,12\n",
    "no-break space": "2017-03,WORKPLACE,N131-0001\u00a0,12\n",
    "plus sign": "2017-03,WORKPLACE,N131-0001,+12\n",
    "compact period": "201703,WORKPLACE,N131-0001,12\n",
    "quoted line break": '2017-03,"WORK\nPLACE",N131-0001,12\n',
}


@pytest.mark.parametrize("case", sorted(CANONICAL_EDGE_CASES))
def test_fast_path_steps_aside_for_anything_the_reader_would_change(
    tmp_path: Path, case: str
) -> None:
    path = _write(tmp_path / "volumes_2017-03.csv", HEADER + CANONICAL_EDGE_CASES[case])
    assert fast_read_csv("volumes", path) is None


def test_fast_path_gives_exactly_the_readers_rows(tmp_path: Path) -> None:
    text = (
        "voucher_series,voucher_number,voucher_date,period,account,cost_centre_code,activity_code,"
        "project_code,counterparty,amount_sek,text\n"
        'A,1,2017-03-01,2017-03,5460,I060-9001,IT-ARB,,"Atea, Sverige AB",-1234.50,"Licens ""Pro"" åäö"\n'
        "A,1,2017-03-01,2017-03,2440,,,,Atea,1234.50,\n"
    )
    path = _write(tmp_path / "ledger_2017-03.csv", text)
    fast = fast_read_csv("ledger", path)
    assert fast is not None
    read = read_table(path, "ledger", CONTRACT_COLUMNS["ledger"])
    columns = CONTRACT_COLUMNS["ledger"]
    assert [{c: r[c] for c in columns} for r in fast.to_pylist()] == read.records
    assert fast.column("_source_row").to_pylist() == read.row_numbers
