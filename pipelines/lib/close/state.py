"""The close state in the working warehouse: what a close freezes, and close / reopen / export.

Four tables in `ops`, written only here (by `fordela close`, `reopen` and `export` through the
Dagster jobs of `pipelines/defs/close/`), read by dbt as sources and copied into every snapshot:

- `ops.period_closes`: one row per action (close, reopen, export) with who, when, why and run;
- `ops.closed_charges`: the rows of `marts.fct_charge` booked in a closed month, with the close;
- `ops.closed_price_settlement`: `marts.fct_price_settlement` of the month's year at the close;
- `ops.close_inputs`: every active input file (table, logical key, hash, path) at the close.

A month is closed while its latest close/reopen action is a close. Every refusal says what blocks
the action, so that a controller can act on it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from pipelines.lib.quality import relation_exists

PERIOD_CLOSES_DDL = """
create table if not exists ops.period_closes (
    action_id varchar not null,       -- unique id of this action
    close_id varchar not null,        -- the close the action is about
    period_month date not null,       -- first day of the month
    action varchar not null,          -- close | reopen | export
    acted_by varchar not null,
    acted_at timestamp not null,      -- UTC
    reason varchar,                   -- required for a reopen
    run_id varchar,                   -- the Dagster run
    detail varchar                    -- an export's files, relative to the data folder
)
"""

# The columns of marts.fct_charge that a close freezes (every column but close_id / is_closed).
CHARGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("period_month", "date not null"),
    ("fiscal_year", "integer not null"),
    ("line_kind", "varchar not null"),
    ("restated_month", "date"),
    ("service_id", "varchar not null"),
    ("service_area_code", "varchar"),
    ("cost_type", "varchar"),
    ("consumer_org_code", "varchar not null"),
    ("consumer_cost_centre_code", "varchar not null"),
    ("allocation_method", "varchar"),
    ("rule_id", "varchar"),
    ("support_service_id", "varchar"),
    ("driver_code", "varchar"),
    ("driver_volume", "decimal(18, 3)"),
    ("share", "decimal(18, 12)"),
    ("unit_price_sek", "decimal(18, 4)"),
    ("amount_sek", "decimal(18, 2) not null"),
    ("cause_kind", "varchar"),
    ("cause_sv", "varchar"),
    ("cause_en", "varchar"),
    ("debit_account", "varchar"),
    ("credit_account", "varchar"),
    ("credit_cost_centre_code", "varchar"),
    ("activity_code", "varchar"),
)
CLOSED_CHARGES_DDL = (
    "create table if not exists ops.closed_charges (\n    close_id varchar not null,\n"
    + ",\n".join(f"    {name} {kind}" for name, kind in CHARGE_COLUMNS)
    + "\n)"
)

SETTLEMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("fiscal_year", "integer not null"),
    ("service_id", "varchar not null"),
    ("driver_code", "varchar"),
    ("cost_sek", "decimal(18, 2)"),
    ("charged_sek", "decimal(18, 2)"),
    ("surplus_deficit_sek", "decimal(18, 2)"),
    ("carried_to_year", "integer"),
    ("spread_years", "integer"),
    ("carried_to_next_year_sek", "decimal(18, 2)"),
    ("carried_into_next_year_sek", "decimal(18, 2)"),
    ("next_year_budget_sek", "decimal(18, 2)"),
    ("next_year_planned_volume", "decimal(18, 3)"),
    ("next_year_unit_price_sek", "decimal(18, 4)"),
)
CLOSED_PRICE_SETTLEMENT_DDL = (
    "create table if not exists ops.closed_price_settlement (\n    close_id varchar not null,\n"
    "    period_month date not null,\n"
    + ",\n".join(f"    {name} {kind}" for name, kind in SETTLEMENT_COLUMNS)
    + "\n)"
)

CLOSE_INPUTS_DDL = """
create table if not exists ops.close_inputs (
    close_id varchar not null,
    table_name varchar not null,
    logical_key varchar not null,
    file_hash varchar not null,       -- SHA-256 of the file as loaded
    relative_path varchar not null,   -- path under data/landing/ when it was loaded
    partition_key varchar,            -- YYYY-MM of a monthly file
    rows_staged bigint
)
"""

CLOSE_TABLES = ("period_closes", "closed_charges", "closed_price_settlement", "close_inputs")

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class CloseError(Exception):
    """An action was refused; `reasons` are whole sentences naming what blocks it."""

    def __init__(self, action: str, month: str, reasons: list[str]) -> None:
        self.action, self.month, self.reasons = action, month, reasons
        listed = "\n".join(f"  - {reason}" for reason in reasons)
        super().__init__(f"{action} {month} refused:\n{listed}")


@dataclass(frozen=True)
class LatestRun:
    """The latest `full_pipeline` run the Dagster instance knows (passed in by the caller)."""

    run_id: str
    status: str  # Dagster's DagsterRunStatus name: SUCCESS, FAILURE, CANCELED, STARTED, ...
    at: datetime | None = None


@dataclass(frozen=True)
class CloseState:
    """A month's current state, from ops.period_closes."""

    period_month: date
    is_closed: bool
    close_id: str | None
    acted_by: str
    acted_at: datetime


def ensure_close_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the close tables when missing: dbt reads them as sources from the first build on."""
    con.execute("create schema if not exists ops")
    for ddl in (
        PERIOD_CLOSES_DDL,
        CLOSED_CHARGES_DDL,
        CLOSED_PRICE_SETTLEMENT_DDL,
        CLOSE_INPUTS_DDL,
    ):
        con.execute(ddl)


def parse_month(text: str) -> date:
    """`YYYY-MM` -> the first day of that month; anything else is refused with the form to use."""
    match = _MONTH.fullmatch(text.strip())
    if not match:
        raise CloseError(
            "parse", text, [f"'{text}' is not a month; write it as YYYY-MM, e.g. 2031-03"]
        )
    return date(int(match[1]), int(match[2]), 1)


def month_text(month: date) -> str:
    return f"{month:%Y-%m}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def month_states(con: duckdb.DuckDBPyConnection) -> dict[date, CloseState]:
    """Every month with a close or reopen: its latest such action decides whether it is closed."""
    if not relation_exists(con, "ops", "period_closes"):
        return {}
    rows = con.execute(
        """
        select period_month, action, close_id, acted_by, acted_at
        from ops.period_closes
        where action in ('close', 'reopen')
        qualify row_number() over (partition by period_month order by acted_at desc, action_id desc) = 1
        """
    ).fetchall()
    return {
        month: CloseState(month, action == "close", close_id if action == "close" else None, by, at)
        for month, action, close_id, by, at in rows
    }


def closed_months(con: duckdb.DuckDBPyConnection) -> list[date]:
    return sorted(m for m, s in month_states(con).items() if s.is_closed)


def _charge_months(con: duckdb.DuckDBPyConnection) -> list[date] | None:
    """Months with outcome charges in the last build; None when fct_charge was never built."""
    if not relation_exists(con, "marts", "fct_charge"):
        return None
    rows = con.execute(
        "select distinct period_month from marts.fct_charge where line_kind = 'charge' order by 1"
    ).fetchall()
    return [r[0] for r in rows]


def _last_build(con: duckdb.DuckDBPyConnection, model: str) -> datetime | None:
    """When the dbt tests of `model` last ran (stored with every build in ops.check_results)."""
    if not relation_exists(con, "ops", "check_results"):
        return None
    row = con.execute(
        "select max(checked_at) from ops.check_results where source = 'dbt' and asset_key = ?",
        [model],
    ).fetchone()
    return row[0] if row else None


def _red_checks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Blocking checks whose latest result failed (GX, dbt, configuration checks)."""
    if not relation_exists(con, "ops", "check_results"):
        return []
    rows = con.execute(
        """
        select source, check_name, asset_key, message
        from ops.check_results
        qualify row_number() over (
            partition by source, check_name, coalesce(asset_key, ''), coalesce(expectation, ''),
                coalesce(column_name, '')
            order by checked_at desc
        ) = 1
            and severity = 'blocking' and not passed
        order by source, check_name
        """
    ).fetchall()
    return [f"{source} check {name} on {asset}: {message}" for source, name, asset, message in rows]


def _open_file_errors(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not relation_exists(con, "ops", "file_errors"):
        return []
    rows = con.execute(
        "select source_file, moved_to from ops.file_errors where resolved_at is null order by 1"
    ).fetchall()
    return [f"{source} (rejected, now in {moved})" for source, moved in rows]


def _listing(items: list[str], limit: int = 10) -> str:
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def close_refusals(
    con: duckdb.DuckDBPyConnection, month: date, latest_run: LatestRun | None = None
) -> list[str]:
    """Why `month` cannot be closed now (empty: it can). Each reason names what blocks it."""
    reasons: list[str] = []
    label = month_text(month)
    if latest_run is not None and latest_run.status != "SUCCESS":
        running = latest_run.status in ("STARTED", "STARTING", "QUEUED", "NOT_STARTED")
        reasons.append(
            f"the latest pipeline run {latest_run.run_id} {'is still running' if running else 'failed'} "
            f"({latest_run.status}); "
            "close when a run has gone green"
        )
    red = _red_checks(con)
    if red:
        reasons.append(f"{len(red)} blocking check(s) are red: {_listing(red, 5)}")
    errors = _open_file_errors(con)
    if errors:
        reasons.append(
            f"{len(errors)} rejected file(s) are open in ops.file_errors: {_listing(errors)}; "
            "deliver a corrected file or remove it from the quarantine folder"
        )
    charge_months = _charge_months(con)
    if charge_months is None:
        reasons.append("marts.fct_charge has never been built; run the pipeline first")
        return reasons
    built = _last_build(con, "fct_allocation")
    loaded = (
        con.execute("select max(loaded_at) from ops.landed_files").fetchone()
        if relation_exists(con, "ops", "landed_files")
        else None
    )
    if built is not None and loaded and loaded[0] is not None and loaded[0] > built:
        reasons.append(
            f"files were loaded at {loaded[0]:%Y-%m-%d %H:%M} UTC, after the allocation was last "
            f"built ({built:%Y-%m-%d %H:%M} UTC); run the pipeline first"
        )
    states = month_states(con)
    last_action = max((s.acted_at for s in states.values()), default=None)
    charge_built = _last_build(con, "fct_charge")
    if last_action is not None and charge_built is not None and last_action > charge_built:
        reasons.append(
            f"the charges were last built at {charge_built:%Y-%m-%d %H:%M} UTC, before the last "
            "close or reopen; run the pipeline first"
        )
    state = states.get(month)
    if state is not None and state.is_closed:
        reasons.append(
            f"{label} is already closed (by {state.acted_by} at {state.acted_at:%Y-%m-%d %H:%M} UTC)"
        )
    if month not in charge_months:
        reasons.append(f"{label} has no outcome: no charges in marts.fct_charge for the month")
    closed = {m for m, s in states.items() if s.is_closed}
    earlier_open = [
        month_text(m)
        for m in charge_months
        if m.year == month.year and m < month and m not in closed
    ]
    if earlier_open:
        reasons.append(
            f"earlier months of {month.year} with outcome are still open: {', '.join(earlier_open)}; "
            "close them first (months close in order)"
        )
    unmapped = con.execute(
        """
        select service_id, sum(amount_sek) from marts.fct_charge
        where period_month = ? and debit_account is null
        group by service_id order by service_id
        """,
        [month],
    ).fetchall()
    if unmapped:
        services = [f"{sid} ({amount} SEK)" for sid, amount in unmapped]
        reasons.append(
            f"{len(unmapped)} service(s) charged in {label} have no accounts in "
            f"plan/invoicing_accounts.csv for {month.year} (and no default row): "
            f"{_listing(services, 20)}; add rows for them (see docs/input-formats.md)"
        )
    return reasons


def reopen_refusals(con: duckdb.DuckDBPyConnection, month: date, reason: str) -> list[str]:
    reasons: list[str] = []
    label = month_text(month)
    if not reason.strip():
        reasons.append('a reopen needs a reason: fordela reopen YYYY-MM --reason "why"')
    states = month_states(con)
    state = states.get(month)
    if state is None or not state.is_closed:
        reasons.append(f"{label} is not closed")
    later = [month_text(m) for m, s in sorted(states.items()) if s.is_closed and m > month]
    if later:
        reasons.append(
            f"later months are closed: {', '.join(later)}; reopen from the latest closed month "
            "backwards"
        )
    return reasons


def export_refusals(con: duckdb.DuckDBPyConnection, month: date) -> list[str]:
    state = month_states(con).get(month)
    if state is None or not state.is_closed:
        return [f"{month_text(month)} is not closed; only a closed month is exported"]
    return []


def _insert_action(
    con: duckdb.DuckDBPyConnection,
    *,
    close_id: str,
    month: date,
    action: str,
    by: str,
    run_id: str | None,
    reason: str | None = None,
    detail: str | None = None,
) -> str:
    action_id = uuid.uuid4().hex
    con.execute(
        """
        insert into ops.period_closes (action_id, close_id, period_month, action, acted_by, acted_at,
            reason, run_id, detail)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [action_id, close_id, month, action, by, _now(), reason, run_id, detail],
    )
    return action_id


def record_close(
    con: duckdb.DuckDBPyConnection,
    month: date,
    by: str,
    run_id: str | None,
    latest_run: LatestRun | None = None,
) -> str:
    """Close `month`: freeze its charges, settlement and inputs in one transaction; the close id."""
    ensure_close_tables(con)
    refusals = close_refusals(con, month, latest_run)
    if refusals:
        raise CloseError("close", month_text(month), refusals)
    close_id = uuid.uuid4().hex
    columns = ", ".join(name for name, _ in CHARGE_COLUMNS)
    settlement = ", ".join(name for name, _ in SETTLEMENT_COLUMNS)
    con.execute("begin transaction")
    try:
        _insert_action(con, close_id=close_id, month=month, action="close", by=by, run_id=run_id)
        con.execute(
            f"insert into ops.closed_charges (close_id, {columns}) "
            f"select ?, {columns} from marts.fct_charge where period_month = ?",
            [close_id, month],
        )
        con.execute(
            f"insert into ops.closed_price_settlement (close_id, period_month, {settlement}) "
            f"select ?, ?, {settlement} from marts.fct_price_settlement where fiscal_year = ?",
            [close_id, month, month.year],
        )
        con.execute(
            """
            insert into ops.close_inputs (close_id, table_name, logical_key, file_hash,
                relative_path, partition_key, rows_staged)
            select ?, table_name, logical_key, file_hash, relative_path, partition_key, rows_staged
            from ops.landed_files where status = 'active'
            """,
            [close_id],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return close_id


def record_reopen(
    con: duckdb.DuckDBPyConnection, month: date, by: str, reason: str, run_id: str | None
) -> str:
    """Reopen `month` (the frozen rows stay for the record); the id of the close reopened."""
    ensure_close_tables(con)
    refusals = reopen_refusals(con, month, reason)
    if refusals:
        raise CloseError("reopen", month_text(month), refusals)
    state = month_states(con)[month]
    assert state.close_id is not None
    _insert_action(
        con,
        close_id=state.close_id,
        month=month,
        action="reopen",
        by=by,
        run_id=run_id,
        reason=reason.strip(),
    )
    return state.close_id


def current_close_id(con: duckdb.DuckDBPyConnection, month: date) -> str | None:
    state = month_states(con).get(month)
    return state.close_id if state is not None and state.is_closed else None


def record_export(
    con: duckdb.DuckDBPyConnection, month: date, by: str, run_id: str | None, files: list[str]
) -> str:
    """Record that the export of closed `month` was written (the audit of who exported when)."""
    refusals = export_refusals(con, month)
    if refusals:
        raise CloseError("export", month_text(month), refusals)
    close_id = current_close_id(con, month)
    assert close_id is not None
    return _insert_action(
        con,
        close_id=close_id,
        month=month,
        action="export",
        by=by,
        run_id=run_id,
        detail="; ".join(files),
    )
