-- The price-list result is carried into next year's price as the rule says, recomputed here
-- independently: next_year_unit_price_sek is (next_year_budget_sek -
-- carried_into_next_year_sek) / next_year_planned_volume rounded to the öre (within half an
-- öre of the quotient), and, with results spread over
-- N years, the parts of one result sum to it (with N = 1: carried_to_next_year_sek =
-- carried_into_next_year_sek = surplus_deficit_sek). A year charged at a carried price charges
-- the price the year before's settlement gave it, a year with a delivered price that one.
-- Returns the rows that disagree.

with

settlement as (

    select * from {{ ref('fct_price_settlement') }}

),

charged_as_settled as (

    select settlement.*
    from settlement
    inner join settlement as previous
        on previous.fiscal_year = settlement.fiscal_year - 1
        and previous.service_id = settlement.service_id
    where settlement.unit_price_sek is distinct from case settlement.price_source
            when 'carried' then previous.next_year_unit_price_sek
            when 'delivered' then previous.next_year_published_unit_price_sek
        end
        or settlement.price_source is distinct from previous.next_year_price_source

),

final as (

    select *
    from charged_as_settled
    union all
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
                ) > 0.0050001
            )
        )
        or (spread_years = 1 and carried_to_next_year_sek <> surplus_deficit_sek)
        or (spread_years = 1 and carried_into_next_year_sek <> surplus_deficit_sek)
        or abs(carried_to_next_year_sek * spread_years - surplus_deficit_sek)
            > 0.01 * spread_years

)

select * from final
