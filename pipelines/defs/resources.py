"""Dagster resources: the DuckDB warehouse (one writer at a time) and the dbt CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from pipelines.lib.settings import Settings, get_settings

# Every asset that writes the warehouse runs in this pool; the instance limits it to 1 slot.
WAREHOUSE_POOL = "warehouse"
# In the environment of a dbt build: the run it builds for. A dbt that outlives its run's
# process (killed alone, e.g. by the out-of-memory killer) still holds the warehouse's lock;
# the recovery of that run finds it by this and ends it.
DBT_RUN_ENV = "FORDELA_DBT_RUN"


class WarehouseResource(dg.ConfigurableResource):
    """The working DuckDB warehouse. Paths come from `pipelines.lib.settings` at run time."""

    def settings(self) -> Settings:
        return get_settings()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        settings = self.settings()
        path = settings.warehouse_path
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path), read_only=read_only, config=settings.duckdb_config)
        try:
            yield con
        finally:
            con.close()
