"""Run the Great Expectations contracts on raw tables and store every result in `ops.check_results`."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import duckdb
import pandas as pd

from expectations.base import Contract, KnownCodes

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

CHECK_RESULTS_DDL = """
create table if not exists ops.check_results (
    checked_at timestamp not null,
    run_id varchar,
    source varchar not null,          -- gx | dbt
    check_name varchar not null,      -- suite or dbt test name
    asset_key varchar not null,       -- e.g. raw/ledger
    severity varchar not null,        -- blocking | warning
    passed boolean not null,
    expectation varchar,              -- expectation type or test type
    column_name varchar,
    element_count bigint,
    unexpected_count bigint,
    sample_values varchar,            -- JSON list of offending values
    sample_rows varchar               -- JSON list of {source_file, source_row}
)
"""


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    expectation: str
    column: str | None
    passed: bool
    element_count: int
    unexpected_count: int
    sample_values: list[Any]
    sample_rows: list[dict[str, Any]]

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        rows = ", ".join(f"{r['source_file']} row {r['source_row']}" for r in self.sample_rows[:3])
        return (
            f"{self.suite}: {self.expectation}{where}: {self.unexpected_count} of "
            f"{self.element_count} rows fail (e.g. {self.sample_values[:3]}{'; ' + rows if rows else ''})"
        )


@lru_cache(maxsize=1)
def _gx_context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def validate_frame(frame: pd.DataFrame, suite: Any, name: str) -> list[ExpectationOutcome]:
    """Validate one DataFrame against one suite; one outcome per expectation."""
    context = _gx_context()
    source_name = f"fordela_{name}"
    try:
        source = context.data_sources.get(source_name)
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas(source_name)
    asset = source.add_dataframe_asset(f"{name}_{len(source.assets)}")
    batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(
        batch_parameters={"dataframe": frame}
    )
    result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
    outcomes = []
    for item in result.results:
        config = item.expectation_config
        details = item.result or {}
        index = details.get("unexpected_index_list") or []
        rows: list[dict[str, Any]] = []
        if "_source_file" in frame.columns:
            for position in index[:20]:
                if isinstance(position, dict):
                    continue
                row = frame.iloc[int(position)]
                rows.append({"source_file": row["_source_file"], "source_row": int(row["_source_row"])})
        outcomes.append(
            ExpectationOutcome(
                suite=suite.name,
                expectation=config.type,
                column=config.kwargs.get("column"),
                passed=bool(item.success),
                element_count=int(details.get("element_count") or len(frame)),
                unexpected_count=int(details.get("unexpected_count") or (0 if item.success else 1)),
                sample_values=[_jsonable(v) for v in (details.get("partial_unexpected_list") or [])[:10]],
                sample_rows=rows,
            )
        )
    return outcomes


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def known_codes(con: duckdb.DuckDBPyConnection) -> KnownCodes:
    """Allowed codes, read from the active raw reference tables (empty when not landed yet)."""

    def codes(sql: str) -> frozenset[str]:
        try:
            return frozenset(str(r[0]) for r in con.execute(sql).fetchall() if r[0] is not None)
        except duckdb.CatalogException:
            return frozenset()

    years = codes("select distinct fiscal_year from raw.plan_amounts")
    return KnownCodes(
        organisations=codes("select org_code from raw.organisations"),
        cost_centres=codes("select cost_centre_code from raw.cost_centres"),
        services=codes("select service_id from raw.services"),
        accounts=codes("select account from raw.accounts"),
        drivers=codes("select driver_code from raw.drivers"),
        fiscal_years=frozenset(int(y) for y in years),
    )


def run_contract(con: duckdb.DuckDBPyConnection, contract: Contract) -> list[ExpectationOutcome]:
    _gx_context()  # suites are bound to the active context when built
    frame = con.execute(f"select * from raw.{contract.table}").df()
    codes = known_codes(con)
    outcomes = validate_frame(frame, contract.build_suite(codes), contract.name)
    if contract.derive is not None:
        for name, derived in contract.derive(frame).items():
            outcomes += validate_frame(derived, contract.derived_suites[name](codes), f"{contract.name}_{name}")
    return outcomes


def store_outcomes(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    outcomes: list[ExpectationOutcome],
    run_id: str | None,
) -> None:
    con.execute("create schema if not exists ops")
    con.execute(CHECK_RESULTS_DDL)
    now = datetime.now(UTC).replace(tzinfo=None)
    con.executemany(
        "insert into ops.check_results values (?, ?, 'gx', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [now, run_id, o.suite, f"raw/{contract.table}", contract.severity, o.passed, o.expectation,
             o.column, o.element_count, o.unexpected_count, json.dumps(o.sample_values, ensure_ascii=False),
             json.dumps(o.sample_rows, ensure_ascii=False)]
            for o in outcomes
        ],
    )
