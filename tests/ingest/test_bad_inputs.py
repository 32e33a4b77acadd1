"""Every bad input, through the real loader into a real DuckDB warehouse, has exactly its outcome.

Two corpora: `tests/data/bad_inputs/` (the readers' files: encodings, dialects, SIE damage) and
`tests/data/ingest/` (files only the contract rules can judge: unknown codes, closed periods,
duplicates, negative volumes). For every file the test asserts which rows reach `raw.<table>`,
which are in `ops.quarantine` with which check and column, or that the file is rejected with its
message, moved to `data/quarantine/<kind>/` with a note and recorded in `ops.file_errors`; and
that rows read = rows staged + rows quarantined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipelines.lib.landing import row_reconciliation
from tests.unit.test_readers_corpus import EXPECTED as READER_EXPECTED

from .conftest import BAD_INPUTS, INGEST_INPUTS, Warehouse

LEDGER_COLUMNS_TEXT = (
    "voucher_series, voucher_number, voucher_date, period, account, cost_centre_code, "
    "activity_code, project_code, counterparty, amount_sek, text"
)
SIE_HOLD = "The whole voucher is held back so the ledger stays balanced."


@dataclass(frozen=True)
class Accepted:
    """The file loads: these source rows reach raw, these (row, check, column) are quarantined."""

    staged: list[int]
    quarantined: list[tuple[int, str, str | None]] = field(default_factory=list)
    # Exact messages of some quarantined rows, by row.
    messages: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejected:
    """The file cannot be read at all: this exact message, nothing of it loaded."""

    message: str


CASES: dict[str, Accepted | Rejected] = {
    # --- encodings and dialects -------------------------------------------------------------
    "ledger_2017-03_cp1252.csv": Accepted([2, 3]),
    "ledger_2017-03_bom.csv": Accepted([2, 3]),
    "ledger_2017-03_not_text.csv": Rejected(
        "ledger/ledger_2017-03_not_text.csv row 2: the file is neither UTF-8 nor Windows-1252 "
        "(byte 0x81 cannot be read as utf-8/cp1252; the row reads "
        "'A,351,2017-03-16,2017-03,5460,I060-9001,IT-ARB,,Atea \ufffd\ufffd AB,1…'); save it from "
        "Excel as 'CSV UTF-8 (kommaavgränsad)' and load it again."
    ),
    "volumes_2017-03_utf16_tab.txt": Accepted([2, 3]),
    # Semicolons and decimal commas are read; the negative volume in it is quarantined.
    "volumes_2017-03_semicolon_decimal_comma.csv": Accepted(
        [2, 3],
        [(4, "negative_value", "quantity")],
        {
            4: "volumes/volumes_2017-03_semicolon_decimal_comma.csv row 4: quantity '-3' is negative; "
            "quantity cannot be below 0; correct the row (a reversal is a correction file, not a "
            "negative volume)."
        },
    ),
    "ledger_2017-03_title_rows.xlsx": Accepted([5, 6]),
    "ledger_2017-03_empty_sheet.xlsx": Rejected(
        "ledger/ledger_2017-03_empty_sheet.xlsx: the workbook has no data; export it again or "
        "remove it."
    ),
    # --- header ----------------------------------------------------------------------------
    "ledger_2017-03_missing_column.csv": Rejected(
        "ledger/ledger_2017-03_missing_column.csv row 1: missing column(s) text (header: "
        "voucher_series, voucher_number, voucher_date, period, account, cost_centre_code, "
        "activity_code, project_code, counterparty, amount_sek); add the missing column(s); the "
        f"ledger contract has exactly these columns: {LEDGER_COLUMNS_TEXT} (see docs/input-formats.md)."
    ),
    "ledger_2017-03_extra_column.csv": Rejected(
        "ledger/ledger_2017-03_extra_column.csv row 1: unexpected column(s) 'Kommentar' (field 12) "
        f"(header: {LEDGER_COLUMNS_TEXT}, Kommentar); remove the extra column(s); the ledger "
        f"contract has exactly these columns: {LEDGER_COLUMNS_TEXT} (see docs/input-formats.md)."
    ),
    "ledger_2017-03_header_only.csv": Rejected(
        "ledger/ledger_2017-03_header_only.csv: the file has a header (row 1) but no data rows; "
        "export it again with the rows of the period, or remove the file."
    ),
    "ledger_2017-03_empty.csv": Rejected(
        "ledger/ledger_2017-03_empty.csv: the file is empty; export it again or remove it."
    ),
    # --- values ----------------------------------------------------------------------------
    # The row that is not a number is quarantined, and so is the rest of its voucher.
    "ledger_2017-03_non_numeric_amount.csv": Accepted(
        [],
        [
            (2, "voucher_held_back", None),
            (3, "number", "amount_sek"),
            (4, "voucher_held_back", None),
        ],
        {
            3: "ledger/ledger_2017-03_non_numeric_amount.csv row 3, column 'amount_sek' (field 10): "
            "'ett tusen' is not a number; write numbers like 1234.50, 1234,50 or 1 234,50 (no "
            "currency or unit).",
            4: "ledger/ledger_2017-03_non_numeric_amount.csv row 4: voucher A 105 is held back so "
            "that the ledger stays balanced: its row 3 is quarantined (number); correct that "
            "row and deliver the file again.",
        },
    ),
    "volumes_2017-03_negative.csv": Accepted([3], [(2, "negative_value", "quantity")]),
    # A file that ends in the middle of a row lost what came after it: rejected as a whole.
    "volumes_2017-03_truncated.csv": Rejected(
        "volumes/volumes_2017-03_truncated.csv row 3: the file ends in the middle of row 3, which "
        "reads '2017-03,MAILBOX,N131-0' (3 of 4 fields): the file was cut short (a copy or an "
        "export that stopped); export it again and deliver the whole file."
    ),
    # A report's print line under the table: quarantined, quoted; the rows above load.
    "ledger_2017-03_print_line.csv": Accepted(
        [2, 3],
        [(5, "field_count", None)],
        {
            5: "ledger/ledger_2017-03_print_line.csv row 5: the last line 'Utskriven 2017-12-02 av NN' "
            "has 1 field but the header has 11: it is not a row of the table (a report footer "
            "such as a print date?); remove the line from the file, or export the table without "
            "page footers."
        },
    ),
    # A free text of 1 MB loads (through the fast path, as the reader would read it).
    "ledger_2017-03_long_text.csv": Accepted([2, 3]),
    # --- codes against the registers --------------------------------------------------------
    "cost_centres_2017_additions.csv": Accepted(
        [2],
        [(3, "unknown_organisation", "org_code")],
        {
            3: "organisations/cost_centres_2017_additions.csv row 3: unknown organisation code "
            "'N999'; add it to organisations/organisations.csv (the organisation register) or "
            "correct the row."
        },
    ),
    "ledger_2017-03_unknown_cost_centre.csv": Accepted(
        [4, 5],
        [(2, "unknown_cost_centre", "cost_centre_code"), (3, "voucher_held_back", None)],
        {
            2: "ledger/ledger_2017-03_unknown_cost_centre.csv row 2: unknown cost centre 'I060-9999'; "
            "add it to organisations/cost_centres.csv or correct the row."
        },
    ),
    "ledger_2017-03_unknown_account.csv": Accepted(
        [],
        [(2, "unknown_account", "account"), (3, "voucher_held_back", None)],
        {
            2: "ledger/ledger_2017-03_unknown_account.csv row 2: unknown account '9999' (not in the "
            "chart of accounts of that fiscal year); add it to ledger/accounts.csv for the year or "
            "correct the row."
        },
    ),
    # An unknown activity code is a warning (GX), not a quarantine: the cost flows on and ends
    # in the unallocated pool downstream.
    "ledger_2017-03_unknown_activity.csv": Accepted([2, 3]),
    "plan_amounts_p1_2017.csv": Accepted(
        [2],
        [(3, "unknown_service", "service_id")],
        {
            3: "plan/plan_amounts_p1_2017.csv row 3: unknown service 'XX-NOPE'; add it to "
            "services/services.csv (the service catalogue) or correct the row."
        },
    ),
    "volumes_2017-03_unknown_codes.csv": Accepted(
        [2],
        [(3, "unknown_driver", "driver_code"), (4, "unknown_cost_centre", "cost_centre_code")],
        {
            3: "volumes/volumes_2017-03_unknown_codes.csv row 3: unknown volume driver 'TELEPORT'; "
            "add it to volumes/drivers.csv or correct the row."
        },
    ),
    # --- periods ----------------------------------------------------------------------------
    "volumes_2017-03_closed_and_future.csv": Accepted(
        [2],
        [(3, "closed_fiscal_year", "period"), (4, "future_fiscal_year", "period")],
        {
            3: "volumes/volumes_2017-03_closed_and_future.csv row 3: period 2015-12 is in fiscal "
            "year 2015, which is closed (open fiscal years: 2016, 2017); book it in an open "
            "period, or ask the controller to open the year (FORDELA_OPEN_YEARS; by default the "
            "years of plan/plan_amounts.csv).",
            4: "volumes/volumes_2017-03_closed_and_future.csv row 4: period 2019-01 is in fiscal "
            "year 2019, which is not open yet (open fiscal years: 2016, 2017); book it in an "
            "open period, or ask the controller to open the year (FORDELA_OPEN_YEARS; by "
            "default the years of plan/plan_amounts.csv).",
        },
    ),
    # --- duplicates -------------------------------------------------------------------------
    "volumes_2017-03_duplicates.csv": Accepted(
        [2, 3],
        [(4, "duplicate_row", None)],
        {
            4: "volumes/volumes_2017-03_duplicates.csv row 4: duplicate of "
            "volumes/volumes_2017-03_duplicates.csv row 2 (same period, driver_code, "
            "cost_centre_code); remove one of the two rows (or correct the key) and deliver the "
            "file again."
        },
    ),
    # A repeated export line: without it the voucher balances, so only the copy is held back.
    "ledger_2017-03_duplicate_row.csv": Accepted(
        [2, 3],
        [(4, "duplicate_row", None)],
        {
            4: "ledger/ledger_2017-03_duplicate_row.csv row 4: duplicate of "
            "ledger/ledger_2017-03_duplicate_row.csv row 2 (an identical ledger row); remove one "
            "of the two rows (or correct the key) and deliver the file again."
        },
    ),
    # Two identical lines in a voucher that balances with both are real (salary vouchers).
    "ledger_2017-03_repeated_lines.csv": Accepted([2, 3, 4]),
    # --- vouchers ---------------------------------------------------------------------------
    "ledger_2017-03_unbalanced.csv": Accepted(
        [],
        [(2, "voucher_balanced", "amount_sek"), (3, "voucher_balanced", "amount_sek")],
        {
            2: "ledger/ledger_2017-03_unbalanced.csv row 2: voucher A 341 does not balance: its 2 "
            "rows sum to 10.00 SEK instead of 0; correct the voucher in the ledger system and "
            "deliver the file again; the whole voucher is held back until then."
        },
    ),
    "ledger_2017-03_unbalanced.se": Accepted(
        [15, 16],
        [(20, "voucher_balanced", "amount_sek"), (21, "voucher_balanced", "amount_sek")],
        {
            20: "ledger/ledger_2017-03_unbalanced.se line 20: voucher A 2 opened at line 18 does not "
            "balance: its 2 rows sum to 10.00 SEK instead of 0; correct the voucher in the ledger "
            "system and export the file again. The whole voucher is held back."
        },
    ),
    "ledger_2017-03_sie_non_numeric_amount.se": Accepted(
        [20, 21],
        [(15, "number", "amount_sek"), (16, "voucher_incomplete", None)],
        {
            15: "ledger/ledger_2017-03_sie_non_numeric_amount.se line 15: the amount '1234,50' is not "
            "a number (voucher A 5 opened at line 13); SIE amounts are written with a point and no "
            f"thousands separator (-1234.50); correct the export and load it again. {SIE_HOLD}"
        },
    ),
    "ledger_2017-03_cp437_names.se": Accepted([21, 22]),
    "ledger_2017-03_object_lists.se": Accepted([17, 18, 19]),
    "ledger_2017-03_rtrans_btrans.se": Accepted([15, 17, 19]),
    # --- damaged files ----------------------------------------------------------------------
    "ledger_2017-03_truncated.se": Rejected(
        "ledger/ledger_2017-03_truncated.se: file ends inside voucher A 2 opened at line 18; the "
        "export was cut off, export it again."
    ),
    "ledger_2017-03_wrong_format.se": Rejected(
        "ledger/ledger_2017-03_wrong_format.se line 3: #FORMAT is 'UTF8', but SIE 4 files are "
        "written in PC8 (codepage 437); export the file again with the character set PC8 / IBM "
        "437, as the SIE standard requires."
    ),
    "ledger_2017-03_unknown_record_in_voucher.se": Rejected(
        "ledger/ledger_2017-03_unknown_record_in_voucher.se line 16: unexpected record '#KONTO' "
        "inside voucher A 4 (opened at line 13); only #TRANS, #RTRANS and #BTRANS may appear "
        "between { and }; the export is damaged or was changed by hand; export it again from the "
        "ledger system."
    ),
}

# Files that are not what their name says, or not whole: rejected with the readers' message,
# named by the path under data/landing/ (an .xls too: moved to quarantine like any rejection).
for _name in (
    "ledger_2017-03_old_excel.xls",
    "ledger_2017-03_utf16_no_bom.csv",
    "ledger_2017-03_zip_renamed.csv",
    "ledger_2017-03_xlsx_renamed.csv",
    "ledger_2017-03_cut_short.csv",
    "volumes_2017-03_binary.csv",
    "volumes_2017-03_utf16_cut_short.txt",
):
    _reader = READER_EXPECTED[_name]
    assert not hasattr(_reader, "row_numbers")
    CASES[_name] = Rejected(f"{_name.split('_', 1)[0]}/{_reader.message}")  # type: ignore[union-attr]

TABLE_OF = {"cost": ("cost_centres", "organisations"), "plan": ("plan_amounts", "plan")}


def _source(name: str) -> Path:
    for folder in (BAD_INPUTS, INGEST_INPUTS):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


def _table_and_kind(name: str) -> tuple[str, str]:
    prefix = name.split("_", 1)[0]
    return TABLE_OF.get(prefix, (prefix, prefix))


def test_every_corpus_file_has_an_expected_outcome() -> None:
    files = {
        p.name
        for folder in (BAD_INPUTS, INGEST_INPUTS)
        for p in folder.iterdir()
        if p.suffix != ".py"
    }
    assert files == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_outcome_through_the_loader(name: str, warehouse: Warehouse) -> None:
    table, kind = _table_and_kind(name)
    relative = f"{kind}/{name}"
    source = _source(name)
    warehouse.drop(source, kind)
    load = warehouse.load(table)
    [item] = [f for f in load.files if f.relative_path == relative]
    expected = CASES[name]

    if isinstance(expected, Rejected):
        assert item.status == "rejected"
        assert item.message == expected.message
        # Nothing of it is loaded; it is recorded, moved away, and a note says why and what to do.
        assert warehouse.rows(
            "select count(*) from ops.landed_files where relative_path = ?", [relative]
        ) == [(0,)]
        assert warehouse.rows(
            "select source_file, table_name, message, moved_to, resolved_at from ops.file_errors"
        ) == [(relative, table, expected.message, f"quarantine/{relative}", None)]
        assert not (warehouse.landing / relative).exists()
        moved = warehouse.quarantine / relative
        assert moved.read_bytes() == source.read_bytes()
        note = moved.with_name(moved.name + ".reason.txt").read_text(encoding="utf-8")
        assert expected.message in note and "What to do" in note
        assert load.open_errors == [expected.message]
        return

    assert item.status == "loaded"
    staged = [
        r[0]
        for r in warehouse.rows(
            f"select _source_row from raw.{table} where _source_file = ? order by 1", [relative]
        )
    ]
    assert staged == expected.staged
    quarantined = warehouse.rows(
        "select source_row, check_name, column_name from ops.quarantine where source_file = ? "
        "order by 1, 2",
        [relative],
    )
    assert quarantined == sorted(expected.quarantined, key=lambda q: (q[0], q[1]))
    for row, message in expected.messages.items():
        assert message in [
            m
            for (m,) in warehouse.rows(
                "select message from ops.quarantine where source_file = ? and source_row = ?",
                [relative, row],
            )
        ]
    # Every quarantined row names its file and row, and keeps its values as read.
    for message, record in warehouse.rows(
        "select message, raw_record from ops.quarantine where source_file = ?", [relative]
    ):
        assert message.startswith(relative + " ")
        assert record is not None
    # rows read = rows staged + rows quarantined, recorded per file and true in the tables.
    read, rows_staged, rows_quarantined = warehouse.rows(
        "select rows_read, rows_staged, rows_quarantined from ops.landed_files where relative_path = ?",
        [relative],
    )[0]
    assert rows_staged == len(expected.staged)
    assert rows_quarantined == len({q[0] for q in expected.quarantined})
    assert read == rows_staged + rows_quarantined
    assert (item.rows_read, item.rows_staged, item.rows_quarantined) == (
        read,
        rows_staged,
        rows_quarantined,
    )
    assert row_reconciliation(warehouse.con, table) == []
    assert load.open_errors == []


def test_cp1252_and_sie_text_keep_swedish_letters(warehouse: Warehouse) -> None:
    warehouse.drop(BAD_INPUTS / "ledger_2017-03_cp1252.csv", "ledger")
    warehouse.drop(BAD_INPUTS / "ledger_2017-03_cp437_names.se", "ledger")
    warehouse.load("ledger")
    texts = {t for (t,) in warehouse.rows("select text from raw.ledger where text is not null")}
    assert "Förbrukningsinventarier åäö ÅÄÖ" in texts
    assert "Löner mars" in texts


def test_open_years_are_configurable(warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORDELA_OPEN_YEARS", "2017")
    warehouse.drop(INGEST_INPUTS / "volumes_2017-03_closed_and_future.csv", "volumes")
    warehouse.load("volumes")
    assert warehouse.rows("select source_row, check_name from ops.quarantine order by 1") == [
        (3, "closed_fiscal_year"),
        (4, "future_fiscal_year"),
    ]
    # Explicit years win over the environment: 2015 is now open.
    warehouse.load("volumes", open_years=[2015, 2016, 2017])
    assert warehouse.rows("select source_row, check_name from ops.quarantine") == [
        (4, "future_fiscal_year")
    ]


def test_duplicate_across_two_active_files_keeps_the_first(warehouse: Warehouse) -> None:
    header = "period,driver_code,cost_centre_code,quantity\n"
    (warehouse.landing / "volumes").mkdir(exist_ok=True)
    (warehouse.landing / "volumes/volumes_2017-03.csv").write_text(
        header + "2017-03,WORKPLACE,N131-0001,12\n"
    )
    warehouse.load("volumes")
    (warehouse.landing / "volumes/volumes_2017-03_extra.csv").write_text(
        header + "2017-03,MAILBOX,N131-0001,1\n2017-03,WORKPLACE,N131-0001,12\n"
    )
    warehouse.load("volumes")
    assert warehouse.rows("select _source_file, _source_row from raw.volumes order by 1, 2") == [
        ("volumes/volumes_2017-03.csv", 2),
        ("volumes/volumes_2017-03_extra.csv", 2),
    ]
    [(message,)] = warehouse.rows(
        "select message from ops.quarantine where check_name = 'duplicate_row'"
    )
    assert message.startswith(
        "volumes/volumes_2017-03_extra.csv row 3: duplicate of volumes/volumes_2017-03.csv row 2"
    )


def test_a_quarantined_row_is_released_when_the_register_learns_its_code(
    warehouse: Warehouse,
) -> None:
    warehouse.drop(INGEST_INPUTS / "volumes_2017-03_unknown_codes.csv", "volumes")
    warehouse.load("volumes")
    assert warehouse.rows("select count(*) from raw.volumes") == [(1,)]
    drivers = warehouse.landing / "volumes/drivers.csv"
    drivers.write_text(
        drivers.read_text(encoding="utf-8") + "TELEPORT,st,pcs,Teleporter,Teleporters\n",
        encoding="utf-8",
    )
    assert warehouse.load("drivers").with_status("superseding")
    warehouse.load("volumes")
    assert warehouse.rows("select source_row, check_name from ops.quarantine") == [
        (4, "unknown_cost_centre")
    ]
    assert warehouse.rows(
        "select rows_staged, rows_quarantined from ops.landed_files where table_name = 'volumes'"
    ) == [(2, 1)]


def test_a_voucher_delivered_again_in_another_file_is_quarantined_there(
    warehouse: Warehouse,
) -> None:
    warehouse.drop(
        INGEST_INPUTS / "ledger_2017-03_repeated_lines.csv", "ledger", "ledger_2017-03.csv"
    )
    warehouse.load("ledger")
    warehouse.drop(
        INGEST_INPUTS / "ledger_2017-03_repeated_lines.csv", "ledger", "ledger_2017-03_extra.csv"
    )
    # Same content under another name is simply the same file; so change the file a little.
    extra = warehouse.landing / "ledger/ledger_2017-03_extra.csv"
    extra.write_text(
        extra.read_text(encoding="utf-8")
        + (
            "A,900,2017-03-26,2017-03,5460,I060-9001,IT-ARB,,Atea,5.00,Licens\n"
            "A,900,2017-03-26,2017-03,2440,,,,Atea,-5.00,Licens\n"
        ),
        encoding="utf-8",
    )
    warehouse.load("ledger")
    assert warehouse.rows(
        "select source_row, check_name from ops.quarantine where source_file = 'ledger/ledger_2017-03_extra.csv' order by 1"
    ) == [(2, "duplicate_row"), (3, "duplicate_row"), (4, "duplicate_row")]
    assert warehouse.rows("select count(*), sum(amount_sek::decimal(18, 2)) from raw.ledger") == [
        (5, 0)
    ]
