-- Conservation: for every scenario x service x month, the allocated amounts sum to the pool
-- in fct_service_cost (amount_sek: for the outcome, the service's own cost plus what support
-- services gave it, minus what a support service passed on), to the öre. Returns the pools
-- that do not (a pool without a rule or without weights, an allocation without a pool, a
-- direct charge on a cost centre that is not a consumer's, or a rounding error).
-- Left out: the unallocated outcome pool (service_id 'UNALLOCATED'), which is shown, not
-- allocated; and outcome pools of price-list services, which are charged at the published
-- price with the difference settled in fct_price_settlement
-- (assert_price_settlement_reconciles). Support services pass everything on: their pool is
-- 0 and nothing is allocated from it directly (assert_support_pools_net_to_zero).

with

service_costs as (

    select * from {{ ref('fct_service_cost') }}
    where not is_unallocated

),

allocations as (

    select * from {{ ref('fct_allocation') }}

),

price_list_pools as (

    select distinct scenario, service_id, period_month
    from allocations
    where scenario = 'outcome'
        and allocation_method = 'price_list'

),

pools as (

    select scenario, service_id, period_month, sum(amount_sek) as pool_sek
    from service_costs
    group by scenario, service_id, period_month

),

allocated as (

    select scenario, service_id, period_month, sum(amount_sek) as allocated_sek
    from allocations
    group by scenario, service_id, period_month

),

compared as (

    select
        coalesce(pools.scenario, allocated.scenario) as scenario,
        coalesce(pools.service_id, allocated.service_id) as service_id,
        coalesce(pools.period_month, allocated.period_month) as period_month,
        pools.pool_sek,
        allocated.allocated_sek,
        coalesce(pools.pool_sek, 0) - coalesce(allocated.allocated_sek, 0) as difference_sek
    from pools
    full outer join allocated
        on allocated.scenario = pools.scenario
        and allocated.service_id = pools.service_id
        and allocated.period_month = pools.period_month

),

final as (

    select compared.*
    from compared
    left join price_list_pools
        on price_list_pools.scenario = compared.scenario
        and price_list_pools.service_id = compared.service_id
        and price_list_pools.period_month = compared.period_month
    where compared.difference_sek <> 0
        and price_list_pools.service_id is null

)

select * from final
