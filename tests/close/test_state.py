"""Close, reopen and export on a small real DuckDB warehouse: what is frozen, what is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.close.state import (
    CHARGE_COLUMNS,
    SETTLEMENT_COLUMNS,
    CloseError,
    LatestRun,
    close_refusals,
    closed_months,
    export_refusals,
    month_states,
    parse_month,
    record_close,
    record_export,
    record_reopen,
)
from pipelines.lib.landing import ensure_schemas

JAN, FEB, MAR = date(2031, 1, 1), date(2031, 2, 1), date(2031, 3, 1)
LOADED = datetime(2031, 4, 1, 8, 0)


def _charge(
    month: date, cc: str, service: str, amount: str, debit: str | None = "6950"
) -> dict[str, object]:
    row: dict[str, object] = {name: None for name, _ in CHARGE_COLUMNS}
    row.update(
        period_month=month,
        fiscal_year=month.year,
        line_kind="charge",
        service_id=service,
        cost_type="maintenance",
        consumer_org_code=cc.split("-")[0],
        consumer_cost_centre_code=cc,
        allocation_method="fixed_key",
        rule_id=f"R-{service}",
        amount_sek=amount,
        debit_account=debit,
        credit_account="3590" if debit else None,
        credit_cost_centre_code="SSC-1" if debit else None,
        activity_code=service,
    )
    return row


def _built(con: duckdb.DuckDBPyConnection, at: datetime) -> None:
    """dbt results as a build stores them: the allocation and the charges built at `at`."""
    for model in ("fct_allocation", "fct_charge"):
        con.execute(
            "insert into ops.check_results (checked_at, run_id, source, check_name, asset_key, "
            "severity, passed, message) values (?, 'build', 'dbt', ?, ?, 'blocking', true, 'ok')",
            [at, f"not_null_{model}", model],
        )


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_schemas(connection)
    connection.execute("create schema marts")
    columns = ", ".join(f"{name} {kind.replace(' not null', '')}" for name, kind in CHARGE_COLUMNS)
    connection.execute(
        f"create table marts.fct_charge ({columns}, close_id varchar, is_closed boolean)"
    )
    settlement = ", ".join(
        f"{name} {kind.replace(' not null', '')}" for name, kind in SETTLEMENT_COLUMNS
    )
    connection.execute(f"create table marts.fct_price_settlement ({settlement})")
    rows = [
        _charge(JAN, "SKO-1", "IT-DRIFT", "1000.00"),
        _charge(JAN, "SKO-2", "IT-DRIFT", "500.50"),
        _charge(FEB, "SKO-1", "IT-DRIFT", "1100.00"),
        _charge(MAR, "SKO-1", "IT-DRIFT", "900.00"),
    ]
    for row in rows:
        names = ", ".join(row)
        connection.execute(
            f"insert into marts.fct_charge ({names}, is_closed) values ({', '.join('?' * len(row))}, false)",
            list(row.values()),
        )
    connection.execute(
        "insert into marts.fct_price_settlement (fiscal_year, service_id, cost_sek, charged_sek) "
        "values (2031, 'IT-ARB', 100.00, 90.00), (2030, 'IT-ARB', 5.00, 5.00)"
    )
    for path, month in (("ledger/ledger_2031-01.csv", "2031-01"), ("plan/plan_amounts.csv", None)):
        connection.execute(
            "insert into ops.landed_files (file_hash, table_name, relative_path, logical_key, "
            "size_bytes, rows_read, loaded_at, status, partition_key, rows_staged) "
            "values (?, ?, ?, ?, 1, 1, ?, 'active', ?, 1)",
            [
                f"hash-{path}",
                path.split("/")[1].split("_20")[0].removesuffix(".csv"),
                path,
                f"key:{path}",
                LOADED,
                month,
            ],
        )
    _built(connection, LOADED + timedelta(minutes=5))
    yield connection
    connection.close()


def test_a_month_is_written_yyyy_mm() -> None:
    assert parse_month("2031-03") == MAR
    with pytest.raises(CloseError, match="write it as YYYY-MM"):
        parse_month("mars 2031")


def test_close_freezes_charges_settlement_and_inputs(con: duckdb.DuckDBPyConnection) -> None:
    close_id = record_close(con, JAN, "anna", "run-1")
    assert closed_months(con) == [JAN]
    frozen = con.execute(
        "select consumer_cost_centre_code, amount_sek from ops.closed_charges where close_id = ? order by 1",
        [close_id],
    ).fetchall()
    assert [(cc, str(a)) for cc, a in frozen] == [("SKO-1", "1000.00"), ("SKO-2", "500.50")]
    assert con.execute(
        "select fiscal_year, service_id from ops.closed_price_settlement where close_id = ?",
        [close_id],
    ).fetchall() == [(2031, "IT-ARB")]
    assert {
        r[0]
        for r in con.execute(
            "select relative_path from ops.close_inputs where close_id = ?", [close_id]
        ).fetchall()
    } == {"ledger/ledger_2031-01.csv", "plan/plan_amounts.csv"}
    action = con.execute("select action, acted_by, run_id from ops.period_closes").fetchall()
    assert action == [("close", "anna", "run-1")]


def test_months_close_in_order_and_once(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(CloseError) as refused:
        record_close(con, MAR, "anna", None)
    assert "2031-01, 2031-02" in str(refused.value) and "close them first" in str(refused.value)
    record_close(con, JAN, "anna", None)
    _built(con, datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=1))
    with pytest.raises(CloseError, match="2031-01 is already closed"):
        record_close(con, JAN, "anna", None)
    assert "has no outcome" in " ".join(close_refusals(con, date(2031, 7, 1)))


def test_refused_on_red_checks_open_files_and_a_failed_run(con: duckdb.DuckDBPyConnection) -> None:
    later = LOADED + timedelta(minutes=10)
    con.execute(
        "insert into ops.check_results (checked_at, run_id, source, check_name, asset_key, severity, "
        "passed, expectation, message) values (?, 'r2', 'gx', 'ledger', 'raw/ledger', 'blocking', "
        "false, 'voucher_balanced: expect', 'ledger: 3 vouchers do not balance')",
        [later],
    )
    con.execute(
        "insert into ops.file_errors (file_hash, source_file, table_name, message, moved_to, error_at) "
        "values ('h', 'volumes/volumes_2031-01.csv', 'volumes', 'cannot read', "
        "'quarantine/volumes/volumes_2031-01.csv', ?)",
        [later],
    )
    reasons = close_refusals(con, JAN, LatestRun("run-9", "FAILURE"))
    text = "\n".join(reasons)
    assert "run-9 failed" in text
    assert "blocking check" in text and "3 vouchers do not balance" in text
    assert "volumes/volumes_2031-01.csv" in text
    # The check passes again in a later run and the file is resolved: nothing blocks any more.
    con.execute(
        "insert into ops.check_results (checked_at, run_id, source, check_name, asset_key, severity, "
        "passed, expectation, message) values (?, 'r3', 'gx', 'ledger', 'raw/ledger', 'blocking', "
        "true, 'voucher_balanced: expect', 'ok')",
        [later + timedelta(minutes=1)],
    )
    con.execute("update ops.file_errors set resolved_at = ?, resolution = 'removed'", [later])
    assert close_refusals(con, JAN, LatestRun("run-10", "SUCCESS")) == []


def test_refused_when_files_arrived_after_the_build(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("update ops.landed_files set loaded_at = ?", [LOADED + timedelta(hours=1)])
    assert "run the pipeline first" in " ".join(close_refusals(con, JAN))


def test_refused_naming_services_without_accounts(con: duckdb.DuckDBPyConnection) -> None:
    row = _charge(JAN, "SKO-1", "HR-LON", "200.00", debit=None)
    con.execute(
        f"insert into marts.fct_charge ({', '.join(row)}, is_closed) values ({', '.join('?' * len(row))}, false)",
        list(row.values()),
    )
    text = " ".join(close_refusals(con, JAN))
    assert "HR-LON (200.00 SEK)" in text and "plan/invoicing_accounts.csv" in text


def test_reopen_needs_a_reason_and_the_latest_month(con: duckdb.DuckDBPyConnection) -> None:
    record_close(con, JAN, "anna", None)
    _built(con, datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=1))
    record_close(con, FEB, "anna", None)
    with pytest.raises(CloseError, match="needs a reason"):
        record_reopen(con, FEB, "bo", " ", None)
    with pytest.raises(CloseError, match="later months are closed: 2031-02"):
        record_reopen(con, JAN, "bo", "wrong key", None)
    with pytest.raises(CloseError, match="2031-03 is not closed"):
        record_reopen(con, MAR, "bo", "why not", None)
    record_reopen(con, FEB, "bo", "late volumes", "run-7")
    assert closed_months(con) == [JAN]
    assert not month_states(con)[FEB].is_closed
    assert con.execute(
        "select acted_by, reason, run_id from ops.period_closes where action = 'reopen'"
    ).fetchall() == [("bo", "late volumes", "run-7")]
    # The frozen rows stay for the record.
    assert con.execute(
        "select count(*) from ops.closed_charges where period_month = ?", [FEB]
    ).fetchone() == (1,)


def test_only_a_closed_month_is_exported(con: duckdb.DuckDBPyConnection) -> None:
    assert export_refusals(con, JAN) == ["2031-01 is not closed; only a closed month is exported"]
    record_close(con, JAN, "anna", None)
    record_export(con, JAN, "cecilia", "run-3", ["exports/2031-01/internfakturering_2031-01.si"])
    assert con.execute(
        "select action, acted_by, detail from ops.period_closes where action = 'export'"
    ).fetchall() == [("export", "cecilia", "exports/2031-01/internfakturering_2031-01.si")]
