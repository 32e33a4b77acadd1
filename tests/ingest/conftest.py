"""A tiny city for ingest tests: reference files loaded once, copied into a fresh warehouse per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.landing import SPECS_BY_TABLE, TableLoad, load_table

DATA = Path(__file__).resolve().parents[1] / "data"
BAD_INPUTS = DATA / "bad_inputs"  # the readers' corpus
INGEST_INPUTS = DATA / "ingest"  # files that only the loader's rules can judge

# Codes that the files of both corpora use.
REFERENCE_FILES: dict[str, str] = {
    "organisations/organisations.csv": (
        "org_code,org_name,org_group,valid_from,valid_to,is_producer\n"
        "N131,Angered,Stadsdelsförvaltningar,2016-01-01,,false\n"
        "I060,Intraservice,Fackförvaltningar,2016-01-01,,true\n"
    ),
    "organisations/cost_centres.csv": (
        "cost_centre_code,cost_centre_name,org_code,is_default,valid_from,valid_to\n"
        "N131-0001,Angered förvaltningsgemensamt,N131,true,2016-01-01,\n"
        "N131-0002,Angered hemtjänst 1,N131,false,2016-01-01,\n"
        "I060-9001,Intraservice IT-drift,I060,true,2016-01-01,\n"
        "I060-9002,Intraservice telefoni,I060,false,2016-01-01,\n"
        "I060-9003,Intraservice licenser,I060,false,2016-01-01,\n"
    ),
    "services/service_areas.csv": (
        "service_area_code,name_sv,name_en\nIT,IT-tjänster,IT services\nHR,HR,HR\n"
    ),
    "services/services.csv": (
        "service_id,service_name_sv,former_name_sv,service_area_code,cost_type,is_adjustment,"
        "valid_from,valid_to,comment_sv,is_support\n"
        "IT-ARB,IT-arbetsplats,,IT,maintenance,false,2016-01-01,,,false\n"
        "IT-TEL,Telefoni,,IT,maintenance,false,2016-01-01,,,false\n"
        "HR-LON,Lön,,HR,maintenance,false,2016-01-01,,,false\n"
    ),
    "volumes/drivers.csv": (
        "driver_code,unit_sv,unit_en,description_sv,description_en\n"
        "WORKPLACE,st,pcs,Arbetsplatser,Workplaces\n"
        "STORAGE_GB,GB,GB,Lagring,Storage\n"
        "MAILBOX,st,pcs,Brevlådor,Mailboxes\n"
        "LAN_PORT,st,pcs,Nätverksportar,LAN ports\n"
    ),
    "ledger/accounts.csv": "fiscal_year,account,account_name,account_class\n"
    + "".join(
        f"{year},{account},{name},{kind}\n"
        for year in (2016, 2017)
        for account, name, kind in (
            ("1930", "Bank", "balance"),
            ("2440", "Leverantörsskulder", "balance"),
            ("5060", "Arbetsgivaravgifter", "cost"),
            ("5410", "Förbrukningsinventarier", "cost"),
            ("5460", "Licenser och programvara", "cost"),
            ("7010", "Lön till tjänstemän", "cost"),
        )
    ),
    "plan/plan_amounts.csv": (
        "fiscal_year,scenario,plan_version,service_id,cost_type,amount_sek\n"
        "2016,budget,P0 2016,IT-ARB,maintenance,1000.00\n"
        "2017,budget,P0 2017,IT-ARB,maintenance,1050.00\n"
    ),
    "plan/initiatives.csv": (
        "initiative_id,service_area_code,service_id,name_sv,priority,financing_channel\n"
        "VO-2,IT,IT-ARB,Digitalt klassrum,1,riktlinjerna\n"
    ),
}
REFERENCE_TABLES = (
    "organisations",
    "cost_centres",
    "service_areas",
    "services",
    "drivers",
    "accounts",
    "plan_amounts",
    "initiatives",
)


def write_files(landing: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = landing / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@dataclass
class Warehouse:
    """A warehouse with the reference data loaded, and its landing folder."""

    root: Path
    con: duckdb.DuckDBPyConnection

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    def drop(self, source: Path, kind: str, name: str | None = None) -> Path:
        """Put a file into the landing folder, as a delivery would."""
        target = self.landing / kind / (name or source.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return target

    def load(self, table: str, **options: object) -> TableLoad:
        return load_table(self.con, SPECS_BY_TABLE[table], self.landing, **options)  # type: ignore[arg-type]

    def rows(self, sql: str, params: list[object] | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def reference_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reference")
    write_files(root / "landing", REFERENCE_FILES)
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    for table in REFERENCE_TABLES:
        load = load_table(con, SPECS_BY_TABLE[table], root / "landing")
        assert not load.rejected and not load.quarantined_by_check, (table, load)
    con.close()
    return root


@pytest.fixture()
def warehouse(reference_warehouse: Path, tmp_path: Path) -> Iterator[Warehouse]:
    shutil.copytree(reference_warehouse / "landing", tmp_path / "landing")
    shutil.copyfile(reference_warehouse / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield Warehouse(tmp_path, con)
    con.close()


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Row count and an order-independent hash of every table and view the loader writes."""
    relations = con.execute(
        """
        select schema_name, table_name from duckdb_tables() where schema_name in ('landed', 'ops')
        union all
        select schema_name, view_name from duckdb_views() where schema_name = 'raw' and not internal
        order by 1, 2
        """
    ).fetchall()
    return {
        f"{schema}.{name}": con.execute(
            f"select count(*), sum(hash(columns(*))) from {schema}.{name}"
        ).fetchone()
        for schema, name in relations
    }
