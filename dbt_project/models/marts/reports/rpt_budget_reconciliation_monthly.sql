{#- How a month's total cost (the Budget and Översikt headlines, fct_service_cost) comes to the
    sum charged to organisations (the group and organisation tables and Min organisation,
    fct_allocation): the unallocated outcome pool is charged to no one, and a price-list
    service charges its price x volume, not its cost, so its deficit (cost - charged; a surplus
    is negative, settled in fct_price_settlement) is on no organisation either. Pages show these
    as their own lines so the totals visibly reconcile; assert_budget_reconciliation_closes
    checks that nothing else is left, month by month and to date. -#}

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

allocations as (

    select * from {{ ref('fct_allocation') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

cost_per_service as (

    select
        period_month,
        fiscal_year,
        scenario,
        service_id,
        bool_or(is_unallocated) as is_unallocated,
        sum(amount_sek) as cost_sek
    from service_costs
    group by period_month, fiscal_year, scenario, service_id

),

charged_per_service as (

    select
        period_month,
        scenario,
        service_id,
        bool_or(allocation_method = 'price_list') as is_price_list,
        sum(amount_sek) as charged_sek
    from allocations
    group by period_month, scenario, service_id

),

per_month as (

    select
        costs.period_month,
        costs.fiscal_year,
        costs.scenario,
        sum(costs.cost_sek) as total_sek,
        coalesce(sum(charged.charged_sek), 0) as allocated_sek,
        coalesce(sum(costs.cost_sek) filter (where costs.is_unallocated), 0) as unallocated_sek,
        coalesce(
            sum(costs.cost_sek - coalesce(charged.charged_sek, 0))
                filter (where charged.is_price_list and costs.scenario = 'outcome'),
            0
        ) as price_list_deficit_sek
    from cost_per_service as costs
    left join charged_per_service as charged
        on charged.period_month = costs.period_month
        and charged.scenario = costs.scenario
        and charged.service_id = costs.service_id
    group by costs.period_month, costs.fiscal_year, costs.scenario

),

to_date as (

    select
        per_month.*,
        {%- for column in ['total_sek', 'allocated_sek', 'unallocated_sek', 'price_list_deficit_sek'] %}
        sum(per_month.{{ column }}) over (
            partition by per_month.fiscal_year, per_month.scenario
            order by per_month.period_month
        ) as {{ column | replace('_sek', '_ytd_sek') }}{{ ',' if not loop.last }}
        {%- endfor %}
    from per_month

),

-- Outcome rows beside the year's budget (dim_scenario.is_year_budget) of the same month: the
-- variance to date of Översikt's headline.
year_budget as (

    select
        to_date.period_month,
        to_date.total_ytd_sek
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

        -- measures of the month
        cast(to_date.total_sek as decimal(18, 2)) as total_sek,
        cast(to_date.allocated_sek as decimal(18, 2)) as allocated_sek,
        cast(to_date.unallocated_sek as decimal(18, 2)) as unallocated_sek,
        cast(to_date.price_list_deficit_sek as decimal(18, 2)) as price_list_deficit_sek,

        -- the same from the start of the fiscal year through the month
        cast(to_date.total_ytd_sek as decimal(18, 2)) as total_ytd_sek,
        cast(to_date.allocated_ytd_sek as decimal(18, 2)) as allocated_ytd_sek,
        cast(to_date.unallocated_ytd_sek as decimal(18, 2)) as unallocated_ytd_sek,
        cast(to_date.price_list_deficit_ytd_sek as decimal(18, 2)) as price_list_deficit_ytd_sek,

        -- outcome rows: the year's budget to date and the variance (outcome - budget)
        cast(case when to_date.scenario = 'outcome' then year_budget.total_ytd_sek end
            as decimal(18, 2)) as year_budget_ytd_sek,
        cast(case when to_date.scenario = 'outcome'
            then to_date.total_ytd_sek - year_budget.total_ytd_sek end
            as decimal(18, 2)) as variance_ytd_sek,
        cast(case when to_date.scenario = 'outcome' and year_budget.total_ytd_sek <> 0
            then (to_date.total_ytd_sek - year_budget.total_ytd_sek) / year_budget.total_ytd_sek end
            as decimal(18, 6)) as variance_ytd_share

    from to_date
    left join scenarios
        on scenarios.fiscal_year = to_date.fiscal_year
        and scenarios.scenario = to_date.scenario
    left join year_budget
        on year_budget.period_month = to_date.period_month

)

select * from final
