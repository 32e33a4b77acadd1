with

source as (

    select * from {{ source('raw', 'volumes') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('driver_code') }} as driver_code,
        {{ clean_text('cost_centre_code') }} as cost_centre_code,

        -- dates
        {{ period_to_month('period') }} as period_month,

        -- measures
        {{ to_decimal('quantity', 18, 3) }} as quantity,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
