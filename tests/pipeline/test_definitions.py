"""The Dagster definitions load and form one graph: ingest -> dbt models (tests as checks) -> GX -> publish."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs
from pipelines.lib.landing import TABLE_SPECS


def _graph():
    return defs.resolve_asset_graph()


def test_definitions_validate() -> None:
    dg.Definitions.validate_loadable(defs)


def test_one_ingest_asset_per_raw_table() -> None:
    keys = {key.to_user_string() for key in _graph().get_all_asset_keys()}
    for spec in TABLE_SPECS:
        assert f"raw/{spec.table}" in keys


def test_dbt_models_are_assets_with_tests_as_checks() -> None:
    graph = _graph()
    keys = {key.path[-1] for key in graph.get_all_asset_keys()}
    assert {"fct_allocation", "fct_service_cost", "dim_organisation", "rpt_budget_org_year"} <= keys
    check_names = {check.name for check in graph.asset_check_keys}
    assert any(name.startswith("gx_") for name in check_names)
    # dbt data tests surface as asset checks (unique / not_null / conservation ...).
    assert any("unique" in name or "not_null" in name for name in check_names)


def test_publish_is_downstream_of_allocation_which_is_downstream_of_ingest() -> None:
    graph = _graph()
    publish = dg.AssetKey(["serving", "current_snapshot"])
    upstream = {key.path[-1] for key in graph.get(publish).parent_keys}
    assert "fct_allocation" in upstream

    def ancestors(key: dg.AssetKey) -> set[dg.AssetKey]:
        seen: set[dg.AssetKey] = set()
        stack = [key]
        while stack:
            for parent in graph.get(stack.pop()).parent_keys:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    above = {key.to_user_string() for key in ancestors(publish)}
    assert {"raw/plan_amounts", "raw/allocation_keys", "raw/ledger"} <= above


def test_ledger_contract_is_a_blocking_check() -> None:
    specs = [spec for checks in defs.asset_checks or [] for spec in checks.check_specs]
    ledger = next(spec for spec in specs if spec.name == "gx_ledger")
    assert ledger.asset_key == dg.AssetKey(["raw", "ledger"])
    assert ledger.blocking


def test_sensor_schedule_and_jobs_are_registered() -> None:
    assert defs.resolve_sensor_def("landing_sensor").job_name == "full_pipeline"
    schedule = defs.resolve_schedule_def("nightly_pipeline")
    assert (schedule.cron_schedule, schedule.job_name) == ("0 2 * * *", "full_pipeline")
    full = defs.resolve_job_def("full_pipeline")
    assert full.partitions_def is not None  # one run covers a range of months
    assert defs.resolve_job_def("monthly_ingest").partitions_def == full.partitions_def


def test_every_raw_table_has_a_contract_check_and_load_checks() -> None:
    check_keys = {(k.asset_key.to_user_string(), k.name) for k in _graph().asset_check_keys}
    for spec in TABLE_SPECS:
        for name in (f"gx_{spec.table}", "rows_reconcile", "files_accepted"):
            assert (f"raw/{spec.table}", name) in check_keys


def test_the_delivery_checks_block_dbt_and_wait_for_every_raw_table() -> None:
    """configuration_allocatable and quarantine_within_limit are blocking, on raw/ledger, and
    read every other raw table (so they see the whole delivery before dbt runs)."""
    specs = {spec.name: spec for checks in defs.asset_checks or [] for spec in checks.check_specs}
    raw = {dg.AssetKey(["raw", spec.table]) for spec in TABLE_SPECS}
    for name in ("configuration_allocatable", "quarantine_within_limit"):
        spec = specs[name]
        assert spec.asset_key == dg.AssetKey(["raw", "ledger"]) and spec.blocking
        assert {dep.asset_key for dep in spec.additional_deps} == raw - {spec.asset_key}


def test_month_close_is_in_the_graph_and_apart_from_the_pipeline() -> None:
    graph = _graph()
    close = {
        dg.AssetKey(["ops", t])
        for t in ("period_closes", "closed_charges", "closed_price_settlement", "close_inputs")
    }
    export = dg.AssetKey(["exports", "internal_invoices"])
    assert close | {export} <= set(graph.get_all_asset_keys())
    # dbt reads the close tables as sources: the restatements and the charges as booked follow.
    assert (
        dg.AssetKey(["ops", "closed_charges"])
        in graph.get(dg.AssetKey(["staging", "stg_ops__closed_charges"])).parent_keys
    )
    assert {
        dg.AssetKey(["ops", "closed_charges"]),
        dg.AssetKey(["marts", "fct_invoice_line"]),
    } <= set(graph.get(export).parent_keys)
    selected = {
        k.to_user_string()
        for k in defs.resolve_job_def("close_month").asset_layer.selected_asset_keys
    }
    assert {
        "ops/period_closes",
        "marts/fct_restatement",
        "marts/fct_charge",
        "marts/fct_invoice_line",
        "marts/rpt_budget_vs_outcome_monthly",
        "marts/rpt_period_close_monthly",
        "exports/internal_invoices",
        "serving/current_snapshot",
    } <= selected
    assert not any(k.startswith("raw/") or k == "marts/fct_allocation" for k in selected)
    assert defs.resolve_job_def("export_month").asset_layer.selected_asset_keys == {export}
    pipeline = defs.resolve_job_def("full_pipeline").asset_layer.selected_asset_keys
    assert not (close | {export}) & pipeline
    assert dg.AssetKey(["marts", "fct_restatement"]) in pipeline
