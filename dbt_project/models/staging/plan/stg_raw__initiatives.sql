with

source as (

    select * from {{ source('raw', 'initiatives') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('initiative_id') }} as initiative_id,
        {{ clean_text('service_area_code') }} as service_area_code,
        {{ clean_text('service_id') }} as service_id,

        -- attributes
        {{ clean_text('name_sv') }} as name_sv,
        {{ to_integer('priority') }} as priority,
        {{ clean_text('financing_channel') }} as financing_channel,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
