with

source as (

    select * from {{ source('raw', 'cost_centres') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('cost_centre_code') }} as cost_centre_code,
        {{ clean_text('org_code') }} as org_code,

        -- attributes
        {{ clean_text('cost_centre_name') }} as cost_centre_name,

        -- flags
        {{ to_boolean('is_default') }} as is_default,

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
