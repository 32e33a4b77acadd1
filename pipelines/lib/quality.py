"""Data quality: the contract rules as row validation (quarantine), as GX suites, and their results.

Three uses of the contracts declared in `expectations/`:

- `validate_rows`: the loader's row validation. Every `quarantine` rule becomes one SQL query over
  the landed rows of the files in scope; the offending rows are written to `ops.quarantine`
  (stage `validate`) with a message a controller can act on, and `raw.<table>` leaves them out.
- `run_contract`: the Great Expectations suite of a contract over `raw.<table>`, run by the
  Dagster asset checks `gx_<table>`. Rows are validated a few whole files at a time; a batch of
  files whose rows and suite are unchanged since a run validated them is not validated again,
  its stored outcome counts (`ops.gx_batch_outcomes`), so a new month validates one month.
- `store_outcomes` / `store_dbt_results`: every GX expectation and every dbt test result goes
  to `ops.check_results`, which the published snapshot carries to the dashboards.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import itertools
import json
import os
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from expectations.base import Contract, KnownCodes, Rule, expression_codes_pattern
from pipelines.lib.settings import get_settings

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

QUARANTINE_DDL = """
create table if not exists ops.quarantine (
    file_hash varchar not null,       -- SHA-256 of the file (ops.landed_files.file_hash)
    source_file varchar not null,     -- path relative to data/landing/
    source_row bigint not null,       -- row (line for SIE) in the file; header = 1
    table_name varchar not null,      -- raw table the row was meant for
    stage varchar not null,           -- read (could not be parsed) | validate (broke a rule)
    check_name varchar not null,      -- e.g. number, unknown_cost_centre, duplicate_row
    column_name varchar,              -- canonical column, null when the whole row is meant
    value varchar,                    -- the offending value as read
    message varchar not null,         -- file, row, column, value, what is wrong, what to do
    raw_record json,                  -- the row's values as read, by canonical column
    quarantined_at timestamp not null
)
"""

CHECK_RESULTS_DDL = """
create table if not exists ops.check_results (
    checked_at timestamp not null,
    run_id varchar,
    source varchar not null,          -- gx | dbt
    check_name varchar not null,      -- GX suite (= raw table) or dbt test name
    asset_key varchar not null,       -- e.g. raw/ledger, stg_raw__ledger
    severity varchar not null,        -- blocking | warning
    passed boolean not null,
    expectation varchar,              -- GX rule name and expectation type, or dbt test type
    column_name varchar,
    element_count bigint,
    unexpected_count bigint,
    sample_values varchar,            -- JSON list of offending values
    sample_rows varchar,              -- JSON list of {source_file, source_row}
    message varchar                   -- one line a person can read
)
"""


def ensure_quality_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists ops")
    con.execute(QUARANTINE_DDL)
    con.execute(CHECK_RESULTS_DDL)
    con.execute(GX_BATCH_OUTCOMES_DDL)
    # Warehouses created before `message` existed.
    con.execute("alter table ops.check_results add column if not exists message varchar")


# --------------------------------------------------------------------------------------------
# Row validation (the loader's quarantine)
# --------------------------------------------------------------------------------------------


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def relation_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])


def _has_rows(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `raw.<table>` exists and holds a row."""
    return relation_exists(con, "raw", table) and bool(
        con.execute(f"select exists (select 1 from raw.{_ident(table)})").fetchone()[0]  # type: ignore[index]
    )


def _where_prefix() -> str:
    """`<file> row <n>: ` (line for SIE files, as the readers say it)."""
    return (
        "l._source_file || (case when regexp_matches(lower(l._source_file), '\\.(se|si|sie)$') "
        "then ' line ' else ' row ' end) || l._source_row::varchar || ': '"
    )


def _candidate(
    rule: Rule,
    column_sql: str | None,
    value_sql: str,
    message_sql: str,
    where: str,
    table: str,
    scope: str,
    check_sql: str | None = None,
    extra_from: str = "",
) -> str:
    check = check_sql or _literal(rule.name)
    column = _literal(column_sql) if column_sql else "null"
    return f"""
        select l._file_hash as file_hash, l._source_file as source_file, l._source_row as source_row,
               {check} as check_name, {column}::varchar as column_name, ({value_sql})::varchar as value,
               {message_sql} as message
        from landed.{table} l join {scope} s on l._file_hash = s.file_hash {extra_from}
        where {where}
    """


def rule_sql(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    rule: Rule,
    open_years: Collection[int],
    scope: str,
) -> tuple[str | None, str | None]:
    """(SQL selecting the rows that break `rule`, or None; why it was skipped, or None)."""
    table = contract.table
    column = rule.column
    col = f"l.{_ident(column)}"
    fix = _literal("; " + rule.fix + ".")
    what = f"replace({_literal(rule.what)}, '{{value}}', coalesce({col}, ''))"
    message = f"{_where_prefix()} || {what} || {fix}"
    if rule.kind == "required":
        return _candidate(rule, column, "null", message, f"{col} is null", table, scope), None
    if rule.kind == "known":
        reference = rule.reference
        assert reference is not None
        if not relation_exists(con, "raw", reference.table):
            return (
                None,
                f"{rule.name}: raw.{reference.table} is not loaded, so {column} was not checked",
            )
        if reference.optional and not _has_rows(con, reference.table):
            return None, None  # an optional register the city does not deliver
        if rule.within is not None:
            pattern = _literal(expression_codes_pattern(rule.within))
            unknown = (
                f"from unnest(string_split(regexp_extract({col}, {pattern}, 1), '+')) as t(code) "
                f"where not exists (select 1 from raw.{reference.table} r "
                f"where r.{_ident(reference.column)} = t.code)"
            )
            value = f"(select min(t.code) {unknown})"
            what = f"replace({_literal(rule.what)}, '{{value}}', coalesce({value}, ''))"
            where = f"{col} is not null and regexp_matches({col}, {pattern}) and exists (select 1 {unknown})"
            return _candidate(
                rule, column, value, f"{_where_prefix()} || {what} || {fix}", where, table, scope
            ), None
        year = ""
        if reference.year_column and rule.year_from:
            year = (
                f" and r.{_ident(reference.year_column)} = substr(l.{_ident(rule.year_from)}, 1, 4)"
            )
        where = (
            f"{col} is not null and not exists (select 1 from raw.{reference.table} r "
            f"where r.{_ident(reference.column)} = {col}{year})"
        )
        return _candidate(rule, column, col, message, where, table, scope), None
    if rule.kind == "allowed":
        values = ", ".join(_literal(v) for v in rule.values)
        return _candidate(
            rule,
            column,
            col,
            message,
            f"{col} is not null and {col} not in ({values})",
            table,
            scope,
        ), None
    if rule.kind == "pattern":
        where = f"{col} is not null and not regexp_matches({col}, {_literal(rule.values[0])})"
        return _candidate(rule, column, col, message, where, table, scope), None
    if rule.kind == "non_negative":
        return _candidate(
            rule, column, col, message, f"try_cast({col} as double) < 0", table, scope
        ), None
    if rule.kind == "open_year":
        if not open_years:
            return (
                None,
                f"{rule.name}: no open fiscal years known (plan_amounts not loaded), so {column} was not checked",
            )
        years = ", ".join(str(y) for y in sorted(open_years))
        last = max(open_years)
        year = f"try_cast(substr({col}, 1, 4) as integer)"
        state = f"(case when {year} > {last} then ', which is not open yet' else ', which is closed' end)"
        message = (
            f"{_where_prefix()} || {_literal(column + ' ')} || {col} || ' is in fiscal year ' || "
            f"substr({col}, 1, 4) || {state} || {_literal(f' (open fiscal years: {years})')} || {fix}"
        )
        check = (
            f"(case when {year} > {last} then 'future_fiscal_year' else 'closed_fiscal_year' end)"
        )
        where = f"{col} is not null and {year} not in ({years})"
        return _candidate(rule, column, col, message, where, table, scope, check_sql=check), None
    if rule.kind == "unique":
        keys = ", ".join(f"l.{_ident(c)}" for c in rule.columns)
        value = (
            "concat_ws(', ', "
            + ", ".join(f"coalesce(l.{_ident(c)}, '')" for c in rule.columns)
            + ")"
        )
        extra = ""
        if contract.vouchers is not None:
            extra = (
                ", "
                + ", ".join(f"l.{_ident(c)}" for c in contract.vouchers.group)
                + (f", try_cast(l.{_ident(contract.vouchers.amount)} as decimal(38, 6)) as amount")
            )
        ranked = f"""
            ranked as (
                select l._file_hash, l._source_file, l._source_row, {value} as key_value,
                       row_number() over w as copy_number,
                       first_value(l._file_hash) over w as first_hash,
                       first_value(l._source_file) over w as first_file,
                       first_value(l._source_row) over w as first_row{extra}
                from landed.{table} l
                join {scope} s on l._file_hash = s.file_hash
                join ops.landed_files f on f.file_hash = l._file_hash and f.table_name = {_literal(table)}
                window w as (partition by {keys} order by f.loaded_at, l._source_file, l._source_row)
            )"""
        select = f"""
            select l._file_hash as file_hash, l._source_file as source_file,
                   l._source_row as source_row, {_literal(rule.name)} as check_name,
                   {_literal(column) if len(rule.columns) == 1 else "null"}::varchar as column_name,
                   l.key_value::varchar as value,
                   {_where_prefix()} || 'duplicate of ' || l.first_file || ' row ' ||
                       l.first_row::varchar || ' (' || {_literal(rule.what)} || ')' || {fix} as message
            from copies l"""
        if contract.vouchers is None:
            return (
                f"with {ranked}, copies as (select * from ranked where copy_number > 1) {select}",
                None,
            )
        # In a ledger two identical lines in one voucher can be real (a salary voucher with a
        # thousand rows). A copy is quarantined when it repeats a row of another file, or when
        # its voucher balances without the copies but not with them (an export repeated a line).
        group = ", ".join(_ident(c) for c in contract.vouchers.group)
        same_voucher = " and ".join(
            f"t.{_ident(c)} is not distinct from c.{_ident(c)}" for c in contract.vouchers.group
        )
        sql = f"""
            with {ranked},
            totals as (
                select _file_hash, {group}, sum(amount) as total from ranked group by all
            ),
            repeated as (
                select _file_hash, {group}, sum(amount) as repeated_total
                from ranked where copy_number > 1 and first_hash = _file_hash group by all
            ),
            removable as (
                select t._file_hash, {", ".join(f"t.{_ident(c)}" for c in contract.vouchers.group)}
                from totals t join repeated c on c._file_hash = t._file_hash and {same_voucher}
                where t.total <> 0 and t.total - c.repeated_total = 0
            ),
            copies as (
                select r.* from ranked r
                where r.copy_number > 1 and (
                    r.first_hash <> r._file_hash
                    or exists (
                        select 1 from removable t
                        where t._file_hash = r._file_hash and {same_voucher.replace("c.", "r.")}
                    )
                )
            )
            {select}
        """
        return sql, None
    raise ValueError(f"unknown rule kind {rule.kind!r}")


def _voucher_sql(contract: Contract, scope: str) -> tuple[str, str]:
    """(rows held back because another row of their voucher is quarantined, unbalanced vouchers)."""
    assert contract.vouchers is not None
    table = contract.table
    group = [f"l.{_ident(c)}" for c in contract.vouchers.group]
    same = " and ".join(
        f"b.{_ident(c)} is not distinct from l.{_ident(c)}" for c in contract.vouchers.group
    )
    name = " || ' ' || ".join(f"coalesce({g}, '')" for g in group)
    fix = _literal("; " + contract.vouchers.fix + ".")
    from_json = ", ".join(
        f"q.raw_record->>{_literal(c)} as {_ident(c)}" for c in contract.vouchers.group
    )
    held = f"""
        with bad_rows as (
            -- Rows that break a rule (a duplicate is not part of the voucher, so it does not count)
            select l._file_hash, {", ".join(group)}, n.source_row, n.check_name
            from _fordela_new n
            join landed.{table} l on l._file_hash = n.file_hash and l._source_row = n.source_row
            where n.check_name <> 'duplicate_row'
            union all
            -- and rows the reader could not read (their values as read are in raw_record).
            select q.file_hash as _file_hash, {from_json}, q.source_row, q.check_name
            from ops.quarantine q join {scope} s on q.file_hash = s.file_hash
            where q.stage = 'read' and q.table_name = {_literal(table)}
        ), bad as (
            select l._file_hash, {", ".join(group)}, min(l.source_row) as first_row,
                   arg_min(l.check_name, l.source_row) as first_check
            from bad_rows l
            group by all
        )
        select l._file_hash as file_hash, l._source_file as source_file, l._source_row as source_row,
               'voucher_held_back' as check_name, null::varchar as column_name,
               ({name})::varchar as value,
               {_where_prefix()} || 'voucher ' || {name} || ' is held back so that the ledger stays '
                   || 'balanced: its row ' || b.first_row::varchar || ' is quarantined ('
                   || b.first_check || '); correct that row and deliver the file again.' as message
        from landed.{table} l
        join {scope} s on l._file_hash = s.file_hash
        join bad b on b._file_hash = l._file_hash and {same}
        where not exists (
            select 1 from _fordela_new n where n.file_hash = l._file_hash and n.source_row = l._source_row
        )
    """
    amount = f"try_cast(l.{_ident(contract.vouchers.amount)} as decimal(38, 6))"
    unbalanced = f"""
        with kept as (
            select l.* from landed.{table} l
            join {scope} s on l._file_hash = s.file_hash
            where not exists (
                select 1 from _fordela_new n
                where n.file_hash = l._file_hash and n.source_row = l._source_row
            )
        ), sums as (
            select l._file_hash, {", ".join(group)}, sum({amount}) as total, count(*) as row_count
            from kept l group by all having sum({amount}) <> 0
        )
        select l._file_hash as file_hash, l._source_file as source_file, l._source_row as source_row,
               'voucher_balanced' as check_name, {_literal(contract.vouchers.amount)}::varchar as column_name,
               l.{_ident(contract.vouchers.amount)}::varchar as value,
               {_where_prefix()} || 'voucher ' || {name} || ' does not balance: its ' ||
                   b.row_count::varchar || ' rows sum to ' || (b.total::decimal(38, 2))::varchar ||
                   ' SEK instead of 0' || {fix} as message
        from kept l
        join sums b on b._file_hash = l._file_hash and {same}
    """
    return held, unbalanced


@dataclass(frozen=True)
class ValidationSummary:
    """What row validation did for the files in scope."""

    quarantined_by_check: dict[str, int]
    skipped: list[str]


def validate_rows(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    file_hashes: Iterable[str],
    open_years: Collection[int],
    now: datetime,
) -> ValidationSummary:
    """Quarantine the rows of these (active) files that break a `quarantine` rule of the contract.

    Idempotent: rows already quarantined for the same reason keep their `quarantined_at`; rows
    that no longer break a rule (say, the cost centre was added to the register) are released.
    """
    ensure_quality_tables(con)
    table = contract.table
    con.execute("create or replace temp table _fordela_scope (file_hash varchar)")
    hashes = list(file_hashes)
    if hashes:
        con.executemany("insert into _fordela_scope values (?)", [[h] for h in hashes])
    con.execute(
        "create or replace temp table _fordela_new (file_hash varchar, source_file varchar, "
        "source_row bigint, check_name varchar, column_name varchar, value varchar, message varchar)"
    )
    skipped: list[str] = []
    for rule in contract.quarantine_rules:
        sql, why = rule_sql(con, contract, rule, open_years, "_fordela_scope")
        if sql is None:
            if why:
                skipped.append(why)
            continue
        con.execute(f"insert into _fordela_new by name {sql}")
    if contract.vouchers is not None:
        held, unbalanced = _voucher_sql(contract, "_fordela_scope")
        con.execute(f"insert into _fordela_new by name {held}")
        con.execute(f"insert into _fordela_new by name {unbalanced}")

    same = (
        f"q.table_name = {_literal(table)} and n.file_hash = q.file_hash "
        "and n.source_row = q.source_row and n.check_name = q.check_name "
        "and n.column_name is not distinct from q.column_name and n.message = q.message"
    )
    con.execute(
        f"""
        delete from ops.quarantine q
        where q.stage = 'validate' and q.table_name = ?
          and q.file_hash in (select file_hash from _fordela_scope)
          and not exists (select 1 from _fordela_new n where {same})
        """,
        [table],
    )
    record = (
        "to_json(struct_pack("
        + ", ".join(f"{_ident(c)} := l.{_ident(c)}" for c in contract.columns)
        + "))"
    )
    con.execute(
        f"""
        insert into ops.quarantine by name
        select n.file_hash, n.source_file, n.source_row, ? as table_name, 'validate' as stage,
               n.check_name, n.column_name, n.value, n.message, {record} as raw_record,
               ?::timestamp as quarantined_at
        from _fordela_new n
        join landed.{table} l on l._file_hash = n.file_hash and l._source_row = n.source_row
        where not exists (select 1 from ops.quarantine q where {same})
        """,
        [table, now],
    )
    counts = dict(
        con.execute(
            "select check_name, count(*) from _fordela_new group by 1 order by 1"
        ).fetchall()
    )
    con.execute("drop table _fordela_new")
    con.execute("drop table _fordela_scope")
    return ValidationSummary(quarantined_by_check=counts, skipped=skipped)


# --------------------------------------------------------------------------------------------
# Great Expectations suites over raw tables (the Dagster asset checks)
# --------------------------------------------------------------------------------------------

# One row per batch of files a suite validated: the outcomes are reused while the batch's rows
# (file by file: name, row count, hash of every value) and the suite are the same.
GX_BATCH_OUTCOMES_DDL = """
create table if not exists ops.gx_batch_outcomes (
    table_name varchar not null,
    suite_fingerprint varchar not null, -- SHA-256 of the suite (expectations, value sets, GX version)
    batch_files json not null,          -- sorted list of "file|rows|hash of the file's rows"
    outcomes json not null,             -- one ExpectationOutcome per expectation
    validated_at timestamp not null,
    run_id varchar
)
"""


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    rule: str
    action: str  # quarantine | blocking | warning
    expectation: str
    column: str | None
    passed: bool
    element_count: int
    unexpected_count: int
    sample_values: list[Any]
    sample_rows: list[dict[str, Any]]

    @property
    def severity(self) -> str:
        return "warning" if self.action == "warning" else "blocking"

    def describe(self) -> str:
        where = f" on {self.column}" if self.column else ""
        rows = ", ".join(f"{r['source_file']} row {r['source_row']}" for r in self.sample_rows[:3])
        return (
            f"{self.suite}: {self.rule} ({self.expectation}{where}, {self.severity}): "
            f"{self.unexpected_count} of {self.element_count} rows fail "
            f"(e.g. {self.sample_values[:3]}{'; ' + rows if rows else ''})"
        )


_SOURCE_NUMBERS = itertools.count()


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
    # A data source of its own, deleted afterwards: GX's execution engine keeps every batch it
    # loaded, i.e. a reference to the whole frame, for as long as its data source lives.
    source_name = f"fordela_{name}_{next(_SOURCE_NUMBERS)}"
    source = context.data_sources.add_pandas(source_name)
    try:
        batch = (
            source.add_dataframe_asset(name)
            .add_batch_definition_whole_dataframe("whole")
            .get_batch(batch_parameters={"dataframe": frame})
        )
        result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
        del batch
    finally:
        context.data_sources.delete(source_name)
    outcomes = []
    for item in result.results:
        config = item.expectation_config
        meta = config.meta or {}
        details = item.result or {}
        index = details.get("unexpected_index_list") or []
        rows: list[dict[str, Any]] = []
        if "_source_file" in frame.columns:
            for position in index[:20]:
                if isinstance(position, dict):
                    continue
                row = frame.iloc[int(position)]
                rows.append(
                    {"source_file": row["_source_file"], "source_row": int(row["_source_row"])}
                )
        unexpected = details.get("unexpected_count")
        outcomes.append(
            ExpectationOutcome(
                suite=suite.name,
                rule=str(meta.get("rule", config.type)),
                action=str(meta.get("action", "blocking")),
                expectation=config.type,
                column=config.kwargs.get("column"),
                passed=bool(item.success),
                element_count=int(details.get("element_count") or len(frame)),
                unexpected_count=int(
                    unexpected if unexpected is not None else (0 if item.success else 1)
                ),
                sample_values=[
                    _jsonable(v) for v in (details.get("partial_unexpected_list") or [])[:10]
                ],
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


def plan_years(con: duckdb.DuckDBPyConnection) -> frozenset[int]:
    """Fiscal years present in the active plan amounts (the default open years)."""
    if not relation_exists(con, "raw", "plan_amounts"):
        return frozenset()
    rows = con.execute(
        "select distinct try_cast(fiscal_year as integer) from raw.plan_amounts"
    ).fetchall()
    return frozenset(int(r[0]) for r in rows if r[0] is not None)


def known_codes(
    con: duckdb.DuckDBPyConnection, contract: Contract, open_years: Collection[int] | None = None
) -> KnownCodes:
    """The codes of the registers the contract refers to, from the active raw tables."""
    codes: dict[str, frozenset[str]] = {}
    for rule in contract.rules:
        reference = rule.reference
        if reference is None or reference.key in codes:
            continue
        if reference.optional and not _has_rows(con, reference.table):
            continue  # not delivered: nothing to check against
        if relation_exists(con, "raw", reference.table):
            rows = con.execute(
                f"select distinct {_ident(reference.column)} from raw.{reference.table}"
            ).fetchall()
            codes[reference.key] = frozenset(str(r[0]) for r in rows if r[0] is not None)
    years = frozenset(open_years) if open_years else plan_years(con)
    return KnownCodes(codes=codes, open_years=years)


@dataclass(frozen=True)
class _File:
    name: str
    rows: int
    key: str  # name, row count and a hash of every value of its rows: changes when any row does


def _active_files(con: duckdb.DuckDBPyConnection, table: str) -> list[_File]:
    """The active source files of `raw.<table>` with their fingerprints, by name."""
    rows = con.execute(
        f"""
        select _source_file, count(*), sum(hash(t)::hugeint)::varchar
        from raw.{table} t group by all order by _source_file
        """
    ).fetchall()
    return [_File(name, count, f"{name}|{count}|{digest}") for name, count, digest in rows]


def _file_batches(files: list[_File], max_rows: int) -> list[list[_File]]:
    """Files in groups of whole files of at most `max_rows` rows (a bigger file is a group of
    its own), in the order given."""
    batches: list[list[_File]] = []
    size = 0
    for file in files:
        if not batches or size + file.rows > max_rows:
            batches.append([])
            size = 0
        batches[-1].append(file)
        size += file.rows
    return batches


def suite_fingerprint(suite: Any) -> str:
    """Changes when an expectation, a value set (known codes) or the GX version does."""
    import great_expectations as gx

    def without_ids(value: Any) -> Any:  # ids are given when a suite is saved: not content
        if isinstance(value, dict):
            return {k: without_ids(v) for k, v in value.items() if k != "id"}
        if isinstance(value, list):
            return [without_ids(v) for v in value]
        return value

    payload = json.dumps(without_ids(suite.to_json_dict()), sort_keys=True, default=str)
    return hashlib.sha256(f"{_OUTCOME_FORMAT}|{gx.__version__}|{payload}".encode()).hexdigest()


# Bump when validate_frame starts to read its outcomes differently: stored outcomes then expire.
_OUTCOME_FORMAT = 1


def _stored_batches(
    con: duckdb.DuckDBPyConnection, table: str, fingerprint: str, files: list[_File]
) -> tuple[list[tuple[list[str], list[ExpectationOutcome]]], list[_File]]:
    """Stored outcomes of batches whose files are all still active with the same rows, and the
    files no stored batch covers."""
    current = {f.key for f in files}
    stored = con.execute(
        "select batch_files, outcomes from ops.gx_batch_outcomes "
        "where table_name = ? and suite_fingerprint = ?",
        [table, fingerprint],
    ).fetchall()
    candidates = [(json.loads(keys), outcomes) for keys, outcomes in stored]
    covered: set[str] = set()
    reused = []
    for keys, outcomes in sorted(candidates, key=lambda c: (-len(c[0]), c[0])):
        if set(keys) <= current and not covered & set(keys):
            covered |= set(keys)
            reused.append((keys, [ExpectationOutcome(**o) for o in json.loads(outcomes)]))
    return reused, [f for f in files if f.key not in covered]


def _store_batches(
    con: duckdb.DuckDBPyConnection,
    table: str,
    fingerprint: str,
    batches: list[tuple[list[str], list[ExpectationOutcome]]],
    run_id: str | None,
) -> None:
    """Keep exactly the batches this validation used: new ones in, outdated ones out."""
    keep = [json.dumps(keys) for keys, _ in batches]
    con.execute("create or replace temp table _fordela_kept (batch_files varchar)")
    con.executemany("insert into _fordela_kept values (?)", [[k] for k in keep])
    con.execute(
        "delete from ops.gx_batch_outcomes where table_name = ? and not (suite_fingerprint = ? "
        "and batch_files::varchar in (select batch_files from _fordela_kept))",
        [table, fingerprint],
    )
    known = {
        row[0]
        for row in con.execute(
            "select batch_files::varchar from ops.gx_batch_outcomes where table_name = ?", [table]
        ).fetchall()
    }
    now = datetime.now(UTC).replace(tzinfo=None)
    new = [
        [
            table,
            fingerprint,
            key,
            json.dumps([asdict(o) for o in outcomes], ensure_ascii=False),
            now,
            run_id,
        ]
        for key, (_, outcomes) in zip(keep, batches, strict=True)
        if key not in known
    ]
    if new:
        con.executemany("insert into ops.gx_batch_outcomes values (?, ?, ?, ?, ?, ?)", new)
    con.execute("drop table _fordela_kept")


def _merge(batches: list[list[ExpectationOutcome]]) -> list[ExpectationOutcome]:
    """One outcome per expectation from the outcomes of the same suite over several batches."""
    if len(batches) == 1:
        return batches[0]
    merged = []
    for same in zip(*batches, strict=True):
        first = same[0]
        assert all(
            (o.rule, o.expectation, o.column) == (first.rule, first.expectation, first.column)
            for o in same
        )
        merged.append(
            replace(
                first,
                passed=all(o.passed for o in same),
                element_count=sum(o.element_count for o in same),
                unexpected_count=sum(o.unexpected_count for o in same),
                sample_values=[v for o in same for v in o.sample_values][:10],
                sample_rows=[r for o in same for r in o.sample_rows][:20],
            )
        )
    return merged


_RELEASE_FROM_ROWS = 100_000


def _release_memory() -> None:
    """Hand freed memory back to the OS: the frames of a big table leave glibc's arenas full of
    small free blocks that would otherwise stay in the process for the rest of the run."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass
class ContractRun:
    """The outcomes of a contract's suite over its table, and how many batches of files were
    validated now or counted from an earlier validation of the same rows."""

    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    batches_validated: int = 0
    batches_reused: int = 0


def run_contract(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    open_years: Collection[int] | None = None,
    batch_rows: int | None = None,
    *,
    reuse: bool = True,
    run_id: str | None = None,
) -> ContractRun:
    """Run the contract's suite (and its voucher suite) over the active rows of `raw.<table>`.

    A big table (the monthly volumes and ledger files) is validated a few whole files at a time
    (`batch_rows`, default settings.gx_batch_rows) so that memory stays bounded; the outcomes are
    summed per expectation. Rules within a row, and uniqueness within a file, are unaffected;
    uniqueness across files of a monthly table holds by construction (one active file per month
    whose rows carry that month) and is tested again by dbt (`unique_combination` on staging).

    With `reuse`, a batch of files validated before by the same suite, whose rows are all still
    the same (`_active_files`), is not validated again: its stored outcomes are summed in. A new
    month of ledger is then one small batch. Any change to a file's rows, a register behind a
    value set, the contract or GX makes the batches concerned validate again.
    """
    _gx_context()  # suites are bound to the active context when built
    if not relation_exists(con, "raw", contract.table):
        return ContractRun()
    codes = known_codes(con, contract, open_years)
    suite = contract.build_suite(codes)
    fingerprint = suite_fingerprint(suite)
    max_rows = batch_rows if batch_rows is not None else get_settings().gx_batch_rows
    files = _active_files(con, contract.table)
    if reuse:
        ensure_quality_tables(con)
        reused, pending = _stored_batches(con, contract.table, fingerprint, files)
    else:
        reused, pending = [], files
    batches = list(reused)
    for group in _file_batches(pending, max_rows) or ([[]] if not files else []):
        where = (
            "where _source_file in (" + ", ".join(_literal(f.name) for f in group) + ")"
            if group
            else ""
        )
        frame = con.execute(f"select * from raw.{contract.table} {where}").df()
        batches.append(([f.key for f in group], validate_frame(frame, suite, contract.name)))
        big = len(frame) >= _RELEASE_FROM_ROWS
        del frame
        if big:  # a full collection costs ~0.2 s: only worth it after a big frame
            _release_memory()
    if reuse and files:
        _store_batches(con, contract.table, fingerprint, batches, run_id)
    # In file order, so that the samples of failures read the same however the files were batched.
    batches.sort(key=lambda batch: batch[0])
    run = ContractRun(
        outcomes=_merge([outcomes for _, outcomes in batches]),
        batches_validated=len(batches) - len(reused),
        batches_reused=len(reused),
    )
    if contract.vouchers is not None:
        voucher_key = ", ".join(_ident(c) for c in contract.vouchers.group)
        amount = _ident(contract.vouchers.amount)
        vouchers = con.execute(
            f"""
            select _source_file, {voucher_key},
                   sum(round(try_cast({amount} as decimal(38, 6)) * 100))::bigint as amount_ore
            from raw.{contract.table} group by all
            """
        ).df()
        run.outcomes += validate_frame(
            vouchers, contract.build_voucher_suite(), f"{contract.name}_vouchers"
        )
    return run


CHECK_RESULT_COLUMNS = (
    "checked_at",
    "run_id",
    "check_name",
    "asset_key",
    "severity",
    "passed",
    "expectation",
    "column_name",
    "element_count",
    "unexpected_count",
    "sample_values",
    "sample_rows",
    "message",
)


def insert_check_results(
    con: duckdb.DuckDBPyConnection, source: str, rows: list[list[Any]]
) -> None:
    """Rows of `ops.check_results` from one source (`gx`, `dbt`, `config`, `quarantine`), each
    with the values of CHECK_RESULT_COLUMNS in that order."""
    ensure_quality_tables(con)
    if not rows:
        return
    columns = ", ".join(CHECK_RESULT_COLUMNS)
    marks = ", ".join("?" for _ in CHECK_RESULT_COLUMNS)
    con.executemany(
        f"insert into ops.check_results (source, {columns}) values ({_literal(source)}, {marks})",
        rows,
    )


def store_outcomes(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    outcomes: list[ExpectationOutcome],
    run_id: str | None,
) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    insert_check_results(
        con,
        "gx",
        [
            [
                now,
                run_id,
                o.suite,
                f"raw/{contract.table}",
                o.severity,
                o.passed,
                f"{o.rule}: {o.expectation}",
                o.column,
                o.element_count,
                o.unexpected_count,
                json.dumps(o.sample_values, ensure_ascii=False),
                json.dumps(o.sample_rows, ensure_ascii=False),
                o.describe(),
            ]
            for o in outcomes
        ],
    )


# --------------------------------------------------------------------------------------------
# dbt test results
# --------------------------------------------------------------------------------------------


def _dbt_asset_key(node: dict[str, Any], nodes: dict[str, Any], sources: dict[str, Any]) -> str:
    """The Dagster asset key (as `a/b`) a dbt test is attached to, as dagster-dbt names it."""
    attached = node.get("attached_node")
    parents = [attached] if attached else list(node.get("depends_on", {}).get("nodes", []))
    for parent in parents:
        if parent in sources:
            return f"{sources[parent]['source_name']}/{sources[parent]['name']}"
        if parent in nodes:
            return str(nodes[parent]["name"])
    if node.get("model"):  # unit tests name their model
        return str(node["model"])
    return str(node.get("name", "dbt"))


def store_dbt_results(
    con: duckdb.DuckDBPyConnection,
    run_results_path: Path,
    run_id: str | None,
    manifest_path: Path | None = None,
) -> int:
    """Insert the data and unit test results of one dbt invocation into `ops.check_results`.

    Call it after `dbt build` with that invocation's `run_results.json` (and `manifest.json`,
    by default the one beside it). Skipped tests are not stored. Returns the number of rows.
    """
    ensure_quality_tables(con)
    results = json.loads(Path(run_results_path).read_text(encoding="utf-8"))
    manifest_file = manifest_path or Path(run_results_path).with_name("manifest.json")
    manifest = (
        json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.exists() else {}
    )
    nodes: dict[str, Any] = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    sources: dict[str, Any] = manifest.get("sources", {})
    generated = results.get("metadata", {}).get("generated_at")
    checked_at = (
        datetime.fromisoformat(generated.replace("Z", "+00:00"))
        .astimezone(UTC)
        .replace(tzinfo=None)
        if generated
        else datetime.now(UTC).replace(tzinfo=None)
    )
    rows = []
    for result in results.get("results", []):
        unique_id = str(result.get("unique_id", ""))
        if not unique_id.startswith(("test.", "unit_test.")):
            continue
        status = str(result.get("status", "")).lower()
        if status == "skipped":
            continue
        node = nodes.get(unique_id, {})
        configured = str(node.get("config", {}).get("severity", "error")).lower()
        severity = "warning" if status == "warn" or configured == "warn" else "blocking"
        metadata = node.get("test_metadata") or {}
        kind = (
            "unit_test"
            if unique_id.startswith("unit_test.")
            else str(metadata.get("name") or "singular")
        )
        failures = result.get("failures")
        rows.append(
            [
                checked_at,
                run_id,
                str(node.get("name") or unique_id.split(".")[-1]),
                _dbt_asset_key(node, nodes, sources),
                severity,
                status == "pass",
                kind,
                node.get("column_name"),
                None,
                int(failures) if failures is not None else (0 if status == "pass" else None),
                "[]",
                "[]",
                result.get("message") or status,
            ]
        )
    insert_check_results(con, "dbt", rows)
    return len(rows)
