-- The reciprocal flows as booked (int_support_costs_reciprocal_allocated) against the exact
-- solution, recomputed here in SQL from the shares and the exact totals
-- (int_allocations_reciprocal_solved.total_exact_ore, 12 decimals; tolerance 10^-6 öre).
-- Returns the rows where:
-- 1. a flow is not its exact value share(i -> r) x T_i rounded down or up, widened by the
--    rounding excess the receivers' amounts forced (rounding_excess_ore, 0 normally);
-- 2. what a group gives an ordinary service, summed over its givers, is not its exact amount
--    rounded by largest remainder over the group's ordinary receivers of the month: each
--    within one öre, and all of a group-month's roundings (booked - exact) within an interval
--    of length one (the largest remainders were rounded up, the others down);
-- 3. a group does not pass on to ordinary services exactly what its services had.

-- Dagster shows this as an asset check of int_support_costs_reciprocal_allocated.
{{ config(meta={'dagster': {'ref': {'name': 'int_support_costs_reciprocal_allocated'}}}) }}

with

flows as (

    select * from {{ ref('int_support_costs_reciprocal_allocated') }}

),

solved as (

    select * from {{ ref('int_allocations_reciprocal_solved') }}

),

flows_checked as (

    select
        'flow' as failure,
        flows.period_month,
        flows.group_id,
        flows.support_service_id,
        flows.receiving_service_id,
        flows.amount_ore,
        flows.share * cast(giver.total_exact_ore as decimal(38, 12)) as exact_ore,
        flows.rounding_excess_ore,
        receiver.support_service_id is null as is_to_ordinary_service
    from flows
    inner join solved as giver
        on giver.period_month = flows.period_month
        and giver.support_service_id = flows.support_service_id
    left join solved as receiver
        on receiver.period_month = flows.period_month
        and receiver.support_service_id = flows.receiving_service_id

),

receivers as (

    select
        period_month,
        group_id,
        receiving_service_id,
        sum(amount_ore) as amount_ore,
        sum(exact_ore) as exact_ore
    from flows_checked
    where is_to_ordinary_service
    group by period_month, group_id, receiving_service_id

),

groups as (

    select
        receivers.period_month,
        receivers.group_id,
        max(receivers.amount_ore - receivers.exact_ore)
            - min(receivers.amount_ore - receivers.exact_ore) as rounding_spread_ore,
        sum(receivers.amount_ore) as passed_on_ore,
        any_value(available.available_ore) as available_ore
    from receivers
    inner join (
        select period_month, group_id, sum(available_ore) as available_ore
        from solved
        group by period_month, group_id
    ) as available
        on available.period_month = receivers.period_month
        and available.group_id = receivers.group_id
    group by receivers.period_month, receivers.group_id

),

final as (

    select failure, period_month, group_id, support_service_id, receiving_service_id,
        amount_ore, exact_ore
    from flows_checked
    where abs(amount_ore - exact_ore) >= 1 + rounding_excess_ore + 0.000001
    union all
    select 'receiver', period_month, group_id, null, receiving_service_id, amount_ore, exact_ore
    from receivers
    where abs(amount_ore - exact_ore) >= 1 + 0.000001
    union all
    select 'group', period_month, group_id, null, null, passed_on_ore, available_ore
    from groups
    where rounding_spread_ore > 1 + 0.000001
        or passed_on_ore <> available_ore

)

select * from final
