{#- Plan against outcome, side by side: one row per comparison (the year's budget and each of
    its forecasts against the outcome) x month with outcome x service x cost type x consumer
    organisation (plus the 'UNALLOCATED' line of the uncharged part of the pool).

    Every key that appears in a comparison's year gets a row in every month that has outcome
    (zeros where one side has nothing), so year-to-date sums are complete. Months without
    outcome are not compared. The latest forecast of a year is the one with the highest number
    (forecast dates are not in the data). -#}

with

amounts as (

    select * from {{ ref('int_bvo_scenario_amounts_monthly') }}

),

scenarios as (

    select * from {{ ref('dim_scenario') }}

),

outcome_months as (

    select distinct fiscal_year, period_month
    from amounts
    where scenario = 'outcome'

),

plan_scenarios as (

    select
        fiscal_year,
        scenario as plan_scenario,
        plan_version,
        case
            when scenario like 'forecast_%' then cast(replace(scenario, 'forecast_', '') as integer)
        end as forecast_number
    from scenarios
    where (scenario = 'budget' or scenario like 'forecast_%')
        and fiscal_year in (select fiscal_year from outcome_months)

),

comparisons as (

    select
        *,
        forecast_number is not null
            and forecast_number = max(forecast_number) over (partition by fiscal_year)
            as is_latest_forecast
    from plan_scenarios

),

plan_rows as (

    select
        comparisons.plan_scenario,
        amounts.*
    from comparisons
    inner join amounts
        on amounts.fiscal_year = comparisons.fiscal_year
        and amounts.scenario = comparisons.plan_scenario
    inner join outcome_months
        on outcome_months.period_month = amounts.period_month

),

outcome_rows as (

    select
        comparisons.plan_scenario,
        amounts.*
    from comparisons
    inner join amounts
        on amounts.fiscal_year = comparisons.fiscal_year
        and amounts.scenario = 'outcome'

),

paired as (

    select
        coalesce(plan_rows.fiscal_year, outcome_rows.fiscal_year) as fiscal_year,
        coalesce(plan_rows.plan_scenario, outcome_rows.plan_scenario) as plan_scenario,
        coalesce(plan_rows.period_month, outcome_rows.period_month) as period_month,
        coalesce(plan_rows.service_id, outcome_rows.service_id) as service_id,
        coalesce(plan_rows.cost_type, outcome_rows.cost_type) as cost_type,
        coalesce(plan_rows.consumer_org_code, outcome_rows.consumer_org_code)
            as consumer_org_code,
        coalesce(plan_rows.is_uncharged, outcome_rows.is_uncharged) as is_uncharged,
        plan_rows.allocation_method as plan_method,
        plan_rows.driver_code as plan_driver_code,
        outcome_rows.allocation_method as outcome_method,
        outcome_rows.driver_code as outcome_driver_code,
        plan_rows.amount_sek as plan_amount_sek,
        outcome_rows.amount_sek as outcome_amount_sek,
        plan_rows.driver_volume as plan_volume_annual,
        outcome_rows.driver_volume as outcome_volume
    from plan_rows
    full outer join outcome_rows
        on outcome_rows.plan_scenario = plan_rows.plan_scenario
        and outcome_rows.period_month = plan_rows.period_month
        and outcome_rows.service_id = plan_rows.service_id
        and outcome_rows.cost_type = plan_rows.cost_type
        and outcome_rows.consumer_org_code = plan_rows.consumer_org_code

),

line_keys as (

    select distinct
        fiscal_year, plan_scenario, service_id, cost_type, consumer_org_code, is_uncharged
    from paired

),

dense as (

    select
        line_keys.*,
        outcome_months.period_month
    from line_keys
    inner join outcome_months
        on outcome_months.fiscal_year = line_keys.fiscal_year

),

final as (

    select
        -- ids
        dense.fiscal_year,
        dense.plan_scenario,
        comparisons.plan_version,
        comparisons.is_latest_forecast,
        dense.service_id,
        dense.cost_type,
        dense.consumer_org_code,

        -- dates
        dense.period_month,

        -- attributes
        paired.plan_method,
        paired.plan_driver_code,
        paired.outcome_method,
        paired.outcome_driver_code,

        -- measures
        cast(coalesce(paired.plan_amount_sek, 0) as decimal(18, 2)) as plan_amount_sek,
        cast(coalesce(paired.outcome_amount_sek, 0) as decimal(18, 2)) as outcome_amount_sek,
        cast(coalesce(paired.plan_volume_annual, 0) as decimal(18, 3)) as plan_volume_annual,
        cast(coalesce(paired.outcome_volume, 0) as decimal(18, 3)) as outcome_volume,

        -- flags
        dense.is_uncharged

    from dense
    inner join comparisons
        on comparisons.fiscal_year = dense.fiscal_year
        and comparisons.plan_scenario = dense.plan_scenario
    left join paired
        on paired.plan_scenario = dense.plan_scenario
        and paired.period_month = dense.period_month
        and paired.service_id = dense.service_id
        and paired.cost_type = dense.cost_type
        and paired.consumer_org_code = dense.consumer_org_code

)

select * from final
