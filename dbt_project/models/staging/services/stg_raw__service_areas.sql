with

source as (

    select * from {{ source('raw', 'service_areas') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('service_area_code') }} as service_area_code,

        -- attributes
        {{ clean_text('name_sv') }} as name_sv,
        {{ clean_text('name_en') }} as name_en,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
