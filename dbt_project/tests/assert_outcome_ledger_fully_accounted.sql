-- End to end, per outcome month: every krona of the ledger's cost and revenue rows is
-- accounted for, to the öre:
--   ledger = sum of the pools of fct_service_cost (support services net to zero, what they
--            passed on sits in the receiving services' pools, the unallocated pool is its
--            own row)
--   ledger = allocated to consumers (fct_allocation, all methods but price_list)
--            + pools of price-list services (charged at the published price; their
--              difference is settled in fct_price_settlement)
--            + the unallocated pool.
-- Returns the months where either identity fails.

with

ledger as (

    select * from {{ ref('fct_pool_ledger_row') }}

),

service_costs as (

    select * from {{ ref('fct_service_cost') }}
    where scenario = 'outcome'

),

allocations as (

    select * from {{ ref('fct_allocation') }}
    where scenario = 'outcome'

),

price_list_services as (

    select distinct period_month, service_id
    from allocations
    where allocation_method = 'price_list'

),

ledger_months as (

    select period_month, sum(amount_sek) as ledger_sek
    from ledger
    group by period_month

),

pool_months as (

    select
        service_costs.period_month,
        sum(service_costs.amount_sek) as pools_sek,
        coalesce(sum(service_costs.amount_sek) filter (where service_costs.is_unallocated), 0)
            as unallocated_sek,
        coalesce(sum(service_costs.amount_sek) filter (where price_list_services.service_id is not null), 0)
            as price_list_pools_sek
    from service_costs
    left join price_list_services
        on price_list_services.period_month = service_costs.period_month
        and price_list_services.service_id = service_costs.service_id
    group by service_costs.period_month

),

allocated_months as (

    select period_month, sum(amount_sek) as allocated_sek
    from allocations
    where allocation_method <> 'price_list'
    group by period_month

),

final as (

    select
        ledger_months.period_month,
        ledger_months.ledger_sek,
        pool_months.pools_sek,
        allocated_months.allocated_sek,
        pool_months.price_list_pools_sek,
        pool_months.unallocated_sek
    from ledger_months
    left join pool_months
        on pool_months.period_month = ledger_months.period_month
    left join allocated_months
        on allocated_months.period_month = ledger_months.period_month
    where ledger_months.ledger_sek <> coalesce(pool_months.pools_sek, 0)
        or ledger_months.ledger_sek <> coalesce(allocated_months.allocated_sek, 0)
            + coalesce(pool_months.price_list_pools_sek, 0)
            + coalesce(pool_months.unallocated_sek, 0)

)

select * from final
