{#- The internal-invoicing accounts of every service per fiscal year: the service's own row of
    plan/invoicing_accounts.csv, else the year's default row (empty service_id). The activity
    code is the row's, else the service id. Services with neither are not here: a month that
    charges them cannot be closed (fordela close names them). -#}

with

account_map as (

    select * from {{ ref('stg_raw__invoicing_accounts') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

chart as (

    select * from {{ ref('stg_raw__accounts') }}

),

years as (

    select distinct fiscal_year from account_map

),

services_in_year as (

    select distinct
        years.fiscal_year,
        services.service_id
    from years
    inner join services
        on {{ is_valid_version('services', fiscal_year='years.fiscal_year') }}

),

resolved as (

    select
        services_in_year.fiscal_year,
        services_in_year.service_id,
        coalesce(own.debit_account, fallback.debit_account) as debit_account,
        coalesce(own.credit_account, fallback.credit_account) as credit_account,
        coalesce(own.credit_cost_centre_code, fallback.credit_cost_centre_code)
            as credit_cost_centre_code,
        case
            when own.fiscal_year is not null
                then coalesce(own.activity_code, services_in_year.service_id)
            else coalesce(fallback.activity_code, services_in_year.service_id)
        end as activity_code,
        own.fiscal_year is null as is_default_row,
        coalesce(own._source_file, fallback._source_file) as _source_file,
        coalesce(own._source_row, fallback._source_row) as _source_row
    from services_in_year
    left join account_map as own
        on own.fiscal_year = services_in_year.fiscal_year
        and own.service_id = services_in_year.service_id
    left join account_map as fallback
        on fallback.fiscal_year = services_in_year.fiscal_year
        and fallback.service_id is null

),

final as (

    select
        -- ids
        resolved.fiscal_year,
        resolved.service_id,

        -- attributes
        resolved.debit_account,
        debit.account_name as debit_account_name,
        debit.account_class as debit_account_class,
        resolved.credit_account,
        credit.account_name as credit_account_name,
        credit.account_class as credit_account_class,
        resolved.credit_cost_centre_code,
        resolved.activity_code,

        -- flags
        resolved.is_default_row,

        -- metadata
        resolved._source_file,
        resolved._source_row

    from resolved
    left join chart as debit
        on debit.fiscal_year = resolved.fiscal_year
        and debit.account = resolved.debit_account
    left join chart as credit
        on credit.fiscal_year = resolved.fiscal_year
        and credit.account = resolved.credit_account
    where resolved.debit_account is not null

)

select * from final
