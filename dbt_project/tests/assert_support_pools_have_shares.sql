-- Every support service (a service whose outcome rule is step_down or reciprocal) that has
-- outcome cost in a year has shares in support_allocations for that year; otherwise its cost
-- could not be charged on (and raw.support_allocations may simply not have been loaded).

with

rules as (

    select * from {{ ref('int_allocation_rules_resolved') }}
    where scenario = 'outcome'
        and allocation_method in ('step_down', 'reciprocal')

),

outcome_pools as (

    select * from {{ ref('int_outcome_pools_monthly') }}

),

support_allocations as (

    select * from {{ ref('stg_raw__support_allocations') }}
    where scenario = 'outcome'

),

final as (

    select
        rules.fiscal_year,
        rules.service_id,
        rules.rule_id,
        sum(outcome_pools.pool_ore) as outcome_ore
    from rules
    inner join outcome_pools
        on outcome_pools.fiscal_year = rules.fiscal_year
        and outcome_pools.service_id = rules.service_id
    where not exists (
        select 1 from support_allocations
        where support_allocations.fiscal_year = rules.fiscal_year
            and support_allocations.support_service_id = rules.service_id
    )
    group by rules.fiscal_year, rules.service_id, rules.rule_id

)

select * from final
