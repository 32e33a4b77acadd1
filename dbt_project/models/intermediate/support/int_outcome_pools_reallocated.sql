{#- Outcome pools after the support services have been charged on: one row per month x
    service x cost type.

    direct_ore               the service's own mapped ledger rows (int_outcome_pools_monthly)
    step_down_received_ore   what support services gave it by step-down
    reciprocal_received_ore  what reciprocal support services gave it
    passed_on_ore            what it passed on to other services (support services only)
    pool_ore                 direct + received - passed on: what its consumers are charged

    A support service passes on everything it has, so its pool_ore is 0 (tested), and the sum
    of pool_ore over all services of a month equals the month's ledger cost. Received amounts
    go to the row of the receiving service's catalogue cost type. The unallocated pool keeps
    its own rows (is_unallocated). -#}

with

outcome_pools as (

    select * from {{ ref('int_outcome_pools_monthly') }}

),

support_flows as (

    select * from {{ ref('int_support_costs_allocated') }}

),

services as (

    select * from {{ ref('stg_raw__services') }}

),

support_services as (

    -- services.is_support; only these may give in support_allocations, and every one with
    -- cost gives it all away there (both checked at ingest: configuration_allocatable)
    select * from services
    where is_support

),

received as (

    select
        fiscal_year,
        period_month,
        receiving_service_id as service_id,
        coalesce(sum(amount_ore) filter (where allocation_method = 'step_down'), 0)
            as step_down_received_ore,
        coalesce(sum(amount_ore) filter (where allocation_method = 'reciprocal'), 0)
            as reciprocal_received_ore,
        cast(0 as hugeint) as passed_on_ore
    from support_flows
    group by fiscal_year, period_month, receiving_service_id

),

passed_on as (

    select
        fiscal_year,
        period_month,
        support_service_id as service_id,
        cast(0 as hugeint) as step_down_received_ore,
        cast(0 as hugeint) as reciprocal_received_ore,
        sum(amount_ore) as passed_on_ore
    from support_flows
    group by fiscal_year, period_month, support_service_id

),

secondary as (

    select
        fiscal_year,
        period_month,
        service_id,
        sum(step_down_received_ore) as step_down_received_ore,
        sum(reciprocal_received_ore) as reciprocal_received_ore,
        sum(passed_on_ore) as passed_on_ore
    from (
        select * from received
        union all
        select * from passed_on
    )
    group by fiscal_year, period_month, service_id

),

secondary_typed as (

    select
        secondary.*,
        coalesce(services.cost_type, 'maintenance') as cost_type
    from secondary
    left join services
        on services.service_id = secondary.service_id
        and {{ is_valid_version('services', on='secondary.period_month') }}

),

joined as (

    select
        coalesce(outcome_pools.fiscal_year, secondary_typed.fiscal_year) as fiscal_year,
        coalesce(outcome_pools.period_month, secondary_typed.period_month) as period_month,
        coalesce(outcome_pools.service_id, secondary_typed.service_id) as service_id,
        coalesce(outcome_pools.cost_type, secondary_typed.cost_type) as cost_type,
        coalesce(outcome_pools.pool_ore, 0) as direct_ore,
        coalesce(secondary_typed.step_down_received_ore, 0) as step_down_received_ore,
        coalesce(secondary_typed.reciprocal_received_ore, 0) as reciprocal_received_ore,
        coalesce(secondary_typed.passed_on_ore, 0) as passed_on_ore,
        coalesce(outcome_pools.ledger_rows, 0) as ledger_rows,
        coalesce(outcome_pools.is_unallocated, false) as is_unallocated
    from outcome_pools
    full outer join secondary_typed
        on secondary_typed.period_month = outcome_pools.period_month
        and secondary_typed.service_id = outcome_pools.service_id
        and secondary_typed.cost_type = outcome_pools.cost_type

),

final as (

    select
        -- ids
        joined.fiscal_year,
        'outcome' as scenario,
        joined.service_id,
        joined.cost_type,

        -- dates
        joined.period_month,

        -- measures
        cast(joined.direct_ore as hugeint) as direct_ore,
        cast(joined.step_down_received_ore as hugeint) as step_down_received_ore,
        cast(joined.reciprocal_received_ore as hugeint) as reciprocal_received_ore,
        cast(joined.passed_on_ore as hugeint) as passed_on_ore,
        cast(
            joined.direct_ore + joined.step_down_received_ore + joined.reciprocal_received_ore
            - joined.passed_on_ore as hugeint
        ) as pool_ore,
        joined.ledger_rows,

        -- flags
        joined.is_unallocated,
        exists (
            select 1 from support_services
            where support_services.service_id = joined.service_id
                and {{ is_valid_version('support_services', on='joined.period_month') }}
        ) as is_support

    from joined

)

select * from final
