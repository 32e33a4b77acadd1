{#- Every pool to split joined to the weights of its rule: the input of the largest-remainder
    step. One row per pool x consumer cost centre: pool_id identifies the pool (the partition of
    the split) and total_weight_units is the sum of its weights.

    Plan scenarios: a plan line's 12 monthly pools take at most two values (q and q + 1, see
    int_plan_pools_monthly) and share the same weights, so each distinct (line, pool value) is
    split once here, with period_month null; fct_allocation copies the result to the months
    with that pool value. This is the same arithmetic as splitting every month, at a sixth of
    the work.
    outcome: per month, a service's pool (int_outcome_pools_reallocated) is split in pieces:
    its own ledger cost under its own rule (fixed_key / driver_share) over its weights of the
    month, and what each support service gave it under that support service's rule (method
    step_down or reciprocal, support_service_id set). Support cost is Intraservice overhead and
    is charged per organisation, on the organisation's default cost centre (as decided
    amounts are), by the organisation's part of the service's weights of the month (the sum
    of its cost centres' weights): this keeps the support rows to one per organisation
    instead of one per cost centre. price_list
    services are charged at the published price instead (int_outcome_price_list_charged),
    direct services by their ledger rows (int_outcome_direct_charged), and the support cost a
    direct service received by its organisations' direct charges
    (int_outcome_direct_support_weights); support services pass everything on and have
    nothing left to split. The unallocated pool is not allocated.
    A pool without a rule or without any positive weight has no rows here and is caught by
    the conservation test on fct_allocation.
    A table: the largest-remainder step ranks a narrow projection of it and joins the result
    back on the row's key, (pool_id, consumer_cost_centre_code), unique by construction (a pool
    is one month's piece of one service, its weights one row per cost centre; tested). No row
    number: DuckDB numbers a big input (row_number() over ()) with a blocking window that holds
    every wide row in memory, which ran out of the 3 GB at demo scale 10. -#}

{{ config(materialized='table') }}

with

plan_pools as (

    select * from {{ ref('int_plan_pools_monthly') }}

),

plan_weights as (

    select * from {{ ref('int_allocation_weights') }}

),

outcome_pools as (

    select * from {{ ref('int_outcome_pools_reallocated') }}
    where not is_unallocated
        and not is_support

),

support_flows as (

    select * from {{ ref('int_support_costs_allocated') }}

),

outcome_weights as (

    select * from {{ ref('int_outcome_allocation_weights') }}
    where allocation_method in ('fixed_key', 'driver_share')

),

direct_support_weights as (

    select * from {{ ref('int_outcome_direct_support_weights') }}

),

cost_centres as (

    select * from {{ ref('stg_raw__cost_centres') }}

),

plan_pool_values as (

    select
        *,
        -- pool ids: small integers computed on the few pools (not on the weight rows), so
        -- the split partitions by one integer
        row_number() over (order by fiscal_year, scenario, service_id, cost_type, pool_ore)
            as pool_id
    from (
        select distinct fiscal_year, scenario, service_id, cost_type, annual_ore, pool_ore
        from plan_pools
    )

),

plan_joined as (

    select
        -- ids
        plan_pool_values.pool_id,
        plan_pool_values.fiscal_year,
        plan_pool_values.scenario,
        plan_pool_values.service_id,
        plan_pool_values.cost_type,
        plan_weights.rule_id,
        cast(null as varchar) as support_service_id,
        plan_weights.consumer_org_code,
        plan_weights.consumer_cost_centre_code,

        -- dates
        cast(null as date) as period_month,

        -- attributes
        plan_weights.allocation_method,
        plan_weights.driver_code,

        -- measures
        plan_pool_values.pool_ore,
        plan_pool_values.annual_ore as annual_pool_ore,
        plan_weights.driver_volume,
        plan_weights.share,
        plan_weights.weight_units,
        plan_weights.total_weight_units

    from plan_pool_values
    inner join plan_weights
        on plan_weights.fiscal_year = plan_pool_values.fiscal_year
        and plan_weights.scenario = plan_pool_values.scenario
        and plan_weights.service_id = plan_pool_values.service_id

),

support_received as (

    select
        period_month,
        receiving_service_id,
        support_service_id,
        rule_id,
        allocation_method,
        sum(amount_ore) as pool_ore
    from support_flows
    group by period_month, receiving_service_id, support_service_id, rule_id, allocation_method

),

own_pieces as (

    select
        fiscal_year,
        period_month,
        service_id,
        cost_type,
        direct_ore as pool_ore,
        1000000000 + row_number() over (order by period_month, service_id, cost_type) as pool_id
    from outcome_pools
    where direct_ore <> 0

),

support_pieces as (

    select
        outcome_pools.fiscal_year,
        outcome_pools.period_month,
        outcome_pools.service_id,
        outcome_pools.cost_type,
        support_received.pool_ore,
        support_received.support_service_id,
        support_received.rule_id,
        support_received.allocation_method,
        2000000000 + row_number() over (
            order by outcome_pools.period_month, outcome_pools.service_id, support_received.rule_id
        ) as pool_id
    from outcome_pools
    inner join support_received
        on support_received.period_month = outcome_pools.period_month
        and support_received.receiving_service_id = outcome_pools.service_id
    where outcome_pools.step_down_received_ore + outcome_pools.reciprocal_received_ore <> 0
        and support_received.pool_ore <> 0

),

organisation_weights as (

    select
        fiscal_year,
        period_month,
        service_id,
        driver_code,
        consumer_org_code,
        sum(driver_volume) as driver_volume,
        sum(weight_units) as weight_units,
        any_value(total_weight_units) as total_weight_units
    from outcome_weights
    group by fiscal_year, period_month, service_id, driver_code, consumer_org_code

    union all

    -- direct services: by the organisations' direct charges (int_outcome_direct_support_weights)
    select
        fiscal_year,
        period_month,
        service_id,
        driver_code,
        consumer_org_code,
        driver_volume,
        weight_units,
        total_weight_units
    from direct_support_weights

),

organisation_weights_placed as (

    select
        organisation_weights.*,
        default_cost_centres.cost_centre_code as consumer_cost_centre_code,
        {{ share_of('organisation_weights.weight_units', 'organisation_weights.total_weight_units') }}
            as share
    from organisation_weights
    {{ join_default_cost_centre('organisation_weights.consumer_org_code', 'organisation_weights.fiscal_year') }}

),

own_joined as (

    select
        -- ids
        own_pieces.pool_id,
        own_pieces.fiscal_year,
        'outcome' as scenario,
        own_pieces.service_id,
        own_pieces.cost_type,
        outcome_weights.rule_id,
        cast(null as varchar) as support_service_id,
        outcome_weights.consumer_org_code,
        outcome_weights.consumer_cost_centre_code,

        -- dates
        own_pieces.period_month,

        -- attributes
        outcome_weights.allocation_method,
        outcome_weights.driver_code,

        -- measures
        own_pieces.pool_ore,
        cast(null as hugeint) as annual_pool_ore,
        outcome_weights.driver_volume,
        outcome_weights.share,
        outcome_weights.weight_units,
        outcome_weights.total_weight_units

    from own_pieces
    inner join outcome_weights
        on outcome_weights.period_month = own_pieces.period_month
        and outcome_weights.service_id = own_pieces.service_id

),

support_joined as (

    select
        -- ids
        support_pieces.pool_id,
        support_pieces.fiscal_year,
        'outcome' as scenario,
        support_pieces.service_id,
        support_pieces.cost_type,
        support_pieces.rule_id,
        support_pieces.support_service_id,
        organisation_weights_placed.consumer_org_code,
        organisation_weights_placed.consumer_cost_centre_code,

        -- dates
        support_pieces.period_month,

        -- attributes
        support_pieces.allocation_method,
        organisation_weights_placed.driver_code,

        -- measures
        support_pieces.pool_ore,
        cast(null as hugeint) as annual_pool_ore,
        cast(organisation_weights_placed.driver_volume as decimal(18, 3)) as driver_volume,
        organisation_weights_placed.share,
        organisation_weights_placed.weight_units,
        organisation_weights_placed.total_weight_units

    from support_pieces
    inner join organisation_weights_placed
        on organisation_weights_placed.period_month = support_pieces.period_month
        and organisation_weights_placed.service_id = support_pieces.service_id

),

unioned as (

    select * from plan_joined
    union all
    select * from own_joined
    union all
    select * from support_joined

)

select * from unioned
