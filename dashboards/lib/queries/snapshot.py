"""What the snapshot holds: tables, row counts, the publish log, and whether a table is there yet."""

from __future__ import annotations

import pandas as pd

from dashboards.lib.auth import Principal
from dashboards.lib.db import query
from dashboards.lib.queries._common import scope as _scope

# --- What the snapshot holds ---------------------------------------------------------------------

_SNAPSHOT_TABLES_SQL = """
select
    schema_name,
    table_name,
    estimated_size
from duckdb_tables()
where database_name = current_database()
    and not internal
order by schema_name, table_name
"""


def snapshot_tables(principal: Principal) -> pd.DataFrame:
    """Schemas and tables of the snapshot (metadata only, the same for every role)."""
    _scope(principal)
    return query(_SNAPSHOT_TABLES_SQL)


_ROW_COUNT_SQL = "select count(*) as row_count from query_table($table_name)"


def table_row_count(principal: Principal, schema_name: str, table_name: str) -> int:
    """Exact row count of one snapshot table; only names the snapshot lists are accepted."""
    tables = snapshot_tables(principal)
    known = set(zip(tables["schema_name"], tables["table_name"], strict=True))
    if (schema_name, table_name) not in known:
        raise KeyError(f"{schema_name}.{table_name} is not a table of the published snapshot")
    df = query(_ROW_COUNT_SQL, {"table_name": f"{schema_name}.{table_name}"})
    return int(df["row_count"].iloc[0])


_PUBLISH_LOG_SQL = """
select
    published_at,
    run_id,
    snapshot_file
from ops.publish_log
order by published_at desc
"""


def publish_log(principal: Principal) -> pd.DataFrame | None:
    """Rows of `ops.publish_log` (newest first), or None when the snapshot has no such table."""
    tables = snapshot_tables(principal)
    present = ((tables["schema_name"] == "ops") & (tables["table_name"] == "publish_log")).any()
    if not present:
        return None
    return query(_PUBLISH_LOG_SQL)


def has_table(principal: Principal, schema_name: str, table_name: str) -> bool:
    """Whether the published snapshot has this table yet (marts grow while colleagues build)."""
    tables = snapshot_tables(principal)
    return bool(
        ((tables["schema_name"] == schema_name) & (tables["table_name"] == table_name)).any()
    )


_TABLE_COLUMNS_SQL = """
select column_name
from duckdb_columns()
where database_name = current_database()
    and schema_name = $schema_name
    and table_name = $table_name
order by column_index
"""


def table_columns(principal: Principal, schema_name: str, table_name: str) -> list[str]:
    """Column names of one snapshot table, in order; empty when the table is not there."""
    _scope(principal)
    df = query(_TABLE_COLUMNS_SQL, {"schema_name": schema_name, "table_name": table_name})
    return [str(c) for c in df["column_name"]]


def missing_columns(
    principal: Principal, schema_name: str, table_name: str, wanted: tuple[str, ...]
) -> list[str]:
    """The columns of `wanted` that the snapshot's table lacks (all of them if it is absent)."""
    present = set(table_columns(principal, schema_name, table_name))
    return [c for c in wanted if c not in present]
