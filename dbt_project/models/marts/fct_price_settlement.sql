{#- Price-list settlement per fiscal year x service: what the service cost in the outcome
    (its outcome pools in fct_service_cost, including what support services gave it) and what
    its consumers were charged at the published unit price (outcome price_list rows of
    fct_allocation). The result (charged - cost; positive = surplus) is carried into the
    following years' prices, spread evenly over var price_settlement_spread_years years
    (default 1; split exactly to the öre, earlier years taking the extra öre):

        price(t+1) = (budget cost(t+1) - carried into t+1) / planned volume(t+1)

    where "carried into t+1" sums the parts of every earlier year's result that fall in t+1
    (with the default of one year: the result of t). Budget cost and planned volume are the
    adopted budget's (scenario 'budget') plan line and planned volumes of the price-list rule;
    planned volumes are annual sums of monthly quantities, so the price is per unit and month,
    like price_list.unit_price_sek (shown beside it as next_year_published_unit_price_sek).
    Null when year t+1 has no budget line or no planned volume. -#}

{%- set spread_years = var('price_settlement_spread_years', 1) %}

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}
    where scenario = 'outcome'
        and not is_unallocated

),

allocations as (

    select * from {{ ref('fct_allocation') }}
    where scenario = 'outcome'
        and allocation_method = 'price_list'

),

plan_amounts as (

    select * from {{ ref('stg_raw__plan_amounts') }}
    where scenario = 'budget'

),

budget_weights as (

    select * from {{ ref('int_allocation_weights') }}
    where scenario = 'budget'
        and allocation_method = 'price_list'

),

price_list as (

    select * from {{ ref('stg_raw__price_list') }}

),

charged as (

    select
        fiscal_year,
        service_id,
        any_value(driver_code) as driver_code,
        sum(amount_sek) as charged_sek
    from allocations
    group by fiscal_year, service_id

),

cost as (

    select fiscal_year, service_id, sum(amount_sek) as cost_sek
    from service_costs
    where service_id in (select service_id from charged)
    group by fiscal_year, service_id

),

settled as (

    select
        charged.fiscal_year,
        charged.service_id,
        charged.driver_code,
        coalesce(cost.cost_sek, 0) as cost_sek,
        charged.charged_sek,
        charged.charged_sek - coalesce(cost.cost_sek, 0) as surplus_deficit_sek,
        {{ sek_to_ore('charged.charged_sek - coalesce(cost.cost_sek, 0)') }} as result_ore
    from charged
    left join cost
        on cost.fiscal_year = charged.fiscal_year
        and cost.service_id = charged.service_id

),

spread as (

    -- the result of year t in spread_years parts, to years t+1 .. t+spread_years:
    -- q = floor(R / n), the first R - n q parts get one öre more (as the monthly plan split)
    select
        settled.fiscal_year,
        settled.service_id,
        cast(settled.fiscal_year + offsets.year_offset as integer) as carried_to_year,
        {{ floor_div('settled.result_ore', spread_years) }}
            + case
                when offsets.year_offset
                    <= settled.result_ore - {{ spread_years }} * {{ floor_div('settled.result_ore', spread_years) }}
                    then 1
                else 0
            end as carried_ore
    from settled
    cross join (
        select cast(year_offset as integer) as year_offset
        from range(1, {{ spread_years }} + 1) as t(year_offset)
    ) as offsets

),

carried_into as (

    select
        carried_to_year,
        service_id,
        sum(carried_ore) as carried_ore
    from spread
    group by carried_to_year, service_id

),

next_year_volume as (

    select
        fiscal_year,
        service_id,
        sum(weight_units) as planned_volume_units
    from budget_weights
    group by fiscal_year, service_id

),

final as (

    select
        -- ids
        settled.fiscal_year,
        settled.service_id,
        settled.driver_code,

        -- measures
        cast(settled.cost_sek as decimal(18, 2)) as cost_sek,
        cast(settled.charged_sek as decimal(18, 2)) as charged_sek,
        cast(settled.surplus_deficit_sek as decimal(18, 2)) as surplus_deficit_sek,
        cast(settled.fiscal_year + 1 as integer) as carried_to_year,
        cast({{ spread_years }} as integer) as spread_years,
        {{ ore_to_sek('own_part.carried_ore') }} as carried_to_next_year_sek,
        {{ ore_to_sek('coalesce(carried_into.carried_ore, 0)') }} as carried_into_next_year_sek,
        cast(next_plan.amount_sek as decimal(18, 2)) as next_year_budget_sek,
        {{ scaled_to_decimal('next_year_volume.planned_volume_units', 3) }}
            as next_year_planned_volume,
        -- (budget - carried into t+1) in öre x 10^5 / (volume x 10^3) = SEK x 10^4, exact
        {%- set price_numerator = '(' ~ sek_to_ore('next_plan.amount_sek')
            ~ ' - coalesce(carried_into.carried_ore, 0)) * 100000' %}
        {{ scaled_to_decimal(round_div(price_numerator, 'next_year_volume.planned_volume_units'), 4) }}
            as next_year_unit_price_sek,
        cast(next_price.unit_price_sek as decimal(18, 4)) as next_year_published_unit_price_sek

    from settled
    left join spread as own_part
        on own_part.fiscal_year = settled.fiscal_year
        and own_part.service_id = settled.service_id
        and own_part.carried_to_year = settled.fiscal_year + 1
    left join carried_into
        on carried_into.carried_to_year = settled.fiscal_year + 1
        and carried_into.service_id = settled.service_id
    left join plan_amounts as next_plan
        on next_plan.fiscal_year = settled.fiscal_year + 1
        and next_plan.service_id = settled.service_id
    left join next_year_volume
        on next_year_volume.fiscal_year = settled.fiscal_year + 1
        and next_year_volume.service_id = settled.service_id
    left join price_list as next_price
        on next_price.fiscal_year = settled.fiscal_year + 1
        and next_price.service_id = settled.service_id
        and next_price.driver_code = settled.driver_code

)

select * from final
