{#- The internal invoices of the closed months, as the export books them: one line per booked
    month x line kind (charge / restatement) x restated month x consumer cost centre x service,
    the sum of fct_charge's frozen rows, with the accounts and names. Lines of 0,00 are left
    out. voucher_number numbers the vouchers of a month: one per consuming organisation for the
    charges (in organisation order), then one per organisation and restated month for the
    restatements; the SIE file and the invoice basis (pipelines/lib/close/export.py) take their
    vouchers from here. -#}

with

charges as (

    select * from {{ ref('fct_charge') }}
    where is_closed

),

organisations as (

    select * from {{ ref('dim_organisation') }}

),

cost_centres as (

    select * from {{ ref('dim_cost_centre') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

chart as (

    select * from {{ ref('stg_raw__accounts') }}

),

lines as (

    select
        period_month,
        fiscal_year,
        close_id,
        line_kind,
        restated_month,
        consumer_org_code,
        consumer_cost_centre_code,
        service_id,
        debit_account,
        credit_account,
        credit_cost_centre_code,
        activity_code,
        -- one cause per restated month (computed per closed month)
        min(cause_sv) as cause_sv,
        min(cause_en) as cause_en,
        sum(amount_sek) as amount_sek
    from charges
    group by
        period_month, fiscal_year, close_id, line_kind, restated_month, consumer_org_code,
        consumer_cost_centre_code, service_id, debit_account, credit_account,
        credit_cost_centre_code, activity_code

),

numbered as (

    select
        *,
        dense_rank() over (
            partition by period_month
            order by line_kind = 'restatement', restated_month nulls first, consumer_org_code
        ) as voucher_number
    from lines
    where amount_sek <> 0

),

final as (

    select
        -- ids
        numbered.period_month,
        numbered.fiscal_year,
        numbered.close_id,
        cast(numbered.voucher_number as integer) as voucher_number,
        numbered.line_kind,
        numbered.restated_month,
        numbered.consumer_org_code,
        numbered.consumer_cost_centre_code,
        numbered.service_id,

        -- attributes
        organisations.org_name,
        cost_centres.cost_centre_name,
        service_names.service_name_sv,
        numbered.activity_code,
        numbered.debit_account,
        debit_names.account_name as debit_account_name,
        debit_names.account_class as debit_account_class,
        numbered.credit_account,
        credit_names.account_name as credit_account_name,
        credit_names.account_class as credit_account_class,
        numbered.credit_cost_centre_code,
        credit_centres.cost_centre_name as credit_cost_centre_name,
        numbered.cause_sv,
        numbered.cause_en,

        -- measures
        cast(numbered.amount_sek as decimal(18, 2)) as amount_sek

    from numbered
    left join organisations
        on organisations.org_code = numbered.consumer_org_code
    left join cost_centres
        on cost_centres.cost_centre_code = numbered.consumer_cost_centre_code
    left join cost_centres as credit_centres
        on credit_centres.cost_centre_code = numbered.credit_cost_centre_code
    left join services as service_names
        on service_names.service_id = numbered.service_id
        and {{ is_valid_version('service_names', on='numbered.period_month') }}
    left join chart as debit_names
        on debit_names.fiscal_year = numbered.fiscal_year
        and debit_names.account = numbered.debit_account
    left join chart as credit_names
        on credit_names.fiscal_year = numbered.fiscal_year
        and credit_names.account = numbered.credit_account

)

select * from final
