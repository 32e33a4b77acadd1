{#- Every monthly pool joined to the weights of its allocation rule: the input of the largest
    remainder step. One row per scenario x service x month x consumer cost centre x rule.
    Plan scenarios: plan pools x plan weights (int_allocation_weights).
    outcome: actual pools x outcome weights for fixed_key and driver_share rules
    (price_list services are charged at the published price instead, see
    int_outcome_price_list_charged). The unallocated outcome pool is not allocated.
    A pool without a rule or without any positive weight has no rows here and is caught by
    the conservation test on fct_allocation.
    A view: it is read once, by the largest-remainder step. -#}

{{ config(materialized='view') }}

with

plan_pools as (

    select * from {{ ref('int_plan_pools_monthly') }}

),

plan_weights as (

    select * from {{ ref('int_allocation_weights') }}

),

outcome_pools as (

    select * from {{ ref('int_outcome_pools_monthly') }}
    where not is_unallocated

),

outcome_weights as (

    select * from {{ ref('int_outcome_allocation_weights') }}
    where allocation_method in ('fixed_key', 'driver_share')

),

plan_joined as (

    select
        -- ids
        plan_pools.fiscal_year,
        plan_pools.scenario,
        plan_pools.service_id,
        plan_pools.cost_type,
        plan_weights.rule_id,
        plan_weights.consumer_org_code,
        plan_weights.consumer_cost_centre_code,

        -- dates
        plan_pools.period_month,

        -- attributes
        plan_weights.allocation_method,
        plan_weights.driver_code,

        -- measures
        plan_pools.pool_ore,
        plan_pools.annual_ore as annual_pool_ore,
        plan_weights.driver_volume,
        plan_weights.share,
        plan_weights.weight_units

    from plan_pools
    inner join plan_weights
        on plan_weights.fiscal_year = plan_pools.fiscal_year
        and plan_weights.scenario = plan_pools.scenario
        and plan_weights.service_id = plan_pools.service_id

),

outcome_joined as (

    select
        -- ids
        outcome_pools.fiscal_year,
        outcome_pools.scenario,
        outcome_pools.service_id,
        outcome_pools.cost_type,
        outcome_weights.rule_id,
        outcome_weights.consumer_org_code,
        outcome_weights.consumer_cost_centre_code,

        -- dates
        outcome_pools.period_month,

        -- attributes
        outcome_weights.allocation_method,
        outcome_weights.driver_code,

        -- measures
        outcome_pools.pool_ore,
        cast(null as hugeint) as annual_pool_ore,
        outcome_weights.driver_volume,
        outcome_weights.share,
        outcome_weights.weight_units

    from outcome_pools
    inner join outcome_weights
        on outcome_weights.period_month = outcome_pools.period_month
        and outcome_weights.service_id = outcome_pools.service_id

),

final as (

    select * from plan_joined
    union all
    select * from outcome_joined

)

select * from final
