-- Outcome of price-list services: per fiscal year and service, the settlement's cost equals
-- the service's outcome pools, its charges equal the outcome price_list allocations, and
-- charged - cost = surplus_deficit. Together with the conservation test this accounts for
-- every outcome krona: allocated + settled difference = pool.

with

settlement as (

    select * from {{ ref('fct_price_settlement') }}

),

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

cost as (

    select fiscal_year, service_id, sum(amount_sek) as cost_sek
    from service_costs
    group by fiscal_year, service_id

),

charged as (

    select fiscal_year, service_id, sum(amount_sek) as charged_sek
    from allocations
    group by fiscal_year, service_id

),

final as (

    select
        charged.fiscal_year,
        charged.service_id,
        cost.cost_sek,
        charged.charged_sek,
        settlement.cost_sek as settlement_cost_sek,
        settlement.charged_sek as settlement_charged_sek,
        settlement.surplus_deficit_sek
    from charged
    left join cost
        on cost.fiscal_year = charged.fiscal_year
        and cost.service_id = charged.service_id
    left join settlement
        on settlement.fiscal_year = charged.fiscal_year
        and settlement.service_id = charged.service_id
    where settlement.service_id is null
        or settlement.cost_sek <> coalesce(cost.cost_sek, 0)
        or settlement.charged_sek <> charged.charged_sek
        or settlement.surplus_deficit_sek <> settlement.charged_sek - settlement.cost_sek

)

select * from final
