"""Run the configuration checks of `expectations/configuration.py` on the warehouse and store them.

`run_configuration_checks` returns one `Finding` per problem (file, rows, column, value, what is
wrong and the fix); `store_findings` writes them to `ops.check_results` (source `config`), one
row per finding and one passing row per check without findings. The Dagster check
`configuration_allocatable` (pipelines/defs/quality/checks.py) calls both and fails, blocking
dbt, when there is any finding.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from expectations.configuration import (
    CHECKS,
    DERIVED,
    FINDING_COLUMNS,
    RELATIONS,
    SERVICE_MONTHS_SQL,
    ConfigurationCheck,
    max_step_down_steps,
)
from pipelines.lib.quality import insert_check_results, relation_exists
from pipelines.lib.readers.columns import CONTRACT_COLUMNS

# Where the findings are shown in Dagster and ops.check_results: the check waits for every raw
# table and is attached to the ledger (see pipelines/defs/quality/checks.py).
CONFIG_ASSET_KEY = "raw/ledger"
CONFIG_CHECK_NAME = "configuration_allocatable"
_MAX_RANGES = 12


@dataclass(frozen=True)
class Finding:
    """One configuration problem, located in a delivered file."""

    check_name: str
    table_name: str
    source_file: str
    source_rows: tuple[int, ...]
    column_name: str | None
    value: str | None
    problem: str
    fix: str

    @property
    def message(self) -> str:
        column = f", column '{self.column_name}'" if self.column_name else ""
        rows = f" {rows_text(self.source_rows)}" if self.source_rows else ""
        return f"{self.source_file}{rows}{column}: {self.problem}; {self.fix}."


def rows_text(rows: Sequence[int]) -> str:
    """`row 5`, `rows 2-14`, `rows 2, 4, 7-9` (consecutive rows as ranges; long lists cut)."""
    ordered = sorted(set(rows))
    ranges: list[tuple[int, int]] = []
    for row in ordered:
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], row)
        else:
            ranges.append((row, row))
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges[:_MAX_RANGES]]
    if len(ranges) > _MAX_RANGES:
        rest = sum(b - a + 1 for a, b in ranges[_MAX_RANGES:])
        parts.append(f"and {rest} more")
    word = "row" if len(ordered) == 1 else "rows"
    return f"{word} {', '.join(parts)}"


def _raw_relation(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """`raw.<table>`, or an empty relation with its columns when nothing was delivered."""
    if relation_exists(con, "raw", table):
        return f"raw.{table}"
    columns = ", ".join(f"cast(null as varchar) as {c}" for c in CONTRACT_COLUMNS[table])
    return (
        f"(select {columns}, cast(null as varchar) as _source_file, "
        "cast(null as bigint) as _source_row where false)"
    )


def expand(sql: str, relations: dict[str, str]) -> str:
    """Replace every `@name` with its typed relation (derived ones may name others)."""
    sql = sql.replace("@max_steps", str(max_step_down_steps()))
    for _ in range(5):
        if "@" not in sql:
            return sql
        sql = re.sub(r"@(\w+)", lambda m: relations[m.group(1)], sql)
    raise ValueError(f"relations nest too deeply: {sql[:200]}")


def relations_for(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    relations = {
        name: f"({body.format(raw=_raw_relation(con, table))})"
        for name, (table, body) in RELATIONS.items()
    }
    relations.update({name: f"({body})" for name, body in DERIVED.items()})
    return relations


def prepare(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Compute the ledger's cost per service and month once; the relations the checks read."""
    con.execute(
        SERVICE_MONTHS_SQL.format(
            ledger=_raw_relation(con, "ledger"),
            accounts=_raw_relation(con, "accounts"),
            mapping_rules=_raw_relation(con, "mapping_rules"),
        )
    )
    return relations_for(con)


def run_check(
    con: duckdb.DuckDBPyConnection, check: ConfigurationCheck, relations: dict[str, str]
) -> list[Finding]:
    rows = con.execute(
        f"select {', '.join(FINDING_COLUMNS)} from ({expand(check.sql, relations)}) "
        "order by source_file, source_rows, value"
    ).fetchall()
    return [
        Finding(
            check_name=check.name,
            table_name=table,
            source_file=source_file or f"(no {table} file)",
            source_rows=tuple(int(r) for r in (source_rows or []) if r is not None),
            column_name=column,
            value=None if value is None else str(value),
            problem=problem,
            fix=fix,
        )
        for table, source_file, source_rows, column, value, problem, fix in rows
    ]


def run_configuration_checks(
    con: duckdb.DuckDBPyConnection, checks: Iterable[ConfigurationCheck] = CHECKS
) -> list[Finding]:
    """Every finding of every check, in the order of the checks."""
    relations = prepare(con)
    try:
        return [finding for check in checks for finding in run_check(con, check, relations)]
    finally:
        con.execute("drop table if exists _cfg_service_months")


def store_findings(
    con: duckdb.DuckDBPyConnection,
    findings: Sequence[Finding],
    run_id: str | None,
    checks: Iterable[ConfigurationCheck] = CHECKS,
) -> None:
    """One `ops.check_results` row per finding (failed), one passing row per clean check."""
    now = datetime.now(UTC).replace(tzinfo=None)
    failing = {f.check_name for f in findings}
    rows = [
        [
            now,
            run_id,
            f.check_name,
            CONFIG_ASSET_KEY,
            "blocking",
            False,
            f"{CONFIG_CHECK_NAME}: {f.check_name}",
            f.column_name,
            None,
            len(f.source_rows),
            json.dumps([] if f.value is None else [f.value], ensure_ascii=False),
            json.dumps(
                [{"source_file": f.source_file, "source_row": r} for r in f.source_rows[:20]],
                ensure_ascii=False,
            ),
            f.message,
        ]
        for f in findings
    ]
    rows += [
        [
            now,
            run_id,
            check.name,
            CONFIG_ASSET_KEY,
            "blocking",
            True,
            f"{CONFIG_CHECK_NAME}: {check.name}",
            None,
            None,
            0,
            "[]",
            "[]",
            f"{check.name}: passed (refused would be: {check.refuses})",
        ]
        for check in checks
        if check.name not in failing
    ]
    insert_check_results(con, "config", rows)
