{#- Largest-remainder split of every pool of int_pool_weights_joined over its weights, in
    exact integer arithmetic (the `largest_remainder` macro; öre and integer weight units,
    HUGEINT): each pool's rows sum to the pool to the öre, ties go to the lower
    consumer_cost_centre_code. A pool (pool_id) is one (scenario, fiscal year, service, rule,
    month, pool value); plan pools have a null month here (fct_allocation copies them to
    their months).
    For plan price_list rules the implied unit price is reported per row:
    unit_price_sek = annual plan amount / total planned annual volume (4 decimals). Planned
    volumes are annual sums of monthly quantities (unit-months), so this is a price per unit
    and month, comparable with price_list.unit_price_sek; a month's amount is
    ≈ unit_price_sek x driver_volume / 12.
    Memory: the split ranks the rows of each pool (window functions), and DuckDB's window
    operator keeps every column of its input in memory; at demo scale 10 the 16.5 million wide
    weight rows did not fit in the 3 GB the warehouse may use. So only the columns the rule
    needs are ranked, and the amounts are joined back on the row's key (pool_id,
    consumer_cost_centre_code), unique in int_pool_weights_joined (tested there).
    A view: fct_allocation materialises it. -#}

{{ config(materialized='view') }}

with

pool_weights as (

    select * from {{ ref('int_pool_weights_joined') }}

),

ranked_columns as (

    select
        pool_id,
        pool_ore,
        weight_units,
        total_weight_units,
        consumer_cost_centre_code
    from {{ ref('int_pool_weights_joined') }}

),

amounts as (

    select pool_id, consumer_cost_centre_code, amount_ore
    from {{ largest_remainder(
        'ranked_columns',
        partition_by='pool_id',
        pool='pool_ore',
        weight='weight_units',
        tie_breaker='consumer_cost_centre_code',
        total='total_weight_units') }}

),

split as (

    select
        pool_weights.*,
        amounts.amount_ore
    from pool_weights
    inner join amounts
        on amounts.pool_id = pool_weights.pool_id
        and amounts.consumer_cost_centre_code = pool_weights.consumer_cost_centre_code

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,
        service_id,
        cost_type,
        rule_id,
        support_service_id,
        consumer_org_code,
        consumer_cost_centre_code,

        -- dates
        period_month,

        -- attributes
        allocation_method,
        driver_code,

        -- measures
        driver_volume,
        share,
        case
            when allocation_method = 'price_list'
                -- SEK per unit, 4 decimals: (P / 100) / (W / 1000) = P * 10 / W
                then {{ scaled_to_decimal(round_div('annual_pool_ore * 100000', 'total_weight_units'), 4) }}
        end as unit_price_sek,
        pool_ore,
        weight_units,
        total_weight_units,
        amount_ore

    from split

)

select * from final
