-- A closed month's charges as booked plus every restatement of it (frozen in later closes or
-- pending in an open month) equal what the month is now (fct_allocation's outcome), per
-- consumer cost centre x service x cost type, to the öre: a correction is never lost and never
-- booked twice. Returns the cells that do not add up.

{{ config(meta={'dagster': {'ref': {'name': 'fct_restatement'}}}) }}

with

closed_months as (

    select period_month from {{ ref('int_period_closes_resolved') }} where is_closed

),

now_allocated as (

    select period_month, service_id, cost_type, consumer_cost_centre_code, amount_sek
    from {{ ref('fct_allocation') }}
    where scenario = 'outcome'
        and period_month in (select period_month from closed_months)

),

booked as (

    select
        coalesce(restated_month, period_month) as period_month, service_id, cost_type,
        consumer_cost_centre_code, amount_sek
    from {{ ref('fct_charge') }}
    where (line_kind = 'charge' and period_month in (select period_month from closed_months))
        or (line_kind = 'restatement' and restated_month in (select period_month from closed_months))

),

compared as (

    select
        period_month, service_id, cost_type, consumer_cost_centre_code,
        sum(now_sek) as now_sek,
        sum(booked_sek) as booked_sek
    from (
        select *, amount_sek as now_sek, 0 as booked_sek from now_allocated
        union all
        select *, 0 as now_sek, amount_sek as booked_sek from booked
    )
    group by all

)

select * from compared
where now_sek <> booked_sek
