with

source as (

    select * from {{ source('raw', 'drivers') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('driver_code') }} as driver_code,

        -- attributes
        {{ clean_text('unit_sv') }} as unit_sv,
        {{ clean_text('unit_en') }} as unit_en,
        {{ clean_text('description_sv') }} as description_sv,
        {{ clean_text('description_en') }} as description_en,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
