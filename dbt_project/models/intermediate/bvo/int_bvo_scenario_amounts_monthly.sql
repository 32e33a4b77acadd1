{#- Scenarios as data at the consumer-organisation grain: what every organisation is charged per
    month x scenario x service x cost type, with the driver volume behind it, for every plan
    scenario (budget, forecasts, proposal) and the outcome.

    amount_sek     sum of fct_allocation over the organisation's cost centres; the outcome
                   as booked (fct_charge): a closed month's frozen charges, and the
                   restatements of closed months in the month they are booked in (with no
                   month closed, fct_allocation's outcome unchanged).
    driver_volume  plan scenarios: the planned ANNUAL quantity behind the share (as
                   fct_allocation carries it; a month's planned volume is a twelfth of it);
                   outcome: the month's actual quantity (stg volumes) of the organisations that
                   take part in the service's outcome rule that year (its population, as seen
                   in fct_allocation), also in months where the ledger booked nothing on the
                   service.
    Outcome rows of support cost a service received (step_down / reciprocal, with
    support_service_id) are part of what the organisation pays for the service: their amounts
    are added, the method and volume are those of the service's own rule.
    The part of a service's monthly pool (fct_service_cost) that no consumer is charged, e.g. a
    price-list surplus/deficit or a pool that is not allocated (yet), is kept as its own row
    with consumer_org_code 'UNALLOCATED' (is_uncharged), so that the rows of a service x month
    always add up to its pool. Against the booked outcome, that line also carries a closed
    month's correction until it is booked: the difference between the pool now and what was
    closed in the closed month, and minus the restatement in the month it is booked in (the two
    cancel over the year). -#}

with

plan_allocations as (

    select * from {{ ref('fct_allocation') }}
    where scenario <> 'outcome'

),

-- The outcome as booked; a restatement row adds to the amount only (no method, driver or volume).
booked_outcome as (

    select * from {{ ref('fct_charge') }}

),

allocations as (

    select
        fiscal_year, period_month, scenario, service_id, cost_type, consumer_org_code,
        allocation_method, driver_code, driver_volume, support_service_id, amount_sek
    from plan_allocations
    union all
    select
        fiscal_year, period_month, 'outcome' as scenario, service_id, cost_type,
        consumer_org_code, allocation_method, driver_code, driver_volume, support_service_id,
        amount_sek
    from booked_outcome

),

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

volumes as (

    select * from {{ ref('stg_raw__volumes') }}

),

cost_centres as (

    select * from {{ ref('stg_raw__cost_centres') }}

),

allocated as (

    select
        fiscal_year,
        period_month,
        scenario,
        service_id,
        cost_type,
        consumer_org_code,
        -- the service's own rule; outcome rows of support cost received (step_down /
        -- reciprocal, support_service_id set) repeat its driver volume and are only added
        -- to the amount
        case
            when count(distinct allocation_method) filter (where support_service_id is null) = 1
                then min(allocation_method) filter (where support_service_id is null)
            when count(distinct allocation_method) filter (where support_service_id is null) > 1
                then 'mixed'
        end as allocation_method,
        min(driver_code) as driver_code,
        sum(amount_sek) as amount_sek,
        sum(driver_volume) filter (where support_service_id is null) as driver_volume
    from allocations
    group by fiscal_year, period_month, scenario, service_id, cost_type, consumer_org_code

),

outcome_populations as (

    select
        fiscal_year,
        service_id,
        cost_type,
        consumer_org_code,
        min(allocation_method) as allocation_method,
        min(driver_code) as driver_code
    from allocations
    where scenario = 'outcome'
        and support_service_id is null
        and driver_code is not null
    group by fiscal_year, service_id, cost_type, consumer_org_code

),

actual_volumes as (

    select
        cast(year(volumes.period_month) as integer) as fiscal_year,
        volumes.period_month,
        volumes.driver_code,
        cost_centres.org_code,
        sum(volumes.quantity) as quantity
    from volumes
    inner join cost_centres
        on cost_centres.cost_centre_code = volumes.cost_centre_code
    group by all

),

outcome_volumes as (

    select
        outcome_populations.fiscal_year,
        actual_volumes.period_month,
        'outcome' as scenario,
        outcome_populations.service_id,
        outcome_populations.cost_type,
        outcome_populations.consumer_org_code,
        outcome_populations.allocation_method,
        outcome_populations.driver_code,
        actual_volumes.quantity
    from outcome_populations
    inner join actual_volumes
        on actual_volumes.fiscal_year = outcome_populations.fiscal_year
        and actual_volumes.driver_code = outcome_populations.driver_code
        and actual_volumes.org_code = outcome_populations.consumer_org_code

),

consumer_rows as (

    select
        coalesce(allocated.fiscal_year, outcome_volumes.fiscal_year) as fiscal_year,
        coalesce(allocated.period_month, outcome_volumes.period_month) as period_month,
        coalesce(allocated.scenario, outcome_volumes.scenario) as scenario,
        coalesce(allocated.service_id, outcome_volumes.service_id) as service_id,
        coalesce(allocated.cost_type, outcome_volumes.cost_type) as cost_type,
        coalesce(allocated.consumer_org_code, outcome_volumes.consumer_org_code)
            as consumer_org_code,
        coalesce(allocated.allocation_method, outcome_volumes.allocation_method)
            as allocation_method,
        coalesce(allocated.driver_code, outcome_volumes.driver_code) as driver_code,
        coalesce(allocated.amount_sek, 0) as amount_sek,
        case
            when coalesce(allocated.scenario, outcome_volumes.scenario) = 'outcome'
                then outcome_volumes.quantity
            else allocated.driver_volume
        end as driver_volume,
        false as is_uncharged
    from allocated
    full outer join outcome_volumes
        on outcome_volumes.scenario = allocated.scenario
        and outcome_volumes.period_month = allocated.period_month
        and outcome_volumes.service_id = allocated.service_id
        and outcome_volumes.cost_type = allocated.cost_type
        and outcome_volumes.consumer_org_code = allocated.consumer_org_code

),

pools as (

    select
        fiscal_year,
        period_month,
        scenario,
        service_id,
        cost_type,
        sum(amount_sek) as pool_sek
    from service_costs
    group by fiscal_year, period_month, scenario, service_id, cost_type

),

charged as (

    select
        fiscal_year,
        period_month,
        scenario,
        service_id,
        cost_type,
        sum(amount_sek) as charged_sek
    from allocated
    group by fiscal_year, period_month, scenario, service_id, cost_type

),

uncharged_rows as (

    select
        coalesce(pools.fiscal_year, charged.fiscal_year) as fiscal_year,
        coalesce(pools.period_month, charged.period_month) as period_month,
        coalesce(pools.scenario, charged.scenario) as scenario,
        coalesce(pools.service_id, charged.service_id) as service_id,
        coalesce(pools.cost_type, charged.cost_type) as cost_type,
        'UNALLOCATED' as consumer_org_code,
        cast(null as varchar) as allocation_method,
        cast(null as varchar) as driver_code,
        coalesce(pools.pool_sek, 0) - coalesce(charged.charged_sek, 0) as amount_sek,
        cast(null as decimal(18, 3)) as driver_volume,
        true as is_uncharged
    from pools
    full outer join charged
        on charged.scenario = pools.scenario
        and charged.period_month = pools.period_month
        and charged.service_id = pools.service_id
        and charged.cost_type = pools.cost_type
    where coalesce(pools.pool_sek, 0) <> coalesce(charged.charged_sek, 0)

),

unioned as (

    select * from consumer_rows
    union all
    select * from uncharged_rows

),

final as (

    select
        -- ids
        fiscal_year,
        scenario,
        service_id,
        cost_type,
        consumer_org_code,

        -- dates
        period_month,

        -- attributes
        allocation_method,
        driver_code,

        -- measures
        cast(amount_sek as decimal(18, 2)) as amount_sek,
        cast(driver_volume as decimal(18, 3)) as driver_volume,

        -- flags
        is_uncharged

    from unioned

)

select * from final
