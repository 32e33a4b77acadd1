{#- The cost of every line a page lists (a service, or a service area with the lines outside the
    areas: Reglering, Ej fördelat) per month, to date and for the year, beside the year's budget
    (dim_scenario.is_year_budget) and the variance against it. Översikt's area table and largest
    variances and Tjänster's key figures and years read these columns and format them; they
    compute nothing. One rule for both levels: the same CTEs run over the rows of each level.

    Grain: one row per period_month x scenario x line_level x line_key, where line_level is
    'service' (line_key = service_id) or 'area' (line_key = the line's name). Every line of a
    fiscal year has a row in every month of every scenario of the year, through the scenario's
    last month (a plan: the whole year; the outcome: through the last month with outcome), so
    that a line without cost in a scenario shows 0, not a gap. Both levels sum to the month's
    total in rpt_budget_reconciliation_monthly (assert_cost_vs_budget_sums_to_total). -#}

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

areas as (

    select * from {{ ref('dim_service_area') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

-- The service as the city names it in the year (its last version that year); the area level
-- names a line by the version valid in the month, as the area tables always have.
service_names as (

    select
        service_id,
        valid_from,
        service_name_sv,
        service_area_code
    from services

),

service_rows as (

    select
        costs.fiscal_year,
        costs.period_month,
        costs.scenario,
        'service' as line_level,
        costs.service_id as line_key,
        costs.service_id,
        costs.is_unallocated,
        costs.amount_sek
    from service_costs as costs

),

area_rows as (

    select
        costs.fiscal_year,
        costs.period_month,
        costs.scenario,
        'area' as line_level,
        coalesce(
            case
                when costs.service_area_code is not null then areas.name_sv
                when costs.is_unallocated then 'Ej fördelat'
                else month_version.service_name_sv
            end,
            costs.service_area_code,
            '?'
        ) as line_key,
        cast(null as varchar) as service_id,
        coalesce(costs.is_unallocated, false) as is_unallocated,
        costs.amount_sek
    from service_costs as costs
    left join areas
        on areas.service_area_code = costs.service_area_code
    left join services as month_version
        on month_version.service_id = costs.service_id
        and {{ is_valid_version('month_version', on='costs.period_month') }}

),

area_codes as (

    -- an area line's code (null for the lines outside the areas)
    select distinct
        costs.fiscal_year,
        areas.name_sv as line_key,
        costs.service_area_code
    from service_costs as costs
    inner join areas
        on areas.service_area_code = costs.service_area_code

),

per_month as (

    select
        fiscal_year,
        period_month,
        scenario,
        line_level,
        line_key,
        max(service_id) as service_id,
        bool_or(coalesce(is_unallocated, false)) as is_unallocated,
        sum(amount_sek) as amount_sek
    from (
        select * from service_rows
        union all
        select * from area_rows
    ) as rows_of_both_levels
    group by fiscal_year, period_month, scenario, line_level, line_key

),

scenario_months as (

    select
        fiscal_year,
        scenario,
        min(min(period_month)) over (partition by fiscal_year) as first_month,
        max(period_month) as last_month
    from service_costs
    group by fiscal_year, scenario

),

months as (

    select
        scenario_months.fiscal_year,
        scenario_months.scenario,
        cast(month_start as date) as period_month
    from scenario_months
    cross join unnest(
        generate_series(
            cast(scenario_months.first_month as timestamp),
            cast(scenario_months.last_month as timestamp),
            interval 1 month
        )
    ) as generated(month_start)

),

year_lines as (

    select
        fiscal_year,
        line_level,
        line_key,
        max(service_id) as service_id,
        bool_or(is_unallocated) as is_unallocated
    from per_month
    group by fiscal_year, line_level, line_key

),

grid as (

    select
        months.fiscal_year,
        months.period_month,
        months.scenario,
        year_lines.line_level,
        year_lines.line_key,
        year_lines.service_id,
        year_lines.is_unallocated,
        coalesce(per_month.amount_sek, 0) as amount_sek,
        per_month.line_key is not null as has_cost
    from months
    inner join year_lines
        on year_lines.fiscal_year = months.fiscal_year
    left join per_month
        on per_month.fiscal_year = months.fiscal_year
        and per_month.period_month = months.period_month
        and per_month.scenario = months.scenario
        and per_month.line_level = year_lines.line_level
        and per_month.line_key = year_lines.line_key

),

to_date as (

    select
        grid.*,
        sum(amount_sek) over (
            partition by fiscal_year, scenario, line_level, line_key
            order by period_month
        ) as amount_ytd_sek,
        sum(amount_sek) over (partition by fiscal_year, scenario, line_level, line_key)
            as amount_year_sek,
        bool_or(has_cost) over (partition by fiscal_year, scenario, line_level, line_key)
            as has_cost_in_year
    from grid

),

year_budget as (

    select
        to_date.period_month,
        to_date.scenario,
        to_date.line_level,
        to_date.line_key,
        to_date.amount_ytd_sek,
        to_date.amount_year_sek
    from to_date
    inner join scenarios
        on scenarios.fiscal_year = to_date.fiscal_year
        and scenarios.scenario = to_date.scenario
    where scenarios.is_year_budget

),

final as (

    select
        -- ids
        to_date.period_month,
        to_date.fiscal_year,
        to_date.scenario,
        scenarios.plan_version,
        to_date.line_level,
        to_date.line_key,
        to_date.service_id,

        -- attributes: the service's name and area in the year, the area line's code
        case
            when to_date.line_level = 'area' then to_date.line_key
            when to_date.is_unallocated then 'Ej fördelat'
            else coalesce(year_version.service_name_sv, to_date.service_id)
        end as line_name_sv,
        case
            when to_date.line_level = 'area' then area_codes.service_area_code
            else year_version.service_area_code
        end as service_area_code,
        case
            when to_date.line_level = 'area' and area_codes.service_area_code is not null
                then to_date.line_key
            when to_date.line_level = 'service' then year_area.name_sv
        end as service_area_name_sv,
        budget_scenario.scenario as year_budget_scenario,

        -- measures
        cast(to_date.amount_sek as decimal(18, 2)) as amount_sek,
        cast(to_date.amount_ytd_sek as decimal(18, 2)) as amount_ytd_sek,
        cast(to_date.amount_year_sek as decimal(18, 2)) as amount_year_sek,
        cast(year_budget.amount_ytd_sek as decimal(18, 2)) as year_budget_ytd_sek,
        cast(year_budget.amount_year_sek as decimal(18, 2)) as year_budget_year_sek,
        cast(to_date.amount_ytd_sek - year_budget.amount_ytd_sek as decimal(18, 2))
            as variance_ytd_sek,
        cast(
            case
                when year_budget.amount_ytd_sek <> 0
                    then (to_date.amount_ytd_sek - year_budget.amount_ytd_sek)
                        / year_budget.amount_ytd_sek
            end as decimal(18, 6)
        ) as variance_ytd_share,

        -- flags
        to_date.line_level = 'area' and area_codes.service_area_code is not null as is_area_line,
        to_date.is_unallocated,
        to_date.has_cost,
        to_date.has_cost_in_year

    from to_date
    left join scenarios
        on scenarios.fiscal_year = to_date.fiscal_year
        and scenarios.scenario = to_date.scenario
    left join scenarios as budget_scenario
        on budget_scenario.fiscal_year = to_date.fiscal_year
        and budget_scenario.is_year_budget
    left join year_budget
        on year_budget.period_month = to_date.period_month
        and year_budget.scenario = budget_scenario.scenario
        and year_budget.line_level = to_date.line_level
        and year_budget.line_key = to_date.line_key
    left join service_names as year_version
        on year_version.service_id = to_date.service_id
        and year_version.valid_from <= make_date(to_date.fiscal_year, 12, 31)
    left join areas as year_area
        on year_area.service_area_code = year_version.service_area_code
    left join area_codes
        on to_date.line_level = 'area'
        and area_codes.fiscal_year = to_date.fiscal_year
        and area_codes.line_key = to_date.line_key
    qualify row_number() over (
        partition by to_date.period_month, to_date.scenario, to_date.line_level, to_date.line_key
        order by year_version.valid_from desc nulls last
    ) = 1

)

select * from final
order by fiscal_year, line_level, line_key, scenario, period_month
