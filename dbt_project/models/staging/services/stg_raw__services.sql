with

source as (

    select * from {{ source('raw', 'services') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('service_id') }} as service_id,
        {{ clean_text('service_area_code') }} as service_area_code,

        -- attributes
        {{ clean_text('service_name_sv') }} as service_name_sv,
        {{ clean_text('former_name_sv') }} as former_name_sv,
        {{ clean_text('cost_type') }} as cost_type,
        {{ clean_text('comment_sv') }} as comment_sv,

        -- flags
        coalesce({{ to_boolean('is_adjustment') }}, false) as is_adjustment,
        coalesce({{ to_boolean('is_support') }}, false) as is_support,

        -- dates
        {{ to_date('valid_from') }} as valid_from,
        {{ to_date('valid_to') }} as valid_to,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
