with

source as (

    select * from {{ source('raw', 'mapping_rules') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('rule_id') }} as rule_id,
        {{ to_integer('fiscal_year') }} as fiscal_year,
        {{ clean_text('service_id') }} as service_id,

        -- match criteria (null = any)
        {{ to_integer('priority') }} as priority,
        {{ clean_text('account_from') }} as account_from,
        {{ clean_text('account_to') }} as account_to,
        {{ clean_text('activity_code') }} as activity_code,
        {{ clean_text('cost_centre_code') }} as cost_centre_code,
        {{ clean_text('project_code') }} as project_code,

        -- attributes
        {{ clean_text('cost_type') }} as cost_type,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
