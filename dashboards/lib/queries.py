"""Every SQL statement the pages run, one typed function each, with access control applied here.

Rules for this module:
- Every public function takes the current `Principal` first. Organisation-level rows are filtered
  for restricted principals (controllers) inside the SQL, with the allowed codes as a bound
  list parameter. Callers cannot widen that list: it comes only from the principal.
- SQL text is constant. User input (search text, chosen groups, plan versions) is only ever
  passed as bound parameters ($name), never formatted into the statement.
- Statements over fct_allocation filter `consumer_org_code` the same way:
  `and (not $restricted or list_contains($allowed_orgs::varchar[], consumer_org_code))`.
- Figures above organisation level (service area x cost type of the whole city) are the
  published city budget and are the same for every role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboards.lib.auth import Principal
from dashboards.lib.db import query

DEFAULT_PLAN_VERSION = "Budget 2017"


@dataclass(frozen=True)
class PlanVersion:
    fiscal_year: int
    scenario: str
    plan_version: str


def _scope(principal: Principal) -> dict[str, object]:
    """Bound parameters of the organisation filter that every organisation-level statement has:
    `and (not $restricted or list_contains($allowed_orgs::varchar[], org_code))`."""
    if not isinstance(principal, Principal):
        raise TypeError(f"queries need the signed-in Principal, got {type(principal).__name__}")
    return {"restricted": principal.is_restricted, "allowed_orgs": principal.org_list}


# --- Plan versions ------------------------------------------------------------------------------

_PLAN_VERSIONS_SQL = """
select
    s.fiscal_year,
    s.scenario,
    s.plan_version
from marts.dim_scenario as s
where exists (
    select 1
    from marts.rpt_budget_area_year as r
    where r.fiscal_year = s.fiscal_year and r.scenario = s.scenario
)
order by
    s.fiscal_year,
    case
        when s.scenario = 'proposal' then 0
        when s.scenario = 'budget' then 1
        when s.scenario like 'forecast%' then 2
        when s.scenario = 'outcome' then 9
        else 5
    end,
    s.scenario
"""


def plan_versions(principal: Principal) -> list[PlanVersion]:
    """Plan versions that have budget figures, in planning order (P0 2016 ... Budget 2017 ...)."""
    _scope(principal)
    df = query(_PLAN_VERSIONS_SQL)
    return [
        PlanVersion(int(row.fiscal_year), str(row.scenario), str(row.plan_version))
        for row in df.itertuples(index=False)
    ]


def default_plan_version(versions: Sequence[PlanVersion]) -> PlanVersion | None:
    """`Budget 2017` when present, else the latest version that is not an outcome."""
    for version in versions:
        if version.plan_version == DEFAULT_PLAN_VERSION:
            return version
    plans = [v for v in versions if v.scenario != "outcome"] or list(versions)
    return plans[-1] if plans else None


# --- Budget per service area (city-wide, public) -------------------------------------------------

_BUDGET_AREA_SQL = """
with area_rows as (
    select
        r.service_area_code,
        coalesce(r.service_area_name_sv, a.name_sv, r.service_area_code) as service_area_name_sv,
        a.name_en as service_area_name_en,
        r.cost_type,
        -- Lines outside the service areas (the balancing line Reglering, the unallocated outcome
        -- pool Ej fördelat) count in the total but not in maintenance/development per area.
        (
            r.service_area_code is not null
            and coalesce(r.cost_type, '') in ('maintenance', 'development')
        ) as is_area_line,
        r.amount_sek
    from marts.rpt_budget_area_year as r
    left join marts.dim_service_area as a
        on a.service_area_code = r.service_area_code
    where r.fiscal_year = $fiscal_year and r.scenario = $scenario
)

select
    service_area_code,
    service_area_name_sv,
    service_area_name_en,
    cost_type,
    is_area_line,
    sum(amount_sek) as amount_sek
from area_rows
group by service_area_code, service_area_name_sv, service_area_name_en, cost_type, is_area_line
order by is_area_line desc, service_area_code, service_area_name_sv, cost_type
"""


def budget_by_area(principal: Principal, fiscal_year: int, scenario: str) -> pd.DataFrame:
    """One row per service area x cost type, SEK, plus the lines outside the areas
    (`is_area_line` false, named in service_area_name_sv).

    The same for every role: the area budget is the city's published total.
    """
    _scope(principal)
    return query(_BUDGET_AREA_SQL, {"fiscal_year": int(fiscal_year), "scenario": str(scenario)})


# --- Budget per organisation (restricted for controllers) ----------------------------------------

_BUDGET_ORG_SQL = """
select
    org_code,
    org_name,
    org_group,
    org_group_sort,
    sum(amount_sek) as amount_sek
from marts.rpt_budget_org_year
where fiscal_year = $fiscal_year
    and scenario = $scenario
    -- Access control: controllers see only their organisations (see _scope).
    and (not $restricted or list_contains($allowed_orgs::varchar[], org_code))
    and (
        $search = ''
        or contains(lower(org_name), lower($search))
        or contains(lower(org_code), lower($search))
    )
    and (len($org_groups::varchar[]) = 0 or list_contains($org_groups::varchar[], org_group))
group by org_code, org_name, org_group, org_group_sort
order by org_group_sort, org_code
"""


def budget_by_org(
    principal: Principal,
    fiscal_year: int,
    scenario: str,
    search: str = "",
    org_groups: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per organisation the principal may see, SEK; optional name/code search and groups."""
    params = _scope(principal) | {
        "fiscal_year": int(fiscal_year),
        "scenario": str(scenario),
        "search": (search or "").strip(),
        "org_groups": [str(g) for g in org_groups],
    }
    return query(_BUDGET_ORG_SQL, params)


_BUDGET_GROUP_SQL = """
select
    org_group,
    min(org_group_sort) as org_group_sort,
    count(distinct org_code) as org_count,
    sum(amount_sek) as amount_sek
from marts.rpt_budget_org_year
where fiscal_year = $fiscal_year
    and scenario = $scenario
    -- Access control: controllers see only their organisations (see _scope).
    and (not $restricted or list_contains($allowed_orgs::varchar[], org_code))
group by org_group
order by org_group_sort, org_group
"""


def budget_by_org_group(principal: Principal, fiscal_year: int, scenario: str) -> pd.DataFrame:
    """One row per organisation group, summed over the organisations the principal may see.

    For a controller these are the totals of their own organisations only: a city-wide group total
    minus their own rows would reveal a small group's other members (Kommunalförbund has two).
    """
    params = _scope(principal) | {"fiscal_year": int(fiscal_year), "scenario": str(scenario)}
    return query(_BUDGET_GROUP_SQL, params)


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
