{#- The driver rows behind the shares: one row per landed volume row, actual (scenario
    'outcome', per month, volumes/volumes_YYYY-MM.csv) or planned (plan scenarios, per year,
    plan/planned_volumes.csv; period_month null), with the file and row. A driver_share or
    price_list row of fct_allocation has driver_volume = the sum of its cost centre's rows
    here for (scenario, year, month, driver). -#}

with

volumes as (

    select * from {{ ref('stg_raw__volumes') }}

),

planned_volumes as (

    select * from {{ ref('stg_raw__planned_volumes') }}

),

unioned as (

    select
        'outcome' as scenario,
        cast(year(period_month) as integer) as fiscal_year,
        period_month,
        driver_code,
        cost_centre_code,
        quantity,
        _source_file,
        _source_row
    from volumes
    union all
    select
        scenario,
        fiscal_year,
        cast(null as date) as period_month,
        driver_code,
        cost_centre_code,
        quantity,
        _source_file,
        _source_row
    from planned_volumes

),

final as (

    select
        -- ids
        _source_file as source_file,
        cast(_source_row as bigint) as source_row,
        scenario,
        driver_code,
        cost_centre_code,

        -- dates
        fiscal_year,
        period_month,

        -- measures
        cast(quantity as decimal(18, 3)) as quantity

    from unioned

)

select * from final
