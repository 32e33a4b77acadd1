"""The same data delivered as CSV, SIE 4 or Excel loads to exactly the same staged rows and totals."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.automation import partition_range_tags
from pipelines.defs.ingest.assets import ingest_assets
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.demo import generate
from pipelines.lib.landing import SPECS_BY_TABLE, TABLE_SPECS, load_table
from pipelines.lib.readers import CONTRACT_COLUMNS, SieObject, vouchers_from_records, write_sie4

MONTH = "2017-03"
LEDGER = CONTRACT_COLUMNS["ledger"]
SIE_TYPES = {"balance": "T", "revenue": "I", "cost": "K"}
# Staged rows compared as values: amounts and quantities as numbers (Excel writes 1234.5 for
# 1234.50), everything else as text.
LEDGER_ROWS = (
    "select voucher_series, voucher_number, voucher_date, period, account, cost_centre_code, "
    "activity_code, project_code, counterparty, amount_sek::decimal(18, 2), text from raw.ledger"
)
VOLUME_ROWS = (
    "select period, driver_code, cost_centre_code, quantity::decimal(18, 4) from raw.volumes"
)


def _load_all(landing: Path, warehouse: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(warehouse))
    for spec in TABLE_SPECS:
        load = load_table(con, spec, landing)
        assert not load.rejected, [f.message for f in load.rejected]
    return con


def _multiset(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return sorted(con.execute(sql).fetchall(), key=repr)


@pytest.fixture(scope="module")
def cities(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo city at a small scale, once with every month as CSV, once as the city delivers."""
    root = tmp_path_factory.mktemp("cities")
    for formats in ("csv", "mixed"):
        generate(root / formats / "landing", seed=2017, scale=0.1, ledger_formats=formats)
    return {formats: root / formats for formats in ("csv", "mixed")}


def test_a_city_delivered_in_sie_excel_and_csv_loads_like_all_csv(cities: dict[str, Path]) -> None:
    mixed_formats = {p.suffix for p in (cities["mixed"] / "landing/ledger").glob("ledger_*")}
    assert {".se", ".xlsx", ".csv"} <= mixed_formats
    with (
        _load_all(cities["csv"] / "landing", cities["csv"] / "w.duckdb") as plain,
        _load_all(cities["mixed"] / "landing", cities["mixed"] / "w.duckdb") as mixed,
    ):
        for sql in (LEDGER_ROWS, VOLUME_ROWS):
            assert _multiset(mixed, sql) == _multiset(plain, sql)
        for con in (plain, mixed):
            assert con.execute("select count(*) from ops.quarantine").fetchone() == (0,)
        total = "select sum(amount_sek::decimal(18, 2)) filter (where amount_sek::decimal(18,2) > 0) from raw.ledger"
        assert mixed.execute(total).fetchone() == plain.execute(total).fetchone()


def _month_records(city: Path) -> list[dict[str, str | None]]:
    with (city / f"landing/ledger/ledger_{MONTH}.csv").open(encoding="utf-8", newline="") as handle:
        return [{c: (row[c] or None) for c in LEDGER} for row in csv.DictReader(handle)]


def _accounts(city: Path, year: int) -> list[dict[str, str]]:
    with (city / "landing/ledger/accounts.csv").open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["fiscal_year"] == str(year)]


def _write_sie(city: Path, records: list[dict[str, str | None]], path: Path) -> Path:
    accounts = _accounts(city, 2017)
    objects = sorted(
        {
            SieObject(1, r["cost_centre_code"], r["cost_centre_code"])
            for r in records
            if r["cost_centre_code"]
        },
        key=lambda o: o.code,
    )
    return write_sie4(
        path,
        "Intraservice Göteborgs Stad",
        2017,
        {a["account"]: a["account_name"] for a in accounts},
        objects,
        vouchers_from_records(records),
        account_types={a["account"]: SIE_TYPES[a["account_class"]] for a in accounts},
    )


def _write_xlsx(records: list[dict[str, str | None]], path: Path) -> Path:
    """As a controller's Excel export: a title row, Swedish headers, typed numbers and dates."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Huvudbok"
    sheet.append([f"Huvudbok Intraservice {MONTH}"])
    sheet.append([])
    sheet.append(
        [
            "Serie",
            "Vernr",
            "Datum",
            "Period",
            "Konto",
            "Ansvar",
            "Verksamhet",
            "Projekt",
            "Motpart",
            "Belopp",
            "Text",
        ]
    )
    for r in records:
        sheet.append(
            [
                r["voucher_series"],
                int(r["voucher_number"] or 0),
                date.fromisoformat(r["voucher_date"] or ""),
                r["period"],
                int(r["account"] or 0),
                r["cost_centre_code"],
                r["activity_code"],
                r["project_code"],
                r["counterparty"],
                float(Decimal(r["amount_sek"] or "0")),
                r["text"],
            ]
        )
    workbook.save(path)
    return path


@pytest.mark.parametrize("suffix", [".se", ".xlsx"])
def test_one_month_as_sie_or_excel_stages_the_same_rows_as_csv(
    cities: dict[str, Path], tmp_path: Path, suffix: str
) -> None:
    city = cities["csv"]
    records = _month_records(city)
    # Only the registers the ledger is validated against (and theirs), loaded first.
    reference = [
        "organisations",
        "cost_centres",
        "service_areas",
        "services",
        "accounts",
        "initiatives",
        "plan_amounts",
    ]

    def staged(landing: Path, name: str) -> list[tuple]:
        warehouse = landing.parent / f"{name}.duckdb"
        with duckdb.connect(str(warehouse)) as con:
            for table in [*reference, "ledger"]:
                load = load_table(con, SPECS_BY_TABLE[table], landing)
                assert not load.rejected, [f.message for f in load.rejected]
            assert con.execute("select count(*) from ops.quarantine").fetchone() == (0,)
            rows = _multiset(con, LEDGER_ROWS)
            read, kept = con.execute(
                "select rows_read, rows_staged from ops.landed_files where table_name = 'ledger'"
            ).fetchone()
            assert read == kept == len(records)
            return rows

    def landing_with(name: str, write) -> Path:  # type: ignore[no-untyped-def]
        landing = tmp_path / name / "landing"
        unused = (
            "ledger_*",
            "volumes*",
            "planned_volumes*",
            "allocation_keys*",
            "service_methods*",
            "price_list*",
            "initiative_plan*",
            "support_allocations*",
        )
        shutil.copytree(city / "landing", landing, ignore=shutil.ignore_patterns(*unused))
        write(landing / "ledger" / f"ledger_{MONTH}{name}")
        return landing

    expected = staged(
        landing_with(
            ".csv", lambda p: shutil.copyfile(city / f"landing/ledger/ledger_{MONTH}.csv", p)
        ),
        "csv",
    )
    writer = (
        (lambda p: _write_sie(city, records, p))
        if suffix == ".se"
        else (lambda p: _write_xlsx(records, p))
    )
    assert staged(landing_with(suffix, writer), suffix.lstrip(".")) == expected
    assert len(expected) == len(records)
    assert sum(r[9] for r in expected) == 0  # balanced vouchers, to the öre


def test_pipeline_loads_a_generated_sie_file_with_swedish_account_names(
    cities: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city = cities["csv"]
    records = _month_records(city)
    landing = tmp_path / "landing"
    shutil.copytree(
        city / "landing",
        landing,
        ignore=shutil.ignore_patterns("ledger_*", "volumes_*", "accounts.csv"),
    )
    # The same SIE export is both the month's ledger and (its #KONTO) the chart of accounts.
    sie = _write_sie(city, records, landing / f"ledger/ledger_{MONTH}.se")
    shutil.copyfile(sie, landing / "ledger/accounts_2017.se")
    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))

    result = dg.materialize(
        ingest_assets,
        selection=dg.AssetSelection.assets(dg.AssetKey(["raw", "ledger"])).upstream(),
        resources={"warehouse": WarehouseResource()},
        tags=partition_range_tags([MONTH]),
        raise_on_error=False,
    )
    assert result.success
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        names = dict(con.execute("select account, account_name from raw.accounts").fetchall())
        staged = _multiset(con, LEDGER_ROWS)
        formats = con.execute(
            "select distinct file_format from ops.landed_files where table_name in ('ledger', 'accounts')"
        ).fetchall()
    expected = {a["account"]: a["account_name"] for a in _accounts(city, 2017)}
    assert names == expected
    assert any(ch in name for name in names.values() for ch in "åäöÅÄÖ")
    assert len(staged) == len(records)
    assert formats == [("sie4",)]
    assert sorted(r[9] for r in staged) == sorted(Decimal(r["amount_sek"] or "0") for r in records)
