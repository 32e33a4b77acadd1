{#- An organisation's statement: what it was charged (fct_allocation_org_month) per service and in
    total, in the month, to date and against the year's budget (dim_scenario.is_year_budget), so
    that Min organisation's key figures, service table and monthly chart format columns and
    compute nothing. One rule for both levels: the same CTEs run over the rows of each level.

    Grain: one row per period_month x consumer_org_code x line_level x line_key, where
    line_level is 'service' (line_key = service_id) or 'organisation' (line_key =
    consumer_org_code: the sum over its services). Every service an organisation was charged for
    or budgeted in a fiscal year has a row in every month of that year; the outcome columns are
    null after the last month with outcome. The organisation row is the sum of its service rows
    and both sum to fct_allocation_org_month (assert_org_statement_sums_allocations). -#}

with

charges as (

    select * from {{ ref('fct_allocation_org_month') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

year_budget_scenarios as (

    select fiscal_year, scenario
    from scenarios
    where is_year_budget

),

-- outcome and the year's budget only, at both levels
relevant as (

    select
        charges.fiscal_year,
        charges.period_month,
        charges.consumer_org_code,
        charges.service_id,
        charges.scenario = 'outcome' as is_outcome,
        charges.amount_sek
    from charges
    left join year_budget_scenarios as budget
        on budget.fiscal_year = charges.fiscal_year
        and budget.scenario = charges.scenario
    where charges.scenario = 'outcome'
        or budget.scenario is not null

),

per_month as (

    select
        fiscal_year,
        period_month,
        consumer_org_code,
        line_level,
        line_key,
        sum(amount_sek) filter (where is_outcome) as outcome_sek,
        sum(amount_sek) filter (where not is_outcome) as budget_sek
    from (
        select *, 'service' as line_level, service_id as line_key from relevant
        union all
        select *, 'organisation' as line_level, consumer_org_code as line_key from relevant
    ) as rows_of_both_levels
    group by fiscal_year, period_month, consumer_org_code, line_level, line_key

),

year_months as (

    select
        fiscal_year,
        min(period_month) as first_month,
        max(period_month) as last_month,
        max(period_month) filter (where scenario = 'outcome') as last_outcome_month
    from charges
    group by fiscal_year

),

months as (

    select
        year_months.fiscal_year,
        year_months.last_outcome_month,
        cast(month_start as date) as period_month
    from year_months
    cross join unnest(
        generate_series(
            cast(year_months.first_month as timestamp),
            cast(year_months.last_month as timestamp),
            interval 1 month
        )
    ) as generated(month_start)

),

year_lines as (

    select distinct fiscal_year, consumer_org_code, line_level, line_key
    from per_month

),

grid as (

    select
        months.fiscal_year,
        months.period_month,
        year_lines.consumer_org_code,
        year_lines.line_level,
        year_lines.line_key,
        coalesce(months.period_month <= months.last_outcome_month, false) as has_outcome,
        coalesce(per_month.outcome_sek, 0) as outcome_sek,
        coalesce(per_month.budget_sek, 0) as budget_sek
    from months
    inner join year_lines
        on year_lines.fiscal_year = months.fiscal_year
    left join per_month
        on per_month.fiscal_year = months.fiscal_year
        and per_month.period_month = months.period_month
        and per_month.consumer_org_code = year_lines.consumer_org_code
        and per_month.line_level = year_lines.line_level
        and per_month.line_key = year_lines.line_key

),

to_date as (

    select
        grid.*,
        sum(outcome_sek) over line_to_date as outcome_ytd_sek,
        sum(budget_sek) over line_to_date as budget_ytd_sek,
        sum(budget_sek) over (
            partition by fiscal_year, consumer_org_code, line_level, line_key
        ) as budget_year_sek
    from grid
    window line_to_date as (
        partition by fiscal_year, consumer_org_code, line_level, line_key
        order by period_month
    )

),

final as (

    select
        -- ids
        to_date.period_month,
        to_date.fiscal_year,
        to_date.consumer_org_code,
        to_date.line_level,
        to_date.line_key,
        case when to_date.line_level = 'service' then to_date.line_key end as service_id,
        budget.scenario as year_budget_scenario,

        -- measures: outcome (null after the last month with outcome) and the year's budget
        cast(case when to_date.has_outcome then to_date.outcome_sek end as decimal(18, 2))
            as outcome_sek,
        cast(to_date.budget_sek as decimal(18, 2)) as budget_sek,
        cast(case when to_date.has_outcome then to_date.outcome_ytd_sek end as decimal(18, 2))
            as outcome_ytd_sek,
        cast(to_date.budget_ytd_sek as decimal(18, 2)) as budget_ytd_sek,
        cast(to_date.budget_year_sek as decimal(18, 2)) as budget_year_sek,
        cast(
            case when to_date.has_outcome then to_date.outcome_ytd_sek - to_date.budget_ytd_sek end
            as decimal(18, 2)
        ) as variance_ytd_sek,
        cast(
            case
                when to_date.has_outcome and to_date.budget_ytd_sek <> 0
                    then (to_date.outcome_ytd_sek - to_date.budget_ytd_sek) / to_date.budget_ytd_sek
            end as decimal(18, 6)
        ) as variance_ytd_share,

        -- flags
        to_date.has_outcome

    from to_date
    left join year_budget_scenarios as budget
        on budget.fiscal_year = to_date.fiscal_year

)

select * from final
order by consumer_org_code, fiscal_year, line_level, line_key, period_month
