with

source as (

    select * from {{ source('raw', 'organisations') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('org_code') }} as org_code,

        -- attributes
        {{ clean_text('org_name') }} as org_name,
        {{ clean_text('org_group') }} as org_group,

        -- flags
        {{ to_boolean('is_producer') }} as is_producer,

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
