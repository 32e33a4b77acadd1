{#- The reciprocal support services solved, per month: one row per month x reciprocal support
    service. available = own ledger cost + what step-down gave it; total_cost_exact_sek = the
    exact solution T of T_j = available_j + sum_i share(i -> j) T_i (Fractions, shown to 14
    decimals); total_cost_sek = the total booked, available + what the other reciprocal
    services gave it (= what it passed on): the exact total rounded down or up unless the
    ordinary services' largest-remainder amounts force more (int_allocations_reciprocal_solved).
    residual_sek is computed here, in SQL, from the booked totals and the shares, independently
    of the Python solver: total_cost - available - sum_i share(i -> j) x total_cost_i. Below
    0.01 SEK x (1 + the incoming shares) when no excess was forced
    (assert_reciprocal_totals_within_one_ore). -#}

with

solved as (

    select * from {{ ref('int_allocations_reciprocal_solved') }}

),

support_allocations as (

    select * from {{ ref('stg_raw__support_allocations') }}
    where scenario = 'outcome'
        and method = 'reciprocal'

),

support_flows as (

    select * from {{ ref('int_support_costs_allocated') }}
    where allocation_method = 'reciprocal'

),

incoming as (

    select
        receiver.period_month,
        receiver.support_service_id,
        sum(
            cast(support_allocations.share as decimal(38, 12))
            * cast(giver.total_ore as decimal(38, 0))
        ) as incoming_exact_ore
    from solved as receiver
    inner join support_allocations
        on support_allocations.fiscal_year = receiver.fiscal_year
        and support_allocations.receiving_service_id = receiver.support_service_id
    inner join solved as giver
        on giver.period_month = receiver.period_month
        and giver.support_service_id = support_allocations.support_service_id
    group by receiver.period_month, receiver.support_service_id

),

booked_flows as (

    select
        period_month,
        support_service_id as service_id,
        0 as received_ore,
        sum(amount_ore) filter (where not is_within_group) as passed_outside_ore
    from support_flows
    group by period_month, support_service_id
    union all
    select
        period_month,
        receiving_service_id as service_id,
        sum(amount_ore) as received_ore,
        0 as passed_outside_ore
    from support_flows
    where is_within_group
    group by period_month, receiving_service_id

),

booked as (

    select
        period_month,
        service_id,
        sum(received_ore) as received_ore,
        sum(passed_outside_ore) as passed_outside_ore
    from booked_flows
    group by period_month, service_id

),

final as (

    select
        -- ids
        solved.period_month,
        solved.fiscal_year,
        solved.support_service_id,

        -- attributes
        solved.step_order,

        -- measures
        {{ ore_to_sek('solved.direct_ore') }} as direct_cost_sek,
        {{ ore_to_sek('solved.step_down_received_ore') }} as step_down_received_sek,
        {{ ore_to_sek('solved.available_ore') }} as available_sek,
        {{ ore_to_sek('coalesce(booked.received_ore, 0)') }} as reciprocal_received_sek,
        cast(solved.total_exact_ore * 0.01 as decimal(38, 14)) as total_cost_exact_sek,
        {{ ore_to_sek('solved.total_ore') }} as total_cost_sek,
        {{ ore_to_sek('coalesce(booked.passed_outside_ore, 0)') }} as passed_to_services_sek,
        cast(
            (
                cast(solved.total_ore as decimal(38, 12))
                - cast(solved.available_ore as decimal(38, 12))
                - coalesce(incoming.incoming_exact_ore, 0)
            ) * 0.01 as decimal(38, 14)
        ) as residual_sek

    from solved
    left join incoming
        on incoming.period_month = solved.period_month
        and incoming.support_service_id = solved.support_service_id
    left join booked
        on booked.period_month = solved.period_month
        and booked.service_id = solved.support_service_id

)

select * from final
