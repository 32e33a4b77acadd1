with

source as (

    select * from {{ source('raw', 'allocation_keys') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('key_set') }} as key_set,
        {{ clean_text('service_id') }} as service_id,
        {{ clean_text('org_code') }} as org_code,

        -- dates
        {{ to_date('valid_from') }} as valid_from,
        {{ to_date('valid_to') }} as valid_to,

        -- measures (up to 12 decimals; the shares of a key set and service sum to 1)
        {{ to_decimal('share', 18, 12) }} as share,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
