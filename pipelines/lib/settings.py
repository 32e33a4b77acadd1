"""Every path and setting fordela uses, computed in one place from environment variables."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

# Monthly files may belong to this month or later unless FORDELA_FIRST_MONTH says otherwise: early
# enough for any city's history, late enough to keep the Dagster partitions few (~300).
DEFAULT_FIRST_MONTH = "2000-01"

# The kinds of input, each a folder under data/landing/.
LANDING_KINDS = ("organisations", "services", "plan", "ledger", "volumes", "reference")


@dataclass(frozen=True)
class Settings:
    """Paths of one fordela installation. `FORDELA_DATA_DIR` moves all of them at once."""

    data_dir: Path

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def warehouse_path(self) -> Path:
        return Path(os.environ.get("FORDELA_WAREHOUSE", self.data_dir / "warehouse.duckdb"))

    @property
    def serving_dir(self) -> Path:
        return self.data_dir / "serving"

    @property
    def current_snapshot(self) -> Path:
        return Path(os.environ.get("FORDELA_SNAPSHOT", self.serving_dir / "current.duckdb"))

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster_home"

    @property
    def exports_dir(self) -> Path:
        """Where a closed month's internal-invoice export is written (`exports/YYYY-MM/`)."""
        return self.data_dir / "exports"

    @property
    def invoice_series(self) -> str:
        """The SIE voucher series of the internal-invoice export (`FORDELA_INVOICE_SERIES`)."""
        return os.environ.get("FORDELA_INVOICE_SERIES", "I").strip() or "I"

    def landing(self, kind: str) -> Path:
        return self.landing_dir / kind

    @property
    def duckdb_config(self) -> dict[str, str | bool | int | float | list[str]]:
        """Settings for every DuckDB database the pipeline opens (dbt's profile reads the same
        variable). DuckDB's default memory limit is 80 % of the machine; with a cap, big joins
        and sorts spill to disk instead (bench/README figures at demo scale 10)."""
        return {"memory_limit": os.environ.get("FORDELA_DUCKDB_MEMORY_LIMIT", "3GB")}

    @property
    def recovery_interval_seconds(self) -> float:
        """How often a running `fordela pipeline` looks for runs whose process is gone, so that
        it gets the warehouse pool's slot if it waits behind one (`FORDELA_RECOVERY_SECONDS`)."""
        return float(os.environ.get("FORDELA_RECOVERY_SECONDS", "30"))

    @property
    def gx_batch_rows(self) -> int:
        """Rows per Great Expectations batch: bigger tables are validated a few whole files at
        a time, so memory stays bounded (`FORDELA_GX_BATCH_ROWS`)."""
        return int(os.environ.get("FORDELA_GX_BATCH_ROWS", "500000"))

    @property
    def first_month(self) -> str:
        """The first month (`YYYY-MM`) a monthly ledger or volume file may belong to, and the
        first monthly Dagster partition (`FORDELA_FIRST_MONTH`, default 2000-01)."""
        value = os.environ.get("FORDELA_FIRST_MONTH", "").strip() or DEFAULT_FIRST_MONTH
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            raise ValueError(
                f"FORDELA_FIRST_MONTH={value!r} is not a month; write it as YYYY-MM "
                f"(default {DEFAULT_FIRST_MONTH})"
            )
        return value

    @property
    def users_file(self) -> Path:
        """The dashboards' users, roles and password hashes (`FORDELA_USERS_FILE`, default
        `<data dir>/users.toml`); `fordela demo-data` writes the demo city's users there."""
        return Path(os.environ.get("FORDELA_USERS_FILE", self.data_dir / "users.toml"))

    @property
    def quarantine_fail_share(self) -> float:
        """Share of a file's (or register's) rows that quarantine may take before the run is red
        (`FORDELA_QUARANTINE_FAIL_SHARE`, default 0.5)."""
        return float(os.environ.get("FORDELA_QUARANTINE_FAIL_SHARE", "0.5"))


def get_settings() -> Settings:
    """Settings from the environment; read at call time so tests can point them elsewhere."""
    return Settings(
        data_dir=Path(os.environ.get("FORDELA_DATA_DIR", PROJECT_ROOT / "data")).resolve()
    )
