with

source as (

    select * from {{ source('ops', 'period_closes') }}

),

renamed as (

    select
        -- ids
        action_id,
        close_id,

        -- dates
        period_month,
        cast(year(period_month) as integer) as fiscal_year,
        acted_at,

        -- attributes
        action,
        acted_by,
        reason,
        run_id,
        detail

    from source

)

select * from renamed
