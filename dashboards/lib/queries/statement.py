"""Min organisation: what one consuming organisation pays, per service, cost centre and month.

Every statement here is organisation-level and carries the access filter
`and (not $restricted or list_contains($allowed_orgs::varchar[], <org column>))` with both
parameters from the principal, so a controller gets nothing for an organisation that is not
hers, whatever organisation code a widget, a URL parameter or a test passes in.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards.lib.auth import Principal
from dashboards.lib.db import query
from dashboards.lib.format import Lang
from dashboards.lib.queries._common import scope as _scope
from dashboards.lib.queries._common import text_param

_ORGS_FOR_YEAR_SQL = """
select
    org_code,
    org_name,
    org_group,
    org_group_sort,
    valid_from,
    valid_to
from marts.dim_organisation
where (valid_from is null or valid_from <= make_date($fiscal_year::integer, 12, 31))
    and (valid_to is null or valid_to >= make_date($fiscal_year::integer, 1, 1))
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], org_code))
order by org_group_sort, org_code
"""


def organisations_for_year(principal: Principal, fiscal_year: int) -> pd.DataFrame:
    """The organisations that exist in the fiscal year and that the principal may see.

    Management and data engineers get every organisation valid in the year (one that was
    wound up at the end of the previous year is gone); a controller only hers.
    """
    return query(_ORGS_FOR_YEAR_SQL, _scope(principal) | {"fiscal_year": int(fiscal_year)})


_ORG_GROUP_NAMES_SQL = """
select distinct
    org_group,
    org_group_name_sv,
    org_group_name_en,
    org_group_sort
from marts.dim_organisation
order by org_group_sort, org_group
"""


def org_group_labels(principal: Principal, lang: Lang) -> dict[str, str]:
    """Organisation group -> its name in `lang`, in the city's order, as the city's org_groups
    register names it (dim_organisation). Groups are city-wide categories, the same for every
    role; a snapshot without the names labels each group as the data names it."""
    _scope(principal)
    df = query(_ORG_GROUP_NAMES_SQL)
    column = "org_group_name_en" if lang == "en" else "org_group_name_sv"
    return {str(g): str(n) for g, n in zip(df["org_group"], df[column], strict=True)}


# --- The statement -------------------------------------------------------------------------------

_SERVICE_NAMES_CTE = """
service_names as (
    select
        service_id,
        service_name_sv,
        service_area_code
    from marts.dim_service
    where valid_from <= make_date($fiscal_year::integer, 12, 31)
    qualify row_number() over (partition by service_id order by valid_from desc) = 1
)
"""


# The organisation's charges: per cost centre and rule from fct_allocation (55 M rows at demo
# scale 10), or, when the statement is for the whole organisation, the same sums per month x
# scenario x service from fct_allocation_org_month (a snapshot published before that mart
# existed has only fct_allocation).
def _charges_cte(relation: str, cost_centre_filter: bool) -> str:
    """The `charges` CTE over `relation`; only fct_allocation has a cost centre to filter on."""
    cost_centre = (
        "\n        and ($cost_centre = '' or a.consumer_cost_centre_code = $cost_centre)"
        if cost_centre_filter
        else ""
    )
    return f"""
charges as (
    select
        a.service_id,
        a.scenario,
        a.period_month,
        a.amount_sek
    from {relation} as a
    where a.fiscal_year = $fiscal_year
        and a.consumer_org_code = $org_code
        -- Access control: controllers see only their organisations.
        and (not $restricted or list_contains($allowed_orgs::varchar[], a.consumer_org_code))
        and a.scenario in ('outcome', $budget_scenario){cost_centre}
)"""


_CHARGES_PER_COST_CENTRE_CTE = _charges_cte("marts.fct_allocation", cost_centre_filter=True)
_CHARGES_PER_ORG_CTE = _charges_cte("marts.fct_allocation_org_month", cost_centre_filter=False)

_PER_SERVICE_SELECT = """,

per_service as (
    select
        service_id,
        sum(amount_sek) filter (where scenario = 'outcome' and period_month = $through_month)
            as month_outcome_sek,
        sum(amount_sek) filter (where scenario = $budget_scenario and period_month = $through_month)
            as month_budget_sek,
        sum(amount_sek) filter (where scenario = 'outcome' and period_month <= $through_month)
            as ytd_outcome_sek,
        sum(amount_sek) filter (where scenario = $budget_scenario and period_month <= $through_month)
            as ytd_budget_sek,
        sum(amount_sek) filter (where scenario = $budget_scenario) as year_budget_sek
    from charges
    group by service_id
)

select
    p.service_id,
    coalesce(n.service_name_sv, p.service_id) as service_name_sv,
    n.service_area_code,
    ar.name_sv as service_area_name_sv,
    p.month_outcome_sek,
    p.month_budget_sek,
    p.ytd_outcome_sek,
    p.ytd_budget_sek,
    p.year_budget_sek,
    p.ytd_outcome_sek - p.ytd_budget_sek as variance_ytd_sek,
    cast(
        (p.ytd_outcome_sek - p.ytd_budget_sek) / nullif(p.ytd_budget_sek, 0) as decimal(18, 6)
    ) as variance_ytd_share
from per_service as p
left join service_names as n
    on n.service_id = p.service_id
left join marts.dim_service_area as ar
    on ar.service_area_code = n.service_area_code
where (
    $search = ''
    or contains(lower(coalesce(n.service_name_sv, '')), lower($search))
    or contains(lower(p.service_id), lower($search))
    or contains(lower(coalesce(ar.name_sv, '')), lower($search))
)
order by n.service_area_code nulls last, service_name_sv, p.service_id
"""

_STATEMENT_BY_SERVICE_SQL = (
    "\nwith " + _SERVICE_NAMES_CTE + "," + _CHARGES_PER_COST_CENTRE_CTE + _PER_SERVICE_SELECT
)

# The whole organisation's statement is rpt_org_statement_monthly (its service rows and its
# organisation row at the chosen month); only a cost centre's part is summed here, from its
# fct_allocation rows (a drill-down the mart has no grain for).
_STATEMENT_COLUMNS = """
    s.outcome_sek as month_outcome_sek,
    s.budget_sek as month_budget_sek,
    s.outcome_ytd_sek as ytd_outcome_sek,
    s.budget_ytd_sek as ytd_budget_sek,
    s.budget_year_sek as year_budget_sek,
    s.variance_ytd_sek,
    s.variance_ytd_share"""

_STATEMENT_BY_SERVICE_MART_SQL = (
    "\nwith "
    + _SERVICE_NAMES_CTE
    + """
select
    s.service_id,
    coalesce(n.service_name_sv, s.service_id) as service_name_sv,
    n.service_area_code,
    ar.name_sv as service_area_name_sv,"""
    + _STATEMENT_COLUMNS
    + """
from marts.rpt_org_statement_monthly as s
left join service_names as n
    on n.service_id = s.service_id
left join marts.dim_service_area as ar
    on ar.service_area_code = n.service_area_code
where s.fiscal_year = $fiscal_year
    and s.period_month = $through_month
    and s.consumer_org_code = $org_code
    and s.line_level = 'service'
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], s.consumer_org_code))
    and (
        $search = ''
        or contains(lower(coalesce(n.service_name_sv, '')), lower($search))
        or contains(lower(s.service_id), lower($search))
        or contains(lower(coalesce(ar.name_sv, '')), lower($search))
    )
order by n.service_area_code nulls last, service_name_sv, s.service_id
"""
)

_STATEMENT_TOTALS_SQL = (
    """
select
    s.consumer_org_code as org_code,"""
    + _STATEMENT_COLUMNS
    + """
from marts.rpt_org_statement_monthly as s
where s.fiscal_year = $fiscal_year
    and s.period_month = $through_month
    and s.consumer_org_code = $org_code
    and s.line_level = 'organisation'
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], s.consumer_org_code))
"""
)

ORG_STATEMENT_MART = "rpt_org_statement_monthly"


def _statement_params(
    principal: Principal,
    org_code: str,
    fiscal_year: int,
    through_month: date,
    budget_scenario: str | None,
) -> dict[str, object]:
    return _scope(principal) | {
        "org_code": str(org_code),
        "fiscal_year": int(fiscal_year),
        "through_month": through_month,
        "budget_scenario": str(budget_scenario or ""),
    }


def statement_by_service(
    principal: Principal,
    org_code: str,
    fiscal_year: int,
    through_month: date,
    budget_scenario: str | None,
    cost_centre: str = "",
    search: str = "",
) -> pd.DataFrame:
    """Per service: what the organisation (or one of its cost centres) was charged in the month,
    year to date and against budget, SEK. Empty for an organisation the principal may not see."""
    params = _statement_params(principal, org_code, fiscal_year, through_month, budget_scenario)
    params |= {"search": text_param(search)}
    cost_centre = text_param(cost_centre)
    if not cost_centre:
        # the mart's budget is the year's budget (dim_scenario.is_year_budget), as every page's
        params.pop("budget_scenario")
        return query(_STATEMENT_BY_SERVICE_MART_SQL, params)
    return query(_STATEMENT_BY_SERVICE_SQL, params | {"cost_centre": cost_centre})


def statement_totals(
    principal: Principal,
    org_code: str,
    fiscal_year: int,
    through_month: date,
    budget_scenario: str | None,
) -> pd.DataFrame:
    """The organisation's key figures through `through_month` (the month, to date, the year's
    budget and the variance, SEK): its row of rpt_org_statement_monthly, one row or none (an
    organisation without charges that year, or one the principal may not see)."""
    params = _statement_params(principal, org_code, fiscal_year, through_month, budget_scenario)
    params.pop("budget_scenario")
    return query(_STATEMENT_TOTALS_SQL, params)


_STATEMENT_BY_COST_CENTRE_SQL = """
with charges as (
    select
        a.consumer_cost_centre_code,
        a.scenario,
        a.period_month,
        a.amount_sek
    from marts.fct_allocation as a
    where a.fiscal_year = $fiscal_year
        and a.consumer_org_code = $org_code
        -- Access control: controllers see only their organisations.
        and (not $restricted or list_contains($allowed_orgs::varchar[], a.consumer_org_code))
        and a.scenario in ('outcome', $budget_scenario)
)

select
    c.consumer_cost_centre_code as cost_centre_code,
    cc.cost_centre_name,
    coalesce(cc.is_default, false) as is_default,
    sum(c.amount_sek) filter (where c.scenario = 'outcome' and c.period_month = $through_month)
        as month_outcome_sek,
    sum(c.amount_sek) filter (where c.scenario = 'outcome' and c.period_month <= $through_month)
        as ytd_outcome_sek,
    sum(c.amount_sek) filter (where c.scenario = $budget_scenario and c.period_month <= $through_month)
        as ytd_budget_sek,
    sum(c.amount_sek) filter (where c.scenario = $budget_scenario) as year_budget_sek
from charges as c
left join marts.dim_cost_centre as cc
    on cc.cost_centre_code = c.consumer_cost_centre_code
group by c.consumer_cost_centre_code, cc.cost_centre_name, cc.is_default
order by c.consumer_cost_centre_code
"""


def statement_by_cost_centre(
    principal: Principal,
    org_code: str,
    fiscal_year: int,
    through_month: date,
    budget_scenario: str | None,
) -> pd.DataFrame:
    """Per cost centre of the organisation: month, year to date and budget, SEK."""
    params = _statement_params(principal, org_code, fiscal_year, through_month, budget_scenario)
    return query(_STATEMENT_BY_COST_CENTRE_SQL, params)


# The organisation row of rpt_org_statement_monthly, as one row per month x scenario (outcome
# through the last month with outcome, the year's budget every month), each in the month and
# to date: Min organisation's chart.
_STATEMENT_MONTHLY_SQL = """
select period_month, scenario, amount_sek, amount_ytd_sek
from (
    select
        s.period_month,
        'outcome' as scenario,
        s.outcome_sek as amount_sek,
        s.outcome_ytd_sek as amount_ytd_sek
    from marts.rpt_org_statement_monthly as s
    where s.has_outcome and $fiscal_year = s.fiscal_year and s.consumer_org_code = $org_code
        and s.line_level = 'organisation'
        -- Access control: controllers see only their organisations.
        and (not $restricted or list_contains($allowed_orgs::varchar[], s.consumer_org_code))
    union all
    select
        s.period_month,
        s.year_budget_scenario as scenario,
        s.budget_sek as amount_sek,
        s.budget_ytd_sek as amount_ytd_sek
    from marts.rpt_org_statement_monthly as s
    where $budget_scenario <> '' and s.year_budget_scenario is not null
        and $fiscal_year = s.fiscal_year
        and s.consumer_org_code = $org_code
        and s.line_level = 'organisation'
        -- Access control: controllers see only their organisations.
        and (not $restricted or list_contains($allowed_orgs::varchar[], s.consumer_org_code))
) as monthly
order by period_month, scenario
"""


def statement_monthly(
    principal: Principal, org_code: str, fiscal_year: int, budget_scenario: str | None
) -> pd.DataFrame:
    """The organisation's charges per month: outcome and the year's budget, in the month and to
    date, SEK (rpt_org_statement_monthly)."""
    params = _scope(principal) | {
        "org_code": str(org_code),
        "fiscal_year": int(fiscal_year),
        "budget_scenario": str(budget_scenario or ""),
    }
    return query(_STATEMENT_MONTHLY_SQL, params)


# --- Invoice basis (fakturaunderlag) -------------------------------------------------------------

_INVOICE_BASIS_SQL = (
    """
with """
    + _SERVICE_NAMES_CTE
    + """
select
    a.fiscal_year,
    a.period_month,
    a.consumer_org_code as org_code,
    o.org_name,
    a.consumer_cost_centre_code as cost_centre_code,
    cc.cost_centre_name,
    a.service_id,
    coalesce(n.service_name_sv, a.service_id) as service_name_sv,
    n.service_area_code,
    ar.name_sv as service_area_name_sv,
    a.cost_type,
    a.allocation_method,
    a.driver_code,
    -- A support-cost row splits what a support service gave the service by the service's own
    -- volumes: it repeats the cost centre's whole volume, so its volume stays empty (the
    -- column sums to the volume charged) and support_service_id says where the cost came from.
    case when a.support_service_id is null then a.driver_volume end as driver_volume,
    a.support_service_id,
    a.share,
    a.unit_price_sek,
    a.amount_sek,
    a.rule_id
from marts.fct_allocation as a
left join marts.dim_organisation as o
    on o.org_code = a.consumer_org_code
left join marts.dim_cost_centre as cc
    on cc.cost_centre_code = a.consumer_cost_centre_code
left join service_names as n
    on n.service_id = a.service_id
left join marts.dim_service_area as ar
    on ar.service_area_code = n.service_area_code
where a.fiscal_year = $fiscal_year
    and a.scenario = 'outcome'
    and a.period_month <= $through_month
    and a.consumer_org_code = $org_code
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], a.consumer_org_code))
order by a.period_month, a.consumer_cost_centre_code, n.service_area_code, a.service_id, a.rule_id
"""
)


def invoice_basis(
    principal: Principal, org_code: str, fiscal_year: int, through_month: date
) -> pd.DataFrame:
    """The invoice basis (fakturaunderlag): every outcome charge of the organisation from the
    start of the year through `through_month`, one row per month x cost centre x service x
    rule, with method, driver, volume, share, unit price and amount (SEK)."""
    params = _scope(principal) | {
        "org_code": str(org_code),
        "fiscal_year": int(fiscal_year),
        "through_month": through_month,
    }
    return query(_INVOICE_BASIS_SQL, params)


# --- Drill-down: why do we pay this? -------------------------------------------------------------

_CHARGE_LINES_SQL = """
select
    a.period_month,
    a.scenario,
    a.service_id,
    a.consumer_org_code as org_code,
    a.consumer_cost_centre_code as cost_centre_code,
    cc.cost_centre_name,
    a.allocation_method,
    a.rule_id,
    a.driver_code,
    a.driver_volume,
    a.share,
    a.unit_price_sek,
    a.amount_sek
from marts.fct_allocation as a
left join marts.dim_cost_centre as cc
    on cc.cost_centre_code = a.consumer_cost_centre_code
where a.fiscal_year = $fiscal_year
    and a.scenario = $scenario
    and a.period_month = $period_month
    and a.service_id = $service_id
    and a.consumer_org_code = $org_code
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], a.consumer_org_code))
order by a.amount_sek desc, a.consumer_cost_centre_code, a.rule_id
"""


def charge_lines(
    principal: Principal,
    org_code: str,
    fiscal_year: int,
    scenario: str,
    period_month: date,
    service_id: str,
) -> pd.DataFrame:
    """The allocation rows behind one amount on the statement (organisation x service x month):
    one per cost centre and rule, with method, driver, volume, share and unit price."""
    params = _scope(principal) | {
        "org_code": str(org_code),
        "fiscal_year": int(fiscal_year),
        "scenario": str(scenario),
        "period_month": period_month,
        "service_id": str(service_id),
    }
    return query(_CHARGE_LINES_SQL, params)


_CHARGES_PER_COST_CENTRE_SQL = """
select
    a.consumer_cost_centre_code as cost_centre_code,
    cc.cost_centre_name,
    sum(a.amount_sek) as amount_sek
from marts.fct_allocation as a
left join marts.dim_cost_centre as cc
    on cc.cost_centre_code = a.consumer_cost_centre_code
where a.fiscal_year = $fiscal_year
    and a.scenario = $scenario
    and a.period_month = $period_month
    and a.service_id = $service_id
    and a.consumer_org_code = $org_code
    -- Access control: controllers see only their organisations.
    and (not $restricted or list_contains($allowed_orgs::varchar[], a.consumer_org_code))
group by a.consumer_cost_centre_code, cc.cost_centre_name
order by max(a.amount_sek) desc, a.consumer_cost_centre_code
"""


def charges_per_cost_centre(
    principal: Principal,
    org_code: str,
    fiscal_year: int,
    scenario: str,
    period_month: date,
    service_id: str,
) -> pd.DataFrame:
    """One amount on the statement (organisation x service x month) per cost centre: the sum of
    its fct_allocation rows (one per rule), SEK; the cost-centre grain no rpt_ mart has."""
    params = _scope(principal) | {
        "org_code": str(org_code),
        "fiscal_year": int(fiscal_year),
        "scenario": str(scenario),
        "period_month": period_month,
        "service_id": str(service_id),
    }
    return query(_CHARGES_PER_COST_CENTRE_SQL, params)


_COST_CENTRE_ORG_SQL = """
select org_code
from marts.dim_cost_centre
where cost_centre_code = $cost_centre_code
    -- Access control: controllers see only their organisations' cost centres.
    and (not $restricted or list_contains($allowed_orgs::varchar[], org_code))
"""


def cost_centre_org(principal: Principal, cost_centre_code: str) -> str | None:
    """The organisation of a cost centre the principal may see, else None."""
    params = _scope(principal) | {"cost_centre_code": text_param(cost_centre_code)}
    df = query(_COST_CENTRE_ORG_SQL, params)
    return str(df["org_code"].iloc[0]) if len(df) else None


# --- Behind a charge: the pool's ledger rows, the driver rows -------------------------


_POOL_LEDGER_ROWS_SQL = """
select
    l.voucher_series,
    l.voucher_number,
    l.voucher_date,
    l.account,
    l.cost_centre_code,
    l.project_code,
    l.counterparty,
    l.text,
    l.amount_sek,
    l.mapping_rule_id,
    l.source_file,
    l.source_row
from marts.fct_pool_ledger_row as l
left join marts.dim_cost_centre as cc
    on cc.cost_centre_code = l.cost_centre_code
left join marts.dim_organisation as o
    on o.org_code = cc.org_code
where l.service_id = $service_id
    and l.period_month = $period_month
    -- Access control: rows booked on a consumer's own cost centre belong to that consumer;
    -- rows on a producer's cost centres (dim_organisation.is_producer, from the data) and rows
    -- without an organisation are the service's pool (public like the pool).
    and (
        not $restricted
        or cc.org_code is null
        or coalesce(o.is_producer, false)
        or list_contains($allowed_orgs::varchar[], cc.org_code)
    )
order by abs(l.amount_sek) desc, l.source_file, l.source_row
"""


def pool_ledger_rows(principal: Principal, period_month: date, service_id: str) -> pd.DataFrame:
    """The ledger rows (vouchers, with file and row) behind the service's outcome pool of the
    month."""
    return query(
        _POOL_LEDGER_ROWS_SQL,
        _scope(principal) | {"service_id": str(service_id), "period_month": period_month},
    )


_DRIVER_ROWS_SQL = """
select
    d.scenario,
    d.driver_code,
    d.cost_centre_code,
    d.fiscal_year,
    d.period_month,
    d.quantity,
    d.source_file,
    d.source_row
from marts.fct_driver_volume as d
inner join marts.dim_cost_centre as cc
    on cc.cost_centre_code = d.cost_centre_code
where d.cost_centre_code = $cost_centre_code
    and d.driver_code = $driver_code
    and (
        (d.scenario = 'outcome' and d.period_month = $period_month)
        or (d.scenario = $plan_scenario and d.fiscal_year = $fiscal_year)
    )
    -- Access control: only the principal's organisations' cost centres.
    and (not $restricted or list_contains($allowed_orgs::varchar[], cc.org_code))
order by d.scenario = 'outcome' desc, d.source_file, d.source_row
"""


def driver_rows(
    principal: Principal,
    cost_centre_code: str,
    driver_code: str,
    fiscal_year: int,
    period_month: date,
    plan_scenario: str | None,
) -> pd.DataFrame:
    """The landed volume rows (file and row) behind a cost centre's driver volume: the month's
    actual and the plan's annual quantity."""
    return query(
        _DRIVER_ROWS_SQL,
        _scope(principal)
        | {
            "cost_centre_code": text_param(cost_centre_code),
            "driver_code": str(driver_code),
            "fiscal_year": int(fiscal_year),
            "period_month": period_month,
            "plan_scenario": str(plan_scenario or ""),
        },
    )


_ORGS_SUMMARY_SQL = """
with orgs as (
    select org_code, org_name, org_group, org_group_sort
    from marts.dim_organisation
    where (valid_from is null or valid_from <= make_date($fiscal_year::integer, 12, 31))
        and (valid_to is null or valid_to >= make_date($fiscal_year::integer, 1, 1))
        -- Access control: controllers see only their organisations.
        and (not $restricted or list_contains($allowed_orgs::varchar[], org_code))
),

charges as (
    -- the organisation rows of rpt_org_statement_monthly at the chosen month
    select
        s.consumer_org_code as org_code,
        s.outcome_ytd_sek as ytd_outcome_sek,
        case when $budget_scenario <> '' then s.budget_ytd_sek end as ytd_budget_sek,
        case when $budget_scenario <> '' then s.budget_year_sek end as year_budget_sek,
        case when $budget_scenario <> '' then s.variance_ytd_sek end as variance_ytd_sek
    from marts.rpt_org_statement_monthly as s
    where s.fiscal_year = $fiscal_year
        and s.period_month = $through_month
        and s.line_level = 'organisation'
        -- Access control: controllers see only their organisations.
        and (not $restricted or list_contains($allowed_orgs::varchar[], s.consumer_org_code))
)

select
    o.org_code,
    o.org_name,
    o.org_group,
    c.ytd_outcome_sek,
    c.ytd_budget_sek,
    c.year_budget_sek,
    c.variance_ytd_sek
from orgs as o
left join charges as c
    on c.org_code = o.org_code
order by o.org_group_sort, o.org_code
"""


def organisations_summary(
    principal: Principal,
    fiscal_year: int,
    through_month: date,
    budget_scenario: str | None,
) -> pd.DataFrame:
    """Every organisation of the year the principal may see, with its charges year to date and
    its budget (SEK); organisations without charges are listed too."""
    params = _scope(principal) | {
        "fiscal_year": int(fiscal_year),
        "through_month": through_month,
        "budget_scenario": str(budget_scenario or ""),
    }
    return query(_ORGS_SUMMARY_SQL, params)
