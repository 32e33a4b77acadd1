"""Contracts are complete and consistent; check results (GX and dbt) land in ops.check_results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from expectations import CONTRACTS, CONTRACTS_BY_TABLE
from expectations.base import KnownCodes
from pipelines.lib.landing import TABLE_SPECS, row_reconciliation
from pipelines.lib.quality import _gx_context, run_contract, store_dbt_results
from pipelines.lib.readers import CONTRACT_COLUMNS
from tests.conftest import PipelineRun

from .conftest import INGEST_INPUTS, Warehouse


def test_every_raw_table_has_one_contract_over_its_columns() -> None:
    assert {c.table for c in CONTRACTS} == {s.table for s in TABLE_SPECS} == set(CONTRACT_COLUMNS)
    for contract in CONTRACTS:
        for rule in contract.rules:
            assert set(rule.columns) <= set(contract.columns), (contract.table, rule.name)
            assert rule.fix and rule.what
            if rule.reference is not None:
                assert rule.reference.column in CONTRACT_COLUMNS[rule.reference.table]
        # Registers load before the tables validated against them, without cycles.
        assert contract.table not in contract.references


def test_the_unknown_activity_code_rule_is_a_warning_and_the_ledger_is_blocking() -> None:
    ledger = CONTRACTS_BY_TABLE["ledger"]
    actions = {r.name: r.action for r in ledger.rules}
    assert actions["unknown_activity_code"] == "warning"
    assert actions["unknown_cost_centre"] == actions["unknown_account"] == "quarantine"
    assert ledger.severity == "blocking" and ledger.vouchers is not None


def test_suites_are_built_from_the_rules_with_their_severity() -> None:
    _gx_context()  # suites are bound to a Great Expectations context
    codes = KnownCodes(
        codes={"drivers.driver_code": frozenset({"WORKPLACE"})}, open_years=frozenset({2017})
    )
    suite = CONTRACTS_BY_TABLE["volumes"].build_suite(codes)
    names = {e.meta["rule"] for e in suite.expectations}
    assert {
        "schema",
        "type",
        "missing_value",
        "unknown_driver",
        "negative_value",
        "period_not_open",
        "duplicate_row",
    } <= names
    # Not loaded: cost_centres; that rule is left out rather than failing every row.
    assert "unknown_cost_centre" not in names
    assert all(
        e.meta["action"] in {"quarantine", "blocking", "warning"} for e in suite.expectations
    )


def test_row_reconciliation_notices_rows_that_went_missing(warehouse: Warehouse) -> None:
    warehouse.drop(INGEST_INPUTS / "volumes_2017-03_duplicates.csv", "volumes")
    warehouse.load("volumes")
    assert row_reconciliation(warehouse.con, "volumes") == []
    warehouse.con.execute("delete from landed.volumes where _source_row = 3")
    [problem] = row_reconciliation(warehouse.con, "volumes")
    assert problem == (
        "volumes/volumes_2017-03_duplicates.csv: read 3, recorded staged 2 / quarantined 1, "
        "found in raw.volumes 1 / in ops.quarantine 1"
    )


def test_dbt_test_results_are_stored_with_their_asset_and_severity(tmp_path: Path) -> None:
    manifest = {
        "nodes": {
            "model.fordela.stg_raw__ledger": {"name": "stg_raw__ledger", "resource_type": "model"},
            "test.fordela.not_null_stg_raw__ledger_account.abc": {
                "name": "not_null_stg_raw__ledger_account",
                "column_name": "account",
                "attached_node": "model.fordela.stg_raw__ledger",
                "test_metadata": {"name": "not_null"},
                "config": {"severity": "ERROR"},
            },
            "test.fordela.allocation_conserves_pools": {
                "name": "allocation_conserves_pools",
                "attached_node": None,
                "depends_on": {"nodes": ["model.fordela.stg_raw__ledger"]},
                "config": {"severity": "warn"},
            },
            "test.fordela.source_unique_raw_drivers_driver_code.def": {
                "name": "source_unique_raw_drivers_driver_code",
                "column_name": "driver_code",
                "attached_node": "source.fordela.raw.drivers",
                "test_metadata": {"name": "unique"},
                "config": {"severity": "ERROR"},
            },
        },
        "sources": {"source.fordela.raw.drivers": {"source_name": "raw", "name": "drivers"}},
        "unit_tests": {
            "unit_test.fordela.fct_allocation.shares_sum_to_one": {
                "name": "shares_sum_to_one",
                "model": "fct_allocation",
                "config": {},
            }
        },
    }
    run_results = {
        "metadata": {"generated_at": "2026-11-21T03:00:00.000000Z"},
        "results": [
            {"unique_id": "model.fordela.stg_raw__ledger", "status": "success"},
            {
                "unique_id": "test.fordela.not_null_stg_raw__ledger_account.abc",
                "status": "pass",
                "failures": 0,
                "message": None,
            },
            {
                "unique_id": "test.fordela.allocation_conserves_pools",
                "status": "warn",
                "failures": 3,
                "message": "Got 3 results, configured to warn if != 0",
            },
            {
                "unique_id": "test.fordela.source_unique_raw_drivers_driver_code.def",
                "status": "fail",
                "failures": 1,
                "message": "Got 1 result, configured to fail if != 0",
            },
            {"unique_id": "unit_test.fordela.fct_allocation.shares_sum_to_one", "status": "pass"},
            {"unique_id": "test.fordela.skipped_one", "status": "skipped"},
        ],
    }
    target = tmp_path / "target"
    target.mkdir()
    (target / "run_results.json").write_text(json.dumps(run_results))
    (target / "manifest.json").write_text(json.dumps(manifest))
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert store_dbt_results(con, target / "run_results.json", "run-1") == 4
        rows = con.execute(
            "select checked_at::varchar, run_id, source, check_name, asset_key, severity, passed, "
            "expectation, column_name, unexpected_count, message from ops.check_results order by check_name"
        ).fetchall()
    assert rows == [
        (
            "2026-11-21 03:00:00",
            "run-1",
            "dbt",
            "allocation_conserves_pools",
            "stg_raw__ledger",
            "warning",
            False,
            "singular",
            None,
            3,
            "Got 3 results, configured to warn if != 0",
        ),
        (
            "2026-11-21 03:00:00",
            "run-1",
            "dbt",
            "not_null_stg_raw__ledger_account",
            "stg_raw__ledger",
            "blocking",
            True,
            "not_null",
            "account",
            0,
            "pass",
        ),
        (
            "2026-11-21 03:00:00",
            "run-1",
            "dbt",
            "shares_sum_to_one",
            "fct_allocation",
            "blocking",
            True,
            "unit_test",
            None,
            0,
            "pass",
        ),
        (
            "2026-11-21 03:00:00",
            "run-1",
            "dbt",
            "source_unique_raw_drivers_driver_code",
            "raw/drivers",
            "blocking",
            False,
            "unique",
            "driver_code",
            1,
            "Got 1 result, configured to fail if != 0",
        ),
    ]


def test_a_big_table_is_validated_file_by_file_with_the_same_outcomes(
    pipeline_run: PipelineRun, tmp_path: Path
) -> None:
    """GX validates the monthly volumes a few files at a time (bounded memory); the summed
    outcomes are those of one validation of the whole table, failures and samples included."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(pipeline_run.warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        # Two rows that slipped past the loader, in two different files: a negative quantity and
        # a duplicate of another row.
        files = [
            r[0]
            for r in con.execute(
                "select distinct _source_file from raw.volumes order by 1 limit 2"
            ).fetchall()
        ]
        con.execute(
            "update landed.volumes set quantity = '-5' where _source_file = ? and _source_row = 2",
            [files[0]],
        )
        con.execute(
            "insert into landed.volumes select * replace (_source_row + 100000 as _source_row) "
            "from landed.volumes where _source_file = ? and _source_row = 3",
            [files[1]],
        )
        contract = CONTRACTS_BY_TABLE["volumes"]
        rows = con.execute("select count(*) from raw.volumes").fetchone()[0]
        whole = run_contract(con, contract, batch_rows=10**12, reuse=False).outcomes
        per_file = run_contract(con, contract, batch_rows=1, reuse=False).outcomes
    finally:
        con.close()

    def summary(outcomes: list) -> list[tuple]:
        return [
            (o.rule, o.expectation, o.column, o.passed, o.element_count, o.unexpected_count)
            for o in outcomes
        ]

    assert summary(per_file) == summary(whole)
    assert {o.element_count for o in whole} == {rows}
    failed = {(o.rule, o.unexpected_count) for o in per_file if not o.passed}
    assert any(rule.startswith("negative") or "negative" in rule for rule, _ in failed), failed
    assert any(count == 2 for rule, count in failed if "duplicate" in rule), failed
    negative = next(o for o in per_file if not o.passed and "negative" in o.rule)
    assert negative.sample_rows[0] == {"source_file": files[0], "source_row": 2}


def test_unchanged_files_are_not_validated_again(pipeline_run: PipelineRun, tmp_path: Path) -> None:
    """A batch of files validated before, with the same rows and the same suite, counts from its
    stored outcome; a changed row makes its file's batch validate again, and the summed outcomes
    always equal a validation of everything."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(pipeline_run.warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        contract = CONTRACTS_BY_TABLE["volumes"]
        files = [
            r[0]
            for r in con.execute(
                "select distinct _source_file from raw.volumes order by 1"
            ).fetchall()
        ]
        con.execute("delete from ops.gx_batch_outcomes where table_name = 'volumes'")

        first = run_contract(con, contract, batch_rows=1)
        again = run_contract(con, contract, batch_rows=1)
        con.execute(
            "update landed.volumes set quantity = '-5' where _source_file = ? and _source_row = 2",
            [files[-1]],
        )
        changed = run_contract(con, contract, batch_rows=1)
        everything = run_contract(con, contract, batch_rows=1, reuse=False)
        stored = con.execute(
            "select count(*) from ops.gx_batch_outcomes where table_name = 'volumes'"
        ).fetchone()[0]
    finally:
        con.close()

    def summary(outcomes: list) -> list[tuple]:
        return [
            (
                o.rule,
                o.expectation,
                o.column,
                o.passed,
                o.element_count,
                o.unexpected_count,
                o.sample_rows,
            )
            for o in outcomes
        ]

    assert len(files) > 2
    assert (first.batches_validated, first.batches_reused) == (len(files), 0)
    assert (again.batches_validated, again.batches_reused) == (0, len(files))
    assert summary(again.outcomes) == summary(first.outcomes)
    assert (changed.batches_validated, changed.batches_reused) == (1, len(files) - 1)
    assert summary(changed.outcomes) == summary(everything.outcomes)
    negative = next(o for o in changed.outcomes if not o.passed and "negative" in o.rule)
    assert negative.sample_rows == [{"source_file": files[-1], "source_row": 2}]
    # only the batches in use are kept
    assert stored == len(files)


def test_the_suite_fingerprint_follows_the_value_sets() -> None:
    """Stored outcomes are reused only with the same suite: a register behind a value set that
    changes makes every batch validate again."""
    from pipelines.lib.quality import suite_fingerprint

    _gx_context()
    contract = CONTRACTS_BY_TABLE["ledger"]
    key = next(r.reference.key for r in contract.rules if r.kind == "known" and r.reference)
    codes = KnownCodes(codes={key: frozenset({"K1", "K2"})}, open_years=frozenset({2017}))
    same = KnownCodes(codes={key: frozenset({"K2", "K1"})}, open_years=frozenset({2017}))
    other = KnownCodes(codes={key: frozenset({"K1", "K3"})}, open_years=frozenset({2017}))
    assert suite_fingerprint(contract.build_suite(codes)) == suite_fingerprint(
        contract.build_suite(same)
    )
    assert suite_fingerprint(contract.build_suite(codes)) != suite_fingerprint(
        contract.build_suite(other)
    )
