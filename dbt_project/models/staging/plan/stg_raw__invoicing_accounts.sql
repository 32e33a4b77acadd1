with

source as (

    select * from {{ source('raw', 'invoicing_accounts') }}

),

renamed as (

    select
        -- ids
        {{ to_integer('fiscal_year') }} as fiscal_year,
        {{ clean_text('service_id') }} as service_id,

        -- attributes
        {{ clean_text('debit_account') }} as debit_account,
        {{ clean_text('credit_account') }} as credit_account,
        {{ clean_text('credit_cost_centre') }} as credit_cost_centre_code,
        {{ clean_text('activity_code') }} as activity_code,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
