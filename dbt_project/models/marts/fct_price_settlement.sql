{#- Price-list settlement per fiscal year x service: what the service cost (outcome pools) and
    what its consumers were charged at the published unit price (outcome price_list rows of
    fct_allocation). The result (charged - cost; positive = surplus) is carried into the next
    year's price: next_year_unit_price_sek = (next year's budget - carried result) / next
    year's planned budget volume (SEK per unit and month, as planned volumes are annual sums
    of monthly quantities), when the next year has a budget line and planned volumes. -#}

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

next_year_volume as (

    select
        fiscal_year,
        service_id,
        sum(weight_units) as planned_volume_units
    from budget_weights
    group by fiscal_year, service_id

),

settled as (

    select
        charged.fiscal_year,
        charged.service_id,
        charged.driver_code,
        cost.cost_sek,
        charged.charged_sek,
        charged.charged_sek - coalesce(cost.cost_sek, 0) as surplus_deficit_sek
    from charged
    left join cost
        on cost.fiscal_year = charged.fiscal_year
        and cost.service_id = charged.service_id

),

final as (

    select
        -- ids
        settled.fiscal_year,
        settled.service_id,
        settled.driver_code,

        -- measures
        cast(coalesce(settled.cost_sek, 0) as decimal(18, 2)) as cost_sek,
        cast(settled.charged_sek as decimal(18, 2)) as charged_sek,
        cast(settled.surplus_deficit_sek as decimal(18, 2)) as surplus_deficit_sek,
        cast(settled.fiscal_year + 1 as integer) as carried_to_year,
        -- (budget - carried result) in öre x 10^5 / (volume x 10^3) = SEK x 10^4, exact
        {{ scaled_to_decimal(round_div(
            sek_to_ore('next_plan.amount_sek - settled.surplus_deficit_sek') ~ ' * 100000',
            'next_year_volume.planned_volume_units'), 4) }} as next_year_unit_price_sek

    from settled
    left join plan_amounts as next_plan
        on next_plan.fiscal_year = settled.fiscal_year + 1
        and next_plan.service_id = settled.service_id
    left join next_year_volume
        on next_year_volume.fiscal_year = settled.fiscal_year + 1
        and next_year_volume.service_id = settled.service_id

)

select * from final
