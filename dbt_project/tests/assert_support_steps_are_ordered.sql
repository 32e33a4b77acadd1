-- The support allocation is well ordered, per fiscal year:
--   * a step-down support service gives only to support services of later steps or to
--     ordinary services (never back to an earlier step, never within its own step);
--   * a reciprocal support service gives only to reciprocal services of the same or a later
--     step, or to ordinary services (never back to a step-down service);
--   * every step-down step comes before every reciprocal step;
--   * a support service has one method and one step;
--   * a year has at most var support_max_step_down_steps (8) step-down steps (the
--     number int_support_costs_stepped_down unrolls).
-- Returns one row per problem.

{%- set max_steps = var('support_max_step_down_steps') %}

with

support_allocations as (

    select * from {{ ref('stg_raw__support_allocations') }}
    where scenario = 'outcome'

),

givers as (

    select
        fiscal_year,
        support_service_id,
        min(step_order) as step_order,
        min(method) as method,
        count(distinct step_order) as step_orders,
        count(distinct method) as methods
    from support_allocations
    group by fiscal_year, support_service_id

),

problems as (

    select
        support_allocations.fiscal_year,
        support_allocations.support_service_id,
        support_allocations.receiving_service_id,
        'gives back to an earlier step or within its step' as problem
    from support_allocations
    inner join givers as receivers
        on receivers.fiscal_year = support_allocations.fiscal_year
        and receivers.support_service_id = support_allocations.receiving_service_id
    where support_allocations.share > 0
        and (
            (support_allocations.method = 'step_down'
                and receivers.step_order <= support_allocations.step_order)
            or (support_allocations.method = 'reciprocal'
                and (receivers.method <> 'reciprocal'
                    or receivers.step_order < support_allocations.step_order))
        )

    union all

    select
        fiscal_year,
        support_service_id,
        null,
        'has more than one method or step'
    from givers
    where step_orders > 1 or methods > 1

    union all

    select
        fiscal_year,
        null,
        null,
        'a step-down step comes after a reciprocal step'
    from givers
    group by fiscal_year
    having max(step_order) filter (where method = 'step_down')
        >= min(step_order) filter (where method = 'reciprocal')

    union all

    select
        fiscal_year,
        null,
        null,
        'more than {{ max_steps }} step-down steps'
    from givers
    where method = 'step_down'
    group by fiscal_year
    having count(distinct step_order) > {{ max_steps }}

)

select * from problems
