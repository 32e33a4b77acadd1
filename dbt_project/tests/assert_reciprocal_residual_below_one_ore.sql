-- The reciprocal system is solved exactly; the totals booked (rounded to the öre) satisfy it
-- to within less than 0.01 SEK per service and month: |total - available - sum_i share(i -> j)
-- x total_i| < 0.01 (fct_reciprocal_solution.residual_sek, computed in SQL). Also checks that
-- the booked total is the exact solution rounded to the öre. Returns the rows that fail.

with

solution as (

    select * from {{ ref('fct_reciprocal_solution') }}

),

final as (

    select *
    from solution
    where abs(residual_sek) >= 0.01
        or abs(total_cost_sek - total_cost_exact_sek) > 0.005

)

select * from final
