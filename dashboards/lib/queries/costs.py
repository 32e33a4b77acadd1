"""Cost pools over time: fiscal years and their scenarios, per service area and per service.

These figures are above organisation level (a service's or an area's whole cost), the same for
every role, like the published city budget. Rows per consuming organisation live in
`statement.py` and `services.py` and are filtered by the principal there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboards.lib.auth import Principal
from dashboards.lib.db import query
from dashboards.lib.queries._common import OUTCOME, as_date
from dashboards.lib.queries._common import scope as _scope
from dashboards.lib.queries.budget import PlanVersion

# --- Fiscal years and their scenarios ------------------------------------------------------------

_YEAR_SCENARIOS_SQL = """
select
    s.fiscal_year,
    s.scenario,
    s.plan_version,
    s.is_year_budget,
    s.is_latest_forecast,
    count(distinct c.period_month) as month_count,
    max(c.period_month) as last_month
from marts.dim_scenario as s
inner join marts.fct_service_cost as c
    on c.fiscal_year = s.fiscal_year
    and c.scenario = s.scenario
group by s.fiscal_year, s.scenario, s.plan_version, s.is_year_budget, s.is_latest_forecast
order by s.fiscal_year, s.scenario
"""

_OUTCOME_MONTHS_SQL = """
select distinct period_month
from marts.fct_service_cost
where fiscal_year = $fiscal_year
    and scenario = 'outcome'
order by period_month
"""


@dataclass(frozen=True)
class YearContext:
    """What a fiscal year has: its budget, its latest official forecast and its outcome months.

    `budget` is the plan every page calls the year's budget and `forecast` the latest official
    forecast, as dim_scenario flags them (is_year_budget: the adopted budget, else the
    proposal; is_latest_forecast: `forecast_N` with the highest N).
    """

    fiscal_year: int
    budget: PlanVersion | None
    forecast: PlanVersion | None
    outcome: PlanVersion | None
    outcome_months: tuple[date, ...] = field(default=())
    plans: tuple[PlanVersion, ...] = field(default=())

    @property
    def last_outcome_month(self) -> date | None:
        return self.outcome_months[-1] if self.outcome_months else None

    @property
    def outcome_is_complete(self) -> bool:
        return len(self.outcome_months) == 12


def fiscal_years(principal: Principal) -> list[int]:
    """Fiscal years with any cost rows (plan or outcome), oldest first."""
    _scope(principal)
    df = query(_YEAR_SCENARIOS_SQL)
    return sorted({int(y) for y in df["fiscal_year"]})


def default_fiscal_year(years: list[int], contexts: dict[int, YearContext]) -> int | None:
    """The latest year with outcome (what management follows up), else the latest year."""
    with_outcome = [y for y in years if contexts[y].outcome is not None]
    if with_outcome:
        return with_outcome[-1]
    return years[-1] if years else None


def year_contexts(principal: Principal) -> dict[int, YearContext]:
    """Every fiscal year's scenarios, from the rows the snapshot really has."""
    _scope(principal)
    df = query(_YEAR_SCENARIOS_SQL)
    contexts: dict[int, YearContext] = {}
    for year, rows in df.groupby("fiscal_year", sort=True):
        versions = {
            str(r.scenario): PlanVersion(int(year), str(r.scenario), str(r.plan_version))
            for r in rows.itertuples(index=False)
        }
        # Which plan is the year's budget and which its latest forecast is one rule, in
        # dim_scenario (is_year_budget, is_latest_forecast), so every page names the same plan.
        budget = next(
            (versions[str(r.scenario)] for r in rows.itertuples(index=False) if r.is_year_budget),
            None,
        )
        forecast = next(
            (
                versions[str(r.scenario)]
                for r in rows.itertuples(index=False)
                if r.is_latest_forecast
            ),
            None,
        )
        outcome = versions.get(OUTCOME)
        months: tuple[date, ...] = ()
        if outcome is not None:
            month_rows = query(_OUTCOME_MONTHS_SQL, {"fiscal_year": int(year)})
            months = tuple(as_date(m) for m in month_rows["period_month"])
        plans = tuple(v for s, v in versions.items() if s != OUTCOME)
        contexts[int(year)] = YearContext(
            fiscal_year=int(year),
            budget=budget,
            forecast=forecast,
            outcome=outcome,
            outcome_months=months,
            plans=plans,
        )
    return contexts


# --- Lines to date (rpt_cost_vs_budget_monthly) ---------------------------------------------------

_LINES_TO_DATE_SQL = """
select
    line_key,
    line_name_sv,
    service_id,
    service_area_code,
    service_area_name_sv,
    is_area_line,
    scenario,
    period_month,
    amount_ytd_sek,
    amount_year_sek,
    year_budget_ytd_sek,
    year_budget_year_sek,
    variance_ytd_sek,
    variance_ytd_share
from marts.rpt_cost_vs_budget_monthly
where fiscal_year = $fiscal_year
    and line_level = $line_level
    and ($line_key = '' or line_key = $line_key)
    and list_contains($scenarios::varchar[], scenario)
    and period_month <= coalesce($through_month, date '9999-12-31')
-- Each scenario's row of the chosen month (a plan's last month without one); only the lines
-- with cost in one of the scenarios shown.
qualify row_number() over (partition by scenario, line_key order by period_month desc) = 1
    and bool_or(has_cost_in_year) over (partition by line_key)
order by is_area_line desc, service_area_code nulls last, line_key, scenario
"""


def lines_to_date(
    principal: Principal,
    fiscal_year: int,
    scenarios: list[str],
    through_month: date | None,
    line_level: str = "area",
    line_key: str = "",
) -> pd.DataFrame:
    """Per line x scenario: cost to date through `through_month` (each scenario's last month
    without one), for the whole year, beside the year's budget with the variance, SEK
    (rpt_cost_vs_budget_monthly; city-wide). `line_level` 'area' lists the service areas and
    the lines outside them (`is_area_line` false), 'service' the services."""
    _scope(principal)
    if line_level not in ("area", "service"):
        raise ValueError(f"unknown line level {line_level!r}: area or service")
    return query(
        _LINES_TO_DATE_SQL,
        {
            "fiscal_year": int(fiscal_year),
            "line_level": line_level,
            "line_key": str(line_key),
            "scenarios": [str(s) for s in scenarios],
            "through_month": through_month,
        },
    )


_LARGEST_VARIANCES_SQL = """
select
    service_id,
    line_name_sv as service_name_sv,
    service_area_name_sv,
    year_budget_ytd_sek as budget_sek,
    amount_ytd_sek as outcome_sek,
    variance_ytd_sek as variance_sek
from marts.rpt_cost_vs_budget_monthly
where line_level = 'service'
    and scenario = 'outcome'
    and period_month = $through_month
    and year_budget_ytd_sek is not null
order by abs(variance_ytd_sek) desc, service_id
limit $limit
"""


def largest_variances(principal: Principal, through_month: date, limit: int = 10) -> pd.DataFrame:
    """The services furthest from the year's budget to date through `through_month`, SEK
    (rpt_cost_vs_budget_monthly; city-wide)."""
    _scope(principal)
    return query(_LARGEST_VARIANCES_SQL, {"through_month": through_month, "limit": int(limit)})


# --- Per service ---------------------------------------------------------------------------------

_SERVICE_NAMES_CTE = """
service_names as (
    -- The service as the city names it in the chosen year (its last version that year).
    select
        service_id,
        service_name_sv,
        service_area_code,
        cost_type as service_cost_type
    from marts.dim_service
    where valid_from <= make_date($fiscal_year::integer, 12, 31)
    qualify row_number() over (partition by service_id order by valid_from desc) = 1
)
"""

_SERVICE_CATALOGUE_SQL = (
    """
with """
    + _SERVICE_NAMES_CTE
    + """,
with_costs as (
    select distinct service_id
    from marts.fct_service_cost
    where fiscal_year = $fiscal_year
        and not coalesce(is_unallocated, false)
)

select
    n.service_id,
    n.service_name_sv,
    n.service_area_code,
    a.name_sv as service_area_name_sv,
    n.service_cost_type as cost_type
from service_names as n
inner join with_costs as w
    on w.service_id = n.service_id
left join marts.dim_service_area as a
    on a.service_area_code = n.service_area_code
order by n.service_area_code nulls last, n.service_name_sv, n.service_id
"""
)


def service_catalogue(principal: Principal, fiscal_year: int) -> pd.DataFrame:
    """The services that have cost rows in the year, named as in that year, by area."""
    _scope(principal)
    return query(_SERVICE_CATALOGUE_SQL, {"fiscal_year": int(fiscal_year)})


_SERVICE_VERSIONS_SQL = """
select
    v.service_version_key,
    v.service_id,
    v.service_name_sv,
    v.former_name_sv,
    v.service_area_code,
    a.name_sv as service_area_name_sv,
    v.cost_type,
    v.comment_sv,
    v.valid_from,
    v.valid_to
from marts.dim_service as v
left join marts.dim_service_area as a
    on a.service_area_code = v.service_area_code
where v.service_id = $service_id
order by v.valid_from
"""


def service_versions(principal: Principal, service_id: str) -> pd.DataFrame:
    """The service's history (SCD2 versions): names, former names, areas, validity."""
    _scope(principal)
    return query(_SERVICE_VERSIONS_SQL, {"service_id": str(service_id)})


_SERVICE_MONTHLY_SQL = """
select
    period_month,
    fiscal_year,
    scenario,
    amount_sek
from marts.rpt_cost_vs_budget_monthly
where line_level = 'service'
    and line_key = $service_id
    and has_cost
order by period_month, scenario
"""

_SERVICE_YEARS_SQL = """
select distinct
    fiscal_year,
    scenario,
    amount_year_sek as amount_sek
from marts.rpt_cost_vs_budget_monthly
where line_level = 'service'
    and line_key = $service_id
    and has_cost_in_year
order by fiscal_year, scenario
"""


def service_cost_years(principal: Principal, service_id: str) -> pd.DataFrame:
    """The service's cost pool per fiscal year and scenario, SEK (rpt_cost_vs_budget_monthly)."""
    _scope(principal)
    return query(_SERVICE_YEARS_SQL, {"service_id": str(service_id)})


def service_cost_monthly(principal: Principal, service_id: str) -> pd.DataFrame:
    """The service's cost pool per month and scenario over every year, SEK."""
    _scope(principal)
    return query(_SERVICE_MONTHLY_SQL, {"service_id": str(service_id)})


_SERVICE_VOLUME_SQL = """
select
    period_month,
    fiscal_year,
    scenario,
    cost_sek,
    charged_sek,
    support_charged_sek,
    driver_volume,
    volume_per_month,
    unit_cost_sek,
    unit_price_sek,
    price_source,
    consumer_orgs
from marts.rpt_service_unit_cost_monthly
where service_id = $service_id
order by period_month, scenario
"""


def service_volume_monthly(principal: Principal, service_id: str) -> pd.DataFrame:
    """Per month and scenario: the service's pool, charges, driver volume (its own allocation
    rows, support-cost rows left out), volume per month, unit cost and unit price, as
    rpt_service_unit_cost_monthly has them. Totals over every consumer (a service-level figure,
    the same for every role)."""
    _scope(principal)
    return query(_SERVICE_VOLUME_SQL, {"service_id": str(service_id)})


_SERVICE_RULES_SQL = """
select
    scenario,
    allocation_method,
    driver_code,
    rule_id,
    count(distinct consumer_org_code) as consumer_orgs,
    count(distinct consumer_cost_centre_code) as consumer_cost_centres
from marts.fct_allocation
where service_id = $service_id
    and fiscal_year = $fiscal_year
group by scenario, allocation_method, driver_code, rule_id
order by scenario, rule_id
"""


def service_rules(principal: Principal, service_id: str, fiscal_year: int) -> pd.DataFrame:
    """How the service is allocated in the year, per scenario: method, driver, rule."""
    _scope(principal)
    return query(
        _SERVICE_RULES_SQL, {"service_id": str(service_id), "fiscal_year": int(fiscal_year)}
    )


_SERVICE_CONSUMERS_SQL = """
-- Per cost centre first, then per organisation: the same sums, and the number of cost centres
-- as a count of groups (cheaper than count(distinct) over every allocation row).
with per_cost_centre as (
    select
        a.consumer_org_code,
        a.consumer_cost_centre_code,
        sum(a.amount_sek) filter (where a.scenario = 'outcome') as outcome_sek,
        sum(a.amount_sek) filter (where a.scenario = $budget_scenario) as budget_sek,
        -- Support-cost rows repeat the consumer's whole volume: own rows only.
        sum(a.driver_volume) filter (
            where a.scenario = 'outcome' and a.support_service_id is null
        ) as outcome_volume
    from marts.fct_allocation as a
    where a.service_id = $service_id
        and a.fiscal_year = $fiscal_year
        and a.scenario in ('outcome', $budget_scenario)
        -- Access control: controllers see only their organisations.
        and (not $restricted or list_contains($allowed_orgs::varchar[], a.consumer_org_code))
    group by a.consumer_org_code, a.consumer_cost_centre_code
)

select
    c.consumer_org_code as org_code,
    o.org_name,
    o.org_group,
    o.org_group_sort,
    sum(c.outcome_sek) as outcome_sek,
    sum(c.budget_sek) as budget_sek,
    sum(c.outcome_volume) as outcome_volume,
    count(c.consumer_cost_centre_code) as cost_centres
from per_cost_centre as c
left join marts.dim_organisation as o
    on o.org_code = c.consumer_org_code
group by c.consumer_org_code, o.org_name, o.org_group, o.org_group_sort
order by o.org_group_sort, c.consumer_org_code
"""


def service_consumers(
    principal: Principal, service_id: str, fiscal_year: int, budget_scenario: str | None
) -> pd.DataFrame:
    """Who consumes the service in the year: per organisation the principal may see,
    outcome and budget amounts (SEK) and outcome driver volume (unit-months)."""
    params = _scope(principal) | {
        "service_id": str(service_id),
        "fiscal_year": int(fiscal_year),
        "budget_scenario": str(budget_scenario or ""),
    }
    return query(_SERVICE_CONSUMERS_SQL, params)


_PRICE_SETTLEMENT_SQL = """
select
    fiscal_year,
    service_id,
    driver_code,
    unit_price_sek,
    price_source,
    cost_sek,
    charged_sek,
    surplus_deficit_sek,
    carried_to_year,
    next_year_unit_price_sek,
    next_year_published_unit_price_sek,
    next_year_price_source
from marts.fct_price_settlement
where service_id = $service_id
order by fiscal_year
"""


def price_settlements(principal: Principal, service_id: str) -> pd.DataFrame:
    """The price-list settlement of the service across years: the unit price charged and
    whether it was delivered or carried (price_source), cost, charged, surplus/deficit,
    carried to which year, the price that gives the next year and the one delivered for it."""
    _scope(principal)
    return query(_PRICE_SETTLEMENT_SQL, {"service_id": str(service_id)})
