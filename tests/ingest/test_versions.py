"""Dropping the same files again changes nothing; a correction supersedes and history stays queryable."""

from __future__ import annotations

import shutil

from pipelines.lib.landing import row_reconciliation

from .conftest import BAD_INPUTS, INGEST_INPUTS, Warehouse, table_checksums

VOLUMES = "period,driver_code,cost_centre_code,quantity\n"


def _deliver_a_mixed_month(warehouse: Warehouse) -> None:
    """Good rows, quarantined rows and a rejected file, so every ops table has content."""
    warehouse.drop(BAD_INPUTS / "ledger_2017-03_cp437_names.se", "ledger")
    warehouse.drop(INGEST_INPUTS / "ledger_2017-03_unknown_cost_centre.csv", "ledger")
    warehouse.drop(BAD_INPUTS / "ledger_2017-03_truncated.se", "ledger")
    warehouse.drop(BAD_INPUTS / "volumes_2017-03_semicolon_decimal_comma.csv", "volumes")
    warehouse.drop(INGEST_INPUTS / "volumes_2017-03_duplicates.csv", "volumes")


def test_dropping_the_same_files_twice_leaves_every_table_unchanged(warehouse: Warehouse) -> None:
    _deliver_a_mixed_month(warehouse)
    for table in ("ledger", "volumes"):
        warehouse.load(table)
    before = table_checksums(warehouse.con)
    assert before["ops.quarantine"][0] > 0 and before["ops.file_errors"][0] == 1

    # The same deliveries again: the same names, the same content under other names, and the
    # rejected file once more.
    _deliver_a_mixed_month(warehouse)
    warehouse.drop(
        INGEST_INPUTS / "volumes_2017-03_duplicates.csv", "volumes", "volumes_2017-03_copy.csv"
    )
    loads = {
        table: warehouse.load(table) for table in ("ledger", "volumes", "cost_centres", "drivers")
    }

    assert table_checksums(warehouse.con) == before
    statuses = {f.relative_path: f.status for load in loads.values() for f in load.files}
    assert statuses["volumes/volumes_2017-03_copy.csv"] == "unchanged"
    assert statuses["ledger/ledger_2017-03_truncated.se"] == "rejected"  # again, but recorded once


def test_a_correction_supersedes_and_the_earlier_version_stays_queryable(
    warehouse: Warehouse,
) -> None:
    folder = warehouse.landing / "volumes"
    folder.mkdir(exist_ok=True)
    (folder / "volumes_2017-03.csv").write_text(
        VOLUMES + "2017-03,WORKPLACE,N131-0001,12\n2017-03,MAILBOX,N131-0001,-1\n"
    )
    warehouse.load("volumes")
    [(first_hash,)] = warehouse.rows(
        "select file_hash from ops.landed_files where table_name = 'volumes'"
    )

    (folder / "volumes_2017-03_korr.csv").write_text(
        VOLUMES + "2017-03,WORKPLACE,N131-0001,14\n2017-03,MAILBOX,N131-0001,1\n"
    )
    load = warehouse.load("volumes")
    [correction] = load.with_status("superseding")
    assert correction.superseded == first_hash

    # raw shows the correction only.
    assert warehouse.rows(
        "select driver_code, quantity, _source_file from raw.volumes order by 1"
    ) == [
        ("MAILBOX", "1", "volumes/volumes_2017-03_korr.csv"),
        ("WORKPLACE", "14", "volumes/volumes_2017-03_korr.csv"),
    ]
    # The earlier version is still there, with its status, its successor and its quarantine.
    assert warehouse.rows(
        "select relative_path, status, superseded_by is not null from ops.landed_files "
        "where table_name = 'volumes' order by loaded_at, relative_path"
    ) == [
        ("volumes/volumes_2017-03.csv", "superseded", True),
        ("volumes/volumes_2017-03_korr.csv", "active", False),
    ]
    assert warehouse.rows(
        "select quantity from landed.volumes where _file_hash = ? order by _source_row",
        [first_hash],
    ) == [("12",), ("-1",)]
    assert warehouse.rows(
        "select check_name from ops.quarantine where file_hash = ?", [first_hash]
    ) == [("negative_value",)]
    assert row_reconciliation(warehouse.con, "volumes") == []


def test_a_rejected_correction_keeps_the_earlier_version_active(warehouse: Warehouse) -> None:
    folder = warehouse.landing / "volumes"
    folder.mkdir(exist_ok=True)
    (folder / "volumes_2017-03.csv").write_text(VOLUMES + "2017-03,WORKPLACE,N131-0001,12\n")
    warehouse.load("volumes")
    (folder / "volumes_2017-03_v2.csv").write_text("period;driver_code\n")
    load = warehouse.load("volumes")
    assert [f.relative_path for f in load.rejected] == ["volumes/volumes_2017-03_v2.csv"]
    assert warehouse.rows("select quantity from raw.volumes") == [("12",)]
    assert load.open_errors and load.open_errors[0].startswith("volumes/volumes_2017-03_v2.csv")


def test_a_rejected_file_is_resolved_by_its_corrected_delivery(warehouse: Warehouse) -> None:
    warehouse.drop(BAD_INPUTS / "ledger_2017-03_truncated.se", "ledger", "ledger_2017-03.se")
    assert warehouse.load("ledger").open_errors
    shutil.copyfile(
        BAD_INPUTS / "ledger_2017-03_cp437_names.se", warehouse.landing / "ledger/ledger_2017-03.se"
    )
    load = warehouse.load("ledger")
    assert load.open_errors == []
    assert warehouse.rows("select resolution from ops.file_errors") == [
        ("replaced by ledger/ledger_2017-03.se",)
    ]
