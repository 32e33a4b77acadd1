{#- Allocated cost per month x scenario x service x consumer cost centre x rule.
    Plan scenarios and outcome fixed_key / driver_share: largest-remainder split of each pool
    (int_allocations_largest_remainder; plan pools are split once per pool value and copied to
    the months that have it). Outcome support costs: what a service received from a support
    service (step_down / reciprocal) is split over the service's consumers like its own cost,
    in rows of their own carrying the support service's rule, method and support_service_id.
    Outcome price_list: the year's unit price x actual volume (int_outcome_price_list_charged),
    the price delivered or carried from the previous year's settlement (price_source,
    int_price_list_prices_resolved); the difference to the actual cost is in
    fct_price_settlement. Outcome direct: the ledger
    rows' own cost centres (int_outcome_direct_charged). -#}

with

split_allocations as (

    select * from {{ ref('int_allocations_largest_remainder') }}

),

plan_pools as (

    select * from {{ ref('int_plan_pools_monthly') }}

),

price_list_charges as (

    select * from {{ ref('int_outcome_price_list_charged') }}

),

direct_charges as (

    select * from {{ ref('int_outcome_direct_charged') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

plan_split_by_month as (

    select
        plan_pools.period_month,
        split_allocations.* exclude (period_month)
    from split_allocations
    inner join plan_pools
        on plan_pools.fiscal_year = split_allocations.fiscal_year
        and plan_pools.scenario = split_allocations.scenario
        and plan_pools.service_id = split_allocations.service_id
        and plan_pools.cost_type = split_allocations.cost_type
        and plan_pools.pool_ore = split_allocations.pool_ore
    where split_allocations.scenario <> 'outcome'

),

unioned as (

    select
        period_month, fiscal_year, scenario, service_id, consumer_org_code,
        consumer_cost_centre_code, allocation_method, rule_id, support_service_id, driver_code,
        driver_volume, share, unit_price_sek, cast(null as varchar) as price_source, amount_ore,
        cost_type
    from plan_split_by_month
    union all
    select
        period_month, fiscal_year, scenario, service_id, consumer_org_code,
        consumer_cost_centre_code, allocation_method, rule_id, support_service_id, driver_code,
        driver_volume, share, unit_price_sek, cast(null as varchar) as price_source, amount_ore,
        cost_type
    from split_allocations
    where scenario = 'outcome'
    union all
    select
        period_month, fiscal_year, scenario, service_id, consumer_org_code,
        consumer_cost_centre_code, allocation_method, rule_id,
        cast(null as varchar) as support_service_id, driver_code, driver_volume, share,
        unit_price_sek, price_source, amount_ore, cost_type
    from price_list_charges
    union all
    select
        period_month, fiscal_year, scenario, service_id, consumer_org_code,
        consumer_cost_centre_code, allocation_method, rule_id,
        cast(null as varchar) as support_service_id, driver_code, driver_volume, share,
        unit_price_sek, cast(null as varchar) as price_source, amount_ore, cost_type
    from direct_charges

),

final as (

    select
        -- ids
        unioned.period_month,
        unioned.fiscal_year,
        unioned.scenario,
        unioned.service_id,
        services.service_area_code,
        unioned.consumer_org_code,
        unioned.consumer_cost_centre_code,
        unioned.allocation_method,
        unioned.rule_id,
        unioned.driver_code,

        -- measures
        cast(unioned.driver_volume as decimal(18, 3)) as driver_volume,
        cast(unioned.share as decimal(18, 12)) as share,
        cast(unioned.unit_price_sek as decimal(18, 4)) as unit_price_sek,
        {{ ore_to_sek('unioned.amount_ore') }} as amount_sek,

        -- attributes
        unioned.cost_type,
        unioned.support_service_id,
        unioned.price_source

    from unioned
    left join services
        on services.service_id = unioned.service_id
        and {{ is_valid_version('services', on='unioned.period_month') }}

)

select * from final
