"""Datakvalitet: pipeline runs, freshness per source, check results, quarantine, file errors.

Pipeline pages are for data engineers only, and that is enforced here as well as in the page
registry: these tables hold raw values from the delivered files, of every organisation.
"""

from __future__ import annotations

import pandas as pd

from dashboards.lib.auth import Principal
from dashboards.lib.db import query
from dashboards.lib.queries._common import scope as _scope
from dashboards.lib.queries._common import text_param
from dashboards.lib.queries.snapshot import has_table, missing_columns

PIPELINE_ROLES = frozenset({"data_engineer"})


class NotForThisRole(PermissionError):
    """A pipeline query asked for by a role that may not see pipeline data."""


def _require_pipeline_role(principal: Principal) -> None:
    _scope(principal)
    if principal.role not in PIPELINE_ROLES:
        raise NotForThisRole(f"{principal.username} ({principal.role}) may not read pipeline data")


_OPS_TABLE_SQL = "select * from query_table($table_name)"


def ops_table(principal: Principal, table_name: str) -> pd.DataFrame | None:
    """A whole `ops.<table>` (small operational tables), or None when the snapshot lacks it.
    Only tables the snapshot lists can be named."""
    _require_pipeline_role(principal)
    if not has_table(principal, "ops", table_name):
        return None
    return query(_OPS_TABLE_SQL, {"table_name": f"ops.{table_name}"})


# --- Check results -------------------------------------------------------------------------------

CHECK_COLUMNS = (
    "checked_at",
    "run_id",
    "source",
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
)

_CHECK_RESULTS_SQL = """
with latest_run as (
    -- The checks of the run that produced this snapshot (the newest run in the table).
    select run_id
    from ops.check_results
    order by checked_at desc
    limit 1
)

select
    checked_at,
    run_id,
    source,
    check_name,
    asset_key,
    severity,
    passed,
    expectation,
    column_name,
    element_count,
    unexpected_count,
    sample_values,
    sample_rows
from ops.check_results
where ($all_runs or run_id = (select run_id from latest_run))
    and ($source = '' or source = $source)
    and (not $failed_only or not passed)
    and (
        $search = ''
        or contains(lower(check_name), lower($search))
        or contains(lower(asset_key), lower($search))
        or contains(lower(coalesce(expectation, '')), lower($search))
        or contains(lower(coalesce(column_name, '')), lower($search))
    )
order by passed, severity, source, asset_key, check_name, expectation, column_name
"""


def check_results(
    principal: Principal,
    *,
    source: str = "",
    failed_only: bool = False,
    search: str = "",
    all_runs: bool = False,
) -> pd.DataFrame | None:
    """GX and dbt check results (failures first); None when the snapshot has no results table."""
    _require_pipeline_role(principal)
    if not has_table(principal, "ops", "check_results"):
        return None
    if missing_columns(principal, "ops", "check_results", CHECK_COLUMNS):
        return None
    return query(
        _CHECK_RESULTS_SQL,
        {
            "source": text_param(source),
            "failed_only": bool(failed_only),
            "search": text_param(search),
            "all_runs": bool(all_runs),
        },
    )


# --- Quarantine ----------------------------------------------------------------------------------

QUARANTINE_COLUMNS = (
    "source_file",
    "source_row",
    "table_name",
    "stage",
    "check_name",
    "column_name",
    "value",
    "message",
    "quarantined_at",
)

_QUARANTINE_SQL = """
select
    table_name,
    source_file,
    source_row,
    stage,
    check_name,
    column_name,
    value,
    message,
    quarantined_at
from ops.quarantine
where ($table_name = '' or table_name = $table_name)
    and (
        $search = ''
        or contains(lower(message), lower($search))
        or contains(lower(source_file), lower($search))
        or contains(lower(check_name), lower($search))
        or contains(lower(coalesce(value, '')), lower($search))
    )
order by quarantined_at desc, source_file, source_row, check_name
limit 5000
"""

_QUARANTINE_SUMMARY_SQL = """
select
    table_name,
    stage,
    check_name,
    count(*) as row_count,
    count(distinct source_file) as file_count,
    max(quarantined_at) as last_quarantined_at
from ops.quarantine
group by table_name, stage, check_name
order by row_count desc, table_name, check_name
"""


def quarantine_rows(
    principal: Principal, *, table_name: str = "", search: str = ""
) -> pd.DataFrame | None:
    """Quarantined rows with their reasons (at most 5 000, newest first); None when absent."""
    _require_pipeline_role(principal)
    if not has_table(principal, "ops", "quarantine"):
        return None
    if missing_columns(principal, "ops", "quarantine", QUARANTINE_COLUMNS):
        return None
    return query(
        _QUARANTINE_SQL, {"table_name": text_param(table_name), "search": text_param(search)}
    )


def quarantine_summary(principal: Principal) -> pd.DataFrame | None:
    """Quarantined rows per table, stage and check."""
    _require_pipeline_role(principal)
    if not has_table(principal, "ops", "quarantine"):
        return None
    if missing_columns(principal, "ops", "quarantine", QUARANTINE_COLUMNS):
        return None
    return query(_QUARANTINE_SUMMARY_SQL)


# --- Runs ----------------------------------------------------------------------------------------

_RUNS_FROM_CHECKS_SQL = """
with checks as (
    select
        run_id,
        min(checked_at) as first_check_at,
        max(checked_at) as last_check_at,
        count(*) as checks,
        count(*) filter (where not passed) as failed_checks,
        count(*) filter (where not passed and severity = 'blocking') as failed_blocking
    from ops.check_results
    group by run_id
),

published as (
    select run_id, max(published_at) as published_at
    from ops.publish_log
    group by run_id
)

select
    c.run_id,
    c.first_check_at,
    c.last_check_at,
    c.checks,
    c.failed_checks,
    c.failed_blocking,
    p.published_at
from checks as c
left join published as p
    on p.run_id = c.run_id
order by c.last_check_at desc
limit 50
"""


def runs_from_checks(principal: Principal) -> pd.DataFrame | None:
    """Runs as the check results and the publish log record them (newest first); None when the
    snapshot has neither."""
    _require_pipeline_role(principal)
    if not (
        has_table(principal, "ops", "check_results") and has_table(principal, "ops", "publish_log")
    ):
        return None
    return query(_RUNS_FROM_CHECKS_SQL)


# --- Reconciliation to the published figures -----------------------------------------------------


_RECONCILIATION_SQL = """
select
    plan_version,
    source,
    line_key,
    level,
    label_sv,
    warehouse_tkr,
    published_tkr,
    difference_tkr,
    difference_code,
    difference_description_sv,
    difference_description_en,
    is_version_in_plan,
    is_named_difference,
    is_explained
from marts.rpt_reconciliation_published
where ($plan_version = '' or plan_version = $plan_version)
    and (not $differences_only or difference_tkr <> 0 or is_named_difference or not is_version_in_plan)
order by
    plan_version,
    coalesce(difference_tkr = 0 and not is_named_difference, false),
    is_explained nulls first,
    source,
    line_order nulls last,
    line_key
"""

# One row per plan version of the reference pack; no rows = no pack delivered.
_RECONCILIATION_SUMMARY_SQL = """
select
    plan_version,
    count(*) as lines,
    count(*) filter (where difference_tkr = 0) as equal_lines,
    count(*) filter (where is_named_difference) as known_inconsistencies,
    count(*) filter (where is_version_in_plan and not is_explained) as unexplained_lines,
    bool_and(is_version_in_plan) as is_version_in_plan
from marts.rpt_reconciliation_published
group by plan_version
order by plan_version
"""


def reconciliation_published(
    principal: Principal, *, plan_version: str = "", differences_only: bool = False
) -> pd.DataFrame:
    """The warehouse against the city's printed figures (its reference pack), line by line,
    with the named differences of the prints."""
    _require_pipeline_role(principal)
    return query(
        _RECONCILIATION_SQL,
        {"plan_version": text_param(plan_version), "differences_only": bool(differences_only)},
    )


def reconciliation_summary(principal: Principal) -> pd.DataFrame:
    """Per plan version of the reference pack: lines, equal lines, named differences,
    unexplained differences; empty when the city delivered no pack."""
    _require_pipeline_role(principal)
    return query(_RECONCILIATION_SUMMARY_SQL)
