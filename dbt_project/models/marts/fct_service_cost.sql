{#- Cost pool per month x scenario x service x cost type.
    Plan scenarios: the plan line split into 12 monthly pools (int_plan_pools_monthly).
    outcome: ledger cost and revenue rows mapped to services (int_costs_mapped_to_services,
    summed in int_outcome_pools_monthly), then Intraservice's support services charged on to
    the services that use them by step-down and reciprocal allocation
    (int_outcome_pools_reallocated): direct_cost_sek is the service's own ledger cost,
    step_down_received_sek and reciprocal_received_sek what it received, passed_on_sek what a
    support service passed on, and amount_sek = direct + received - passed on, the pool its
    consumers are charged (0 for a support service). Costs no rule maps are their own rows with
    service_id 'UNALLOCATED' and is_unallocated = true. The service area is the one of the service version valid in the
    month (null for the unallocated pool and for balancing lines such as Reglering). -#}

with

plan_pools as (

    select * from {{ ref('int_plan_pools_monthly') }}

),

outcome_pools as (

    select * from {{ ref('int_outcome_pools_reallocated') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

plan_costs as (

    select
        period_month,
        fiscal_year,
        scenario,
        service_id,
        cost_type,
        pool_ore as amount_ore,
        pool_ore as direct_ore,
        cast(0 as hugeint) as step_down_received_ore,
        cast(0 as hugeint) as reciprocal_received_ore,
        cast(0 as hugeint) as passed_on_ore,
        false as is_unallocated,
        false as is_support
    from plan_pools

),

outcome_costs as (

    select
        period_month,
        fiscal_year,
        scenario,
        service_id,
        cost_type,
        pool_ore as amount_ore,
        direct_ore,
        step_down_received_ore,
        reciprocal_received_ore,
        passed_on_ore,
        is_unallocated,
        is_support
    from outcome_pools

),

unioned as (

    select * from plan_costs
    union all
    select * from outcome_costs

),

final as (

    select
        -- ids
        unioned.period_month,
        unioned.fiscal_year,
        unioned.scenario,
        unioned.service_id,
        services.service_area_code,
        unioned.cost_type,

        -- measures
        {{ ore_to_sek('unioned.amount_ore') }} as amount_sek,
        {{ ore_to_sek('unioned.direct_ore') }} as direct_cost_sek,
        {{ ore_to_sek('unioned.step_down_received_ore') }} as step_down_received_sek,
        {{ ore_to_sek('unioned.reciprocal_received_ore') }} as reciprocal_received_sek,
        {{ ore_to_sek('unioned.passed_on_ore') }} as passed_on_sek,

        -- flags
        unioned.is_unallocated,
        coalesce(services.is_adjustment, false) as is_adjustment,
        unioned.is_support

    from unioned
    left join services
        on services.service_id = unioned.service_id
        and {{ is_valid_version('services', on='unioned.period_month') }}

)

select * from final
