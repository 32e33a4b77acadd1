with

source as (

    select * from {{ source('raw', 'service_methods') }}

),

renamed as (

    select
        -- ids
        {{ to_integer('fiscal_year') }} as fiscal_year,
        {{ clean_text('scenario') }} as scenario,
        {{ clean_text('service_id') }} as service_id,
        {{ clean_text('rule_id') }} as rule_id,

        -- attributes
        {{ clean_text('allocation_method') }} as allocation_method,
        {{ clean_text('driver_code') }} as driver_code,
        {{ clean_text('key_set') }} as key_set,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
