{#- Allocated cost per month x scenario x service x consumer cost centre x rule.
    Plan scenarios and outcome fixed_key / driver_share: largest-remainder split of each
    monthly pool (int_allocations_largest_remainder). Outcome price_list: published unit price
    x actual volume (int_outcome_price_list_charged); the difference to the actual cost is in
    fct_price_settlement. -#}

with

split_allocations as (

    select * from {{ ref('int_allocations_largest_remainder') }}

),

price_list_charges as (

    select * from {{ ref('int_outcome_price_list_charged') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

unioned as (

    select
        period_month, fiscal_year, scenario, service_id, consumer_org_code,
        consumer_cost_centre_code, allocation_method, rule_id, driver_code, driver_volume,
        share, unit_price_sek, amount_ore, cost_type
    from split_allocations
    union all
    select
        period_month, fiscal_year, scenario, service_id, consumer_org_code,
        consumer_cost_centre_code, allocation_method, rule_id, driver_code, driver_volume,
        share, unit_price_sek, amount_ore, cost_type
    from price_list_charges

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
        unioned.cost_type

    from unioned
    left join services
        on services.service_id = unioned.service_id
        and unioned.period_month between services.valid_from
            and coalesce(services.valid_to, date '9999-12-31')

)

select * from final
