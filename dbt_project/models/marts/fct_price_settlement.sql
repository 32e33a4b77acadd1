{#- Price-list settlement per fiscal year x service: what the service cost in the outcome
    (its outcome pools, including what support services gave it), what its consumers were
    charged at the year's unit price (delivered in price_list, or carried: price_source), and
    the result (charged - cost; positive = surplus) carried into the following years' prices,
    spread evenly over var price_settlement_spread_years years (default 1):

        price(t+1) = (budget cost(t+1) - carried into t+1) / planned volume(t+1)

    rounded to the öre. Every figure comes from int_price_list_prices_resolved, where the
    prices are decided and charged (one rule, one place); this mart shows, beside each
    charged year, the price its settlement gives the next year (next_year_unit_price_sek) and
    the price delivered for that year, if any, which is what the next year charges. Null when
    year t+1 has no budget line or no planned volume. -#}

with

prices as (

    select * from {{ ref('int_price_list_prices_resolved') }}

),

settled as (

    select * from prices
    where is_charged

),

final as (

    select
        -- ids
        settled.fiscal_year,
        settled.service_id,
        settled.driver_code,

        -- attributes
        settled.price_source,
        next_year.price_source as next_year_price_source,

        -- measures
        settled.unit_price_sek,
        {{ ore_to_sek('settled.cost_ore') }} as cost_sek,
        {{ ore_to_sek('settled.charged_ore') }} as charged_sek,
        {{ ore_to_sek('settled.result_ore') }} as surplus_deficit_sek,
        cast(settled.fiscal_year + 1 as integer) as carried_to_year,
        settled.spread_years,
        {{ ore_to_sek('settled.carried_to_next_year_ore') }} as carried_to_next_year_sek,
        {{ ore_to_sek('settled.carried_into_next_year_ore') }} as carried_into_next_year_sek,
        {{ ore_to_sek('next_year.budget_ore') }} as next_year_budget_sek,
        {{ scaled_to_decimal('next_year.planned_volume_units', 3) }} as next_year_planned_volume,
        next_year.carried_unit_price_sek as next_year_unit_price_sek,
        next_year.delivered_unit_price_sek as next_year_published_unit_price_sek

    from settled
    left join prices as next_year
        on next_year.fiscal_year = settled.fiscal_year + 1
        and next_year.service_id = settled.service_id

)

select * from final
