-- The outcome as booked (fct_charge) equals fct_allocation's outcome, row for row, in every
-- month that is not closed: with no month closed, budget versus outcome reads exactly what it
-- read before the month close existed. Returns the rows found on one side only.

{{ config(meta={'dagster': {'ref': {'name': 'fct_charge'}}}) }}

with

allocation as (

    select
        period_month, service_id, cost_type, consumer_org_code, consumer_cost_centre_code,
        allocation_method, rule_id, support_service_id, driver_code, driver_volume, share,
        unit_price_sek, amount_sek
    from {{ ref('fct_allocation') }}
    where scenario = 'outcome'
        and period_month not in (
            select period_month from {{ ref('int_period_closes_resolved') }} where is_closed
        )

),

charges as (

    select
        period_month, service_id, cost_type, consumer_org_code, consumer_cost_centre_code,
        allocation_method, rule_id, support_service_id, driver_code, driver_volume, share,
        unit_price_sek, amount_sek
    from {{ ref('fct_charge') }}
    where line_kind = 'charge'
        and not is_closed

),

final as (

    (select 'only in fct_allocation' as side, * from (select * from allocation except all select * from charges))
    union all
    (select 'only in fct_charge' as side, * from (select * from charges except all select * from allocation))

)

select * from final
