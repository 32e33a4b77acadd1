{#- The outcome as booked. Closed months: the rows frozen at their close (ops.closed_charges);
    open months: the outcome rows of fct_allocation (line_kind 'charge') plus the restatements
    of closed months booked in them (fct_restatement, line_kind 'restatement'). Every row
    carries the internal-invoicing accounts of its service in the year it is booked in
    (dim_invoicing_account; null when the account map has none: such a month cannot be
    closed). With no month closed this is fct_allocation's outcome, row for row. -#}

with

periods as (

    select * from {{ ref('int_period_closes_resolved') }}

),

allocations as (

    select * from {{ ref('fct_allocation') }}
    where scenario = 'outcome'
        and period_month not in (select period_month from periods where is_closed)

),

restatements as (

    select * from {{ ref('fct_restatement') }}

),

closed_charges as (

    select * from {{ ref('int_closed_charges_current') }}

),

accounts as (

    select * from {{ ref('dim_invoicing_account') }}

),

open_lines as (

    select
        period_month,
        fiscal_year,
        'charge' as line_kind,
        cast(null as date) as restated_month,
        service_id,
        service_area_code,
        cost_type,
        consumer_org_code,
        consumer_cost_centre_code,
        allocation_method,
        rule_id,
        support_service_id,
        driver_code,
        driver_volume,
        share,
        unit_price_sek,
        amount_sek,
        cast(null as varchar) as cause_kind,
        cast(null as varchar) as cause_sv,
        cast(null as varchar) as cause_en
    from allocations
    union all
    select
        period_month,
        fiscal_year,
        'restatement' as line_kind,
        restated_month,
        service_id,
        service_area_code,
        cost_type,
        consumer_org_code,
        consumer_cost_centre_code,
        cast(null as varchar) as allocation_method,
        cast(null as varchar) as rule_id,
        cast(null as varchar) as support_service_id,
        cast(null as varchar) as driver_code,
        cast(null as decimal(18, 3)) as driver_volume,
        cast(null as decimal(18, 12)) as share,
        cast(null as decimal(18, 4)) as unit_price_sek,
        amount_sek,
        cause_kind,
        cause_sv,
        cause_en
    from restatements

),

open_with_accounts as (

    select
        open_lines.*,
        accounts.debit_account,
        accounts.credit_account,
        accounts.credit_cost_centre_code,
        accounts.activity_code,
        cast(null as varchar) as close_id,
        false as is_closed
    from open_lines
    left join accounts
        on accounts.fiscal_year = open_lines.fiscal_year
        and accounts.service_id = open_lines.service_id

),

closed_lines as (

    select
        period_month,
        fiscal_year,
        line_kind,
        restated_month,
        service_id,
        service_area_code,
        cost_type,
        consumer_org_code,
        consumer_cost_centre_code,
        allocation_method,
        rule_id,
        support_service_id,
        driver_code,
        driver_volume,
        share,
        unit_price_sek,
        amount_sek,
        cause_kind,
        cause_sv,
        cause_en,
        debit_account,
        credit_account,
        credit_cost_centre_code,
        activity_code,
        close_id,
        true as is_closed
    from closed_charges

),

unioned as (

    select * from open_with_accounts
    union all
    select * from closed_lines

),

final as (

    select
        -- ids
        period_month,
        fiscal_year,
        line_kind,
        restated_month,
        service_id,
        service_area_code,
        cost_type,
        consumer_org_code,
        consumer_cost_centre_code,
        allocation_method,
        rule_id,
        support_service_id,
        driver_code,

        -- measures
        cast(driver_volume as decimal(18, 3)) as driver_volume,
        cast(share as decimal(18, 12)) as share,
        cast(unit_price_sek as decimal(18, 4)) as unit_price_sek,
        cast(amount_sek as decimal(18, 2)) as amount_sek,

        -- attributes
        cause_kind,
        cause_sv,
        cause_en,
        debit_account,
        credit_account,
        credit_cost_centre_code,
        activity_code,
        close_id,

        -- flags
        is_closed

    from unioned

)

select * from final
