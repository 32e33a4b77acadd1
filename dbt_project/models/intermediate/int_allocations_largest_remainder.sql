{#- Largest-remainder split of every monthly pool over its weights, in exact integer
    arithmetic (öre and integer weight units, HUGEINT; no floats anywhere):

        n_i     = pool * w_i                           (HUGEINT)
        floor_i = floor(n_i / W)                       (floor toward minus infinity)
        rem_i   = n_i - floor_i * W                    (0 <= rem_i < W: the fractional part x W)
        k       = pool - sum(floor_i)                  (0 <= k < number of rows)
        the k rows with the largest rem_i, ties by consumer_cost_centre_code ascending, get +1.

    So each pool's rows sum to the pool to the öre. DuckDB's `//` truncates toward zero, so
    the floor is the truncated quotient minus one when the remainder would be negative (one
    128-bit division per row; it is the expensive operation here).
    For plan price_list rules the implied unit price is reported per row:
    unit_price_sek = annual plan amount / total planned annual volume (4 decimals). Planned
    volumes are annual sums of monthly quantities (unit-months), so this is a price per unit
    and month, comparable with price_list.unit_price_sek; a month's amount is
    ≈ unit_price_sek x driver_volume / 12.
    A view: fct_allocation materialises it. -#}

{{ config(materialized='view') }}

with

pool_weights as (

    select * from {{ ref('int_pool_weights_joined') }}

),

totals as (

    select
        *,
        cast(pool_ore as hugeint) * weight_units as numerator,
        sum(weight_units) over (partition by scenario, service_id, period_month)
            as total_weight_units
    from pool_weights

),

truncated as (

    select
        *,
        numerator // total_weight_units as truncated_ore
    from totals

),

floored as (

    select
        *,
        truncated_ore
            - case when numerator < truncated_ore * total_weight_units then 1 else 0 end
            as floor_ore
    from truncated

),

ranked as (

    select
        *,
        pool_ore - sum(floor_ore) over pool as leftover_ore,
        row_number() over (
            pool order by numerator - floor_ore * total_weight_units desc,
            consumer_cost_centre_code asc
        ) as remainder_rank
    from floored
    window pool as (partition by scenario, service_id, period_month)

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,
        service_id,
        cost_type,
        rule_id,
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
        floor_ore + case when remainder_rank <= leftover_ore then 1 else 0 end as amount_ore

    from ranked

)

select * from final
