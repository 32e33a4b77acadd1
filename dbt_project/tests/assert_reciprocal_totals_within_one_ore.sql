-- The reciprocal system is solved exactly and booked to the öre (fct_reciprocal_solution, per
-- reciprocal service and month). Returns the rows where, computed here in SQL from the shares:
-- 1. the exact totals do not satisfy T_j = available_j + sum_i share(i -> j) T_i (to 10^-6
--    öre; the exact totals are shown to 12 decimals);
-- 2. the booked total is not the exact total rounded down or up: |booked - exact| < 1 öre,
--    widened by the rounding excess the receivers' largest-remainder amounts forced
--    (int_allocations_reciprocal_solved.rounding_excess_ore, 0 normally);
-- 3. the residual of the booked totals, total_j - available_j - sum_i share(i -> j) total_i
--    (= d_j - sum_i share(i -> j) d_i with d = booked - exact), is not below
--    (1 + e_j) + sum_i share(i -> j) (1 + e_i) öre: below 1 + the incoming shares when no
--    excess was forced. (The former bound, below one öre, held for totals rounded on their
--    own; totals that follow from flows rounded per receiver can be an öre off in either
--    direction, so the residual reaches up to 1 + the incoming shares.)

-- Dagster shows this as an asset check of fct_reciprocal_solution.
{{ config(meta={'dagster': {'ref': {'name': 'fct_reciprocal_solution'}}}) }}

with

solution as (

    select * from {{ ref('fct_reciprocal_solution') }}

),

solved as (

    select * from {{ ref('int_allocations_reciprocal_solved') }}

),

support_allocations as (

    select * from {{ ref('stg_raw__support_allocations') }}
    where scenario = 'outcome'
        and method = 'reciprocal'

),

incoming as (

    select
        receiver.period_month,
        receiver.support_service_id,
        sum(support_allocations.share * cast(giver.total_exact_ore as decimal(38, 12)))
            as incoming_exact_ore,
        sum(support_allocations.share * (1 + giver.rounding_excess_ore)) as residual_allowance_ore
    from solved as receiver
    inner join support_allocations
        on support_allocations.fiscal_year = receiver.fiscal_year
        and support_allocations.receiving_service_id = receiver.support_service_id
    inner join solved as giver
        on giver.period_month = receiver.period_month
        and giver.support_service_id = support_allocations.support_service_id
    group by receiver.period_month, receiver.support_service_id

),

checked as (

    select
        solution.*,
        solved.rounding_excess_ore,
        solved.total_exact_ore - solved.available_ore - coalesce(incoming.incoming_exact_ore, 0)
            as exact_residual_ore,
        0.01 * (1 + solved.rounding_excess_ore) as total_allowance_sek,
        0.01 * (1 + solved.rounding_excess_ore + coalesce(incoming.residual_allowance_ore, 0))
            as residual_allowance_sek
    from solution
    inner join solved
        on solved.period_month = solution.period_month
        and solved.support_service_id = solution.support_service_id
    left join incoming
        on incoming.period_month = solution.period_month
        and incoming.support_service_id = solution.support_service_id

),

final as (

    select *
    from checked
    where abs(exact_residual_ore) >= 0.000001
        or abs(total_cost_sek - total_cost_exact_sek) >= total_allowance_sek
        or abs(residual_sek) >= residual_allowance_sek

)

select * from final
