with

source as (

    select * from {{ source('raw', 'price_list') }}

),

renamed as (

    select
        -- ids
        {{ to_integer('fiscal_year') }} as fiscal_year,
        {{ clean_text('service_id') }} as service_id,
        {{ clean_text('driver_code') }} as driver_code,

        -- measures (per unit and month)
        {{ to_decimal('unit_price_sek', 18, 4) }} as unit_price_sek,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
