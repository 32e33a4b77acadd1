"""Budget page: plan versions, budget per service area, organisation group and organisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboards.lib.auth import Principal
from dashboards.lib.db import query
from dashboards.lib.queries._common import scope as _scope


@dataclass(frozen=True)
class PlanVersion:
    fiscal_year: int
    scenario: str
    plan_version: str


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
    """Plan versions that have budget figures, in planning order: per fiscal year the proposal,
    the adopted budget, the forecasts, the outcome."""
    _scope(principal)
    df = query(_PLAN_VERSIONS_SQL)
    return [
        PlanVersion(int(row.fiscal_year), str(row.scenario), str(row.plan_version))
        for row in df.itertuples(index=False)
    ]


def default_plan_version(versions: Sequence[PlanVersion]) -> PlanVersion | None:
    """The version the budget page opens on, chosen from the data: the adopted budget
    (scenario `budget`) of the latest fiscal year that has one; without any adopted budget, the
    latest version that is not an outcome (then the latest version)."""
    budgets = [v for v in versions if v.scenario == "budget"]
    if budgets:
        return max(budgets, key=lambda v: v.fiscal_year)
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

# A share is of the year's whole cost: rpt_budget_area_total_year's year row (the Budget headline).
_YEAR_TOTAL_CTE = """
with year_total as (
    select total_sek
    from marts.rpt_budget_area_total_year
    where fiscal_year = $fiscal_year
        and scenario = $scenario
        and line_level = 'year'
)
"""

_BUDGET_ORG_SQL = (
    _YEAR_TOTAL_CTE
    + """
select
    org_code,
    org_name,
    org_group,
    org_group_sort,
    sum(amount_sek) as amount_sek,
    cast(
        sum(amount_sek) / nullif(any_value((select total_sek from year_total)), 0)
        as decimal(18, 6)
    ) as share_of_year
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
)


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


_BUDGET_GROUP_SQL = (
    _YEAR_TOTAL_CTE
    + """
select
    org_group,
    min(org_group_sort) as org_group_sort,
    count(distinct org_code) as org_count,
    sum(amount_sek) as amount_sek,
    cast(
        sum(amount_sek) / nullif(any_value((select total_sek from year_total)), 0)
        as decimal(18, 6)
    ) as share_of_year
from marts.rpt_budget_org_year
where fiscal_year = $fiscal_year
    and scenario = $scenario
    -- Access control: controllers see only their organisations (see _scope).
    and (not $restricted or list_contains($allowed_orgs::varchar[], org_code))
group by org_group
order by org_group_sort, org_group
"""
)


def budget_by_org_group(principal: Principal, fiscal_year: int, scenario: str) -> pd.DataFrame:
    """One row per organisation group, summed over the organisations the principal may see.

    For a controller these are the totals of their own organisations only: a city-wide group total
    minus their own rows would reveal a small group's other members (a group may have two).
    """
    params = _scope(principal) | {"fiscal_year": int(fiscal_year), "scenario": str(scenario)}
    return query(_BUDGET_GROUP_SQL, params)


_RECONCILIATION_SQL = """
select
    fiscal_year,
    scenario,
    period_month,
    total_ytd_sek as total_sek,
    allocated_ytd_sek as allocated_sek,
    unallocated_ytd_sek as unallocated_sek,
    price_list_deficit_ytd_sek as price_list_deficit_sek,
    year_budget_ytd_sek,
    variance_ytd_sek,
    variance_ytd_share
from marts.rpt_budget_reconciliation_monthly
where fiscal_year = $fiscal_year
    and scenario = $scenario
    and ($through_month is null or period_month <= $through_month)
order by period_month desc
limit 1
"""


def budget_reconciliation(
    principal: Principal, fiscal_year: int, scenario: str, through_month: date | None = None
) -> pd.DataFrame:
    """From the year's total cost to the sum charged to organisations, for the whole year (or
    through `through_month`): total, allocated, unallocated pool and price-list deficit (SEK),
    and for the outcome the year's budget to date and the variance (SEK and share of the
    budget), one row from rpt_budget_reconciliation_monthly; city-wide figures, the same for every role
    (pages show the lines to roles that see every organisation, whose tables they close)."""
    _scope(principal)
    return query(
        _RECONCILIATION_SQL,
        {
            "fiscal_year": int(fiscal_year),
            "scenario": str(scenario),
            "through_month": through_month,
        },
    )


_TOTALS_MONTHLY_SQL = """
select
    period_month,
    scenario,
    total_sek,
    total_ytd_sek
from marts.rpt_budget_reconciliation_monthly
where fiscal_year = $fiscal_year
    and list_contains($scenarios::varchar[], scenario)
order by scenario, period_month
"""


def city_totals_monthly(
    principal: Principal, fiscal_year: int, scenarios: list[str]
) -> pd.DataFrame:
    """The city's total cost per month and scenario, in the month and to date, SEK
    (rpt_budget_reconciliation_monthly; city-wide): Översikt's monthly trend."""
    _scope(principal)
    return query(
        _TOTALS_MONTHLY_SQL,
        {"fiscal_year": int(fiscal_year), "scenarios": [str(s) for s in scenarios]},
    )


_AREA_TOTALS_SQL = """
select
    line_level,
    line_name_sv,
    service_area_code,
    is_area_line,
    maintenance_sek,
    development_sek,
    other_sek,
    total_sek,
    share_of_year
from marts.rpt_budget_area_total_year
where fiscal_year = $fiscal_year
    and scenario = $scenario
order by line_level desc, is_area_line desc, service_area_code, line_name_sv
"""


def budget_area_totals(principal: Principal, fiscal_year: int, scenario: str) -> pd.DataFrame:
    """The Budget page's figures for a plan version (or the outcome): one 'year' row (total,
    maintenance, development, lines outside the areas) and one 'line' row per area or line
    outside the areas (maintenance, development, total, share of the year), SEK
    (rpt_budget_area_total_year; city-wide)."""
    _scope(principal)
    return query(_AREA_TOTALS_SQL, {"fiscal_year": int(fiscal_year), "scenario": str(scenario)})


_CLOSING_LINES_SQL = """
with closing as (
    select *
    from marts.rpt_budget_reconciliation_monthly
    where fiscal_year = $fiscal_year
        and scenario = $scenario
    qualify row_number() over (order by period_month desc) = 1
)

select
    line,
    amount_sek,
    cast(amount_sek / nullif(total_ytd_sek, 0) as decimal(18, 6)) as share_of_year
from (
    select 1 as sort, 'unallocated' as line, unallocated_ytd_sek as amount_sek, total_ytd_sek
    from closing
    union all
    select 2, 'price_list_deficit', price_list_deficit_ytd_sek, total_ytd_sek from closing
    union all
    select 3, 'total', total_ytd_sek, total_ytd_sek from closing
) as lines
order by sort
"""


def budget_closing_lines(principal: Principal, fiscal_year: int, scenario: str) -> pd.DataFrame:
    """The lines that close the organisation tables to the year's whole cost: the unallocated
    pool, the price-list deficit and the total, each with its share of the year, SEK
    (rpt_budget_reconciliation_monthly, the year's last month to date; city-wide)."""
    _scope(principal)
    return query(_CLOSING_LINES_SQL, {"fiscal_year": int(fiscal_year), "scenario": str(scenario)})
