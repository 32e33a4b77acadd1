{#- Outcome of price-list services: each consumer cost centre is charged the year's unit
    price (int_price_list_prices_resolved: the price delivered in price_list, else the price
    carried from the previous year's settlement; SEK per unit and month) x its actual volume
    of the month, rounded to the öre (half away from zero, macro price_times_volume_ore). The
    charges do not add up to the service's actual cost; the difference is the service's
    surplus or deficit, settled per year in fct_price_settlement and carried into next year's
    price. The service's cost includes what support services gave it
    (int_outcome_pools_reallocated). One row per month x service x consumer cost centre. -#}

with

weights as (

    select * from {{ ref('int_outcome_allocation_weights') }}
    where allocation_method = 'price_list'

),

prices as (

    select * from {{ ref('int_price_list_prices_resolved') }}
    where is_charged

),

outcome_pools as (

    select * from {{ ref('int_outcome_pools_reallocated') }}
    where not is_unallocated
        and not is_support

),

priced as (

    select
        weights.*,
        prices.unit_price_sek,
        prices.price_source,
        {{ price_times_volume_ore('prices.unit_price_sek', 'weights.driver_volume') }} as amount_ore
    from weights
    left join prices
        on prices.fiscal_year = weights.fiscal_year
        and prices.service_id = weights.service_id

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
        priced.price_source,

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
