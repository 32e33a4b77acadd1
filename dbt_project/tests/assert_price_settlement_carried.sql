-- The price-list result is carried into next year's price as the rule says, recomputed here
-- independently: next_year_unit_price_sek is (next_year_budget_sek -
-- carried_into_next_year_sek) / next_year_planned_volume rounded to 4 decimals (within half
-- a unit of the 4th decimal of the quotient), and, with results spread over
-- N years, the parts of one result sum to it (with N = 1: carried_to_next_year_sek =
-- carried_into_next_year_sek = surplus_deficit_sek). Returns the rows that disagree.

with

settlement as (

    select * from {{ ref('fct_price_settlement') }}

),

final as (

    select *
    from settlement
    where (
            next_year_planned_volume > 0
            and (
                next_year_unit_price_sek is null
                or abs(
                    next_year_unit_price_sek
                    - (next_year_budget_sek - carried_into_next_year_sek)
                    / next_year_planned_volume
                ) > 0.0000501
            )
        )
        or (spread_years = 1 and carried_to_next_year_sek <> surplus_deficit_sek)
        or (spread_years = 1 and carried_into_next_year_sek <> surplus_deficit_sek)
        or abs(carried_to_next_year_sek * spread_years - surplus_deficit_sek)
            > 0.01 * spread_years

)

select * from final
