{#- Outcome of price-list services: each consumer cost centre is charged the published unit
    price (price_list, SEK per unit and month) x its actual volume of the month, rounded to
    the öre (half away from zero). The charges do not add up to the service's actual cost;
    the difference is the service's surplus or deficit, settled per year in
    fct_price_settlement and carried into next year's price. The service's cost includes what
    support services gave it (int_outcome_pools_reallocated). One row per month x service x
    consumer cost centre. -#}

with

weights as (

    select * from {{ ref('int_outcome_allocation_weights') }}
    where allocation_method = 'price_list'

),

price_list as (

    select * from {{ ref('stg_raw__price_list') }}

),

outcome_pools as (

    select * from {{ ref('int_outcome_pools_reallocated') }}
    where not is_unallocated
        and not is_support

),

priced as (

    select
        weights.*,
        price_list.unit_price_sek,
        cast(
            round(
                cast(price_list.unit_price_sek as decimal(38, 4))
                * cast(weights.driver_volume as decimal(38, 3))
                * 100
            ) as hugeint
        ) as amount_ore
    from weights
    left join price_list
        on price_list.fiscal_year = weights.fiscal_year
        and price_list.service_id = weights.service_id
        and price_list.driver_code = weights.driver_code

),

final as (

    select
        -- ids
        priced.fiscal_year,
        'outcome' as scenario,
        priced.service_id,
        outcome_pools.cost_type,
        priced.rule_id,
        priced.consumer_org_code,
        priced.consumer_cost_centre_code,

        -- dates
        priced.period_month,

        -- attributes
        priced.allocation_method,
        priced.driver_code,

        -- measures
        priced.driver_volume,
        priced.share,
        priced.unit_price_sek,
        outcome_pools.pool_ore,
        priced.amount_ore

    from priced
    inner join outcome_pools
        on outcome_pools.service_id = priced.service_id
        and outcome_pools.period_month = priced.period_month

)

select * from final
