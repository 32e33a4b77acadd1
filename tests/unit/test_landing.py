"""Landing: files registered by content hash, corrections supersede, history kept, clear errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.lib.landing import SPECS_BY_TABLE, LandingError, load_table, logical_key

HEADER = "period,driver_code,cost_centre_code,quantity\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    yield connection
    connection.close()


def test_rows_keep_file_row_hash_and_load_time(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    _write(landing / "volumes/volumes_2017-03.csv", HEADER + "2017-03,WORKPLACE,N131-0001,12\n2017-03,WORKPLACE,N131-0002,3\n")
    loads = load_table(con, SPECS_BY_TABLE["volumes"], landing)
    assert [(x.relative_path, x.status, x.rows_read) for x in loads] == [
        ("volumes/volumes_2017-03.csv", "loaded", 2)
    ]
    rows = con.execute(
        "select cost_centre_code, _source_file, _source_row, length(_file_hash), _loaded_at is not null "
        "from raw.volumes order by _source_row"
    ).fetchall()
    assert rows == [
        ("N131-0001", "volumes/volumes_2017-03.csv", 2, 64, True),
        ("N131-0002", "volumes/volumes_2017-03.csv", 3, 64, True),
    ]


def test_the_same_file_twice_changes_nothing(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    _write(landing / "volumes/volumes_2017-03.csv", HEADER + "2017-03,WORKPLACE,N131-0001,12\n")
    load_table(con, SPECS_BY_TABLE["volumes"], landing)
    before = con.execute("select count(*), min(_loaded_at) from landed.volumes").fetchone()
    # Same content under another name: still the same file.
    _write(landing / "volumes/volumes_2017-03_copy.csv", HEADER + "2017-03,WORKPLACE,N131-0001,12\n")
    loads = load_table(con, SPECS_BY_TABLE["volumes"], landing)
    assert {x.status for x in loads} == {"unchanged"}
    assert con.execute("select count(*), min(_loaded_at) from landed.volumes").fetchone() == before
    assert con.execute("select count(*) from ops.landed_files").fetchone()[0] == 1


def test_a_correction_supersedes_and_the_earlier_version_stays_queryable(tmp_path: Path, con) -> None:
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
    assert logical_key("ledger", Path("ledger_2017-03.csv")) == logical_key("ledger", Path("ledger_2017-03.v2.csv"))
    assert logical_key("ledger", Path("ledger_2017-03.csv")) == logical_key("ledger", Path("ledger_2017-03_rattelse.csv"))
    assert logical_key("ledger", Path("ledger_2017-03.csv")) != logical_key("ledger", Path("ledger_2017-04.csv"))


def test_empty_file_is_rejected_with_its_name(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    _write(landing / "volumes/volumes_2017-04.csv", "")
    with pytest.raises(LandingError, match=r"volumes/volumes_2017-04.csv: the file is empty"):
        load_table(con, SPECS_BY_TABLE["volumes"], landing)


def test_header_that_breaks_the_contract_names_the_columns(tmp_path: Path, con) -> None:
    landing = tmp_path / "landing"
    _write(landing / "volumes/volumes_2017-03.csv", HEADER + "2017-03,WORKPLACE,N131-0001,12\n")
    load_table(con, SPECS_BY_TABLE["volumes"], landing)
    _write(landing / "volumes/volumes_2017-04.csv", "period,driver_code,quantity,extra\n2017-04,WORKPLACE,1,x\n")
    with pytest.raises(LandingError, match=r"missing: \['cost_centre_code'\]; unexpected: \['extra'\]"):
        load_table(con, SPECS_BY_TABLE["volumes"], landing)
    # The failed file left nothing behind.
    assert con.execute("select count(*) from ops.landed_files").fetchone()[0] == 1
