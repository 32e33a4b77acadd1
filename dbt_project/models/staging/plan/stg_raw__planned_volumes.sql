with

source as (

    select * from {{ source('raw', 'planned_volumes') }}

),

renamed as (

    select
        -- ids
        {{ to_integer('fiscal_year') }} as fiscal_year,
        {{ clean_text('scenario') }} as scenario,
        {{ clean_text('driver_code') }} as driver_code,
        {{ clean_text('cost_centre_code') }} as cost_centre_code,

        -- measures (annual planned quantity)
        {{ to_decimal('quantity', 18, 3) }} as quantity,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
