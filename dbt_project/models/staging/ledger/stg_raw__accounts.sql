with

source as (

    select * from {{ source('raw', 'accounts') }}

),

renamed as (

    select
        -- ids
        {{ to_integer('fiscal_year') }} as fiscal_year,
        {{ clean_text('account') }} as account,

        -- attributes
        {{ clean_text('account_name') }} as account_name,
        {{ clean_text('account_class') }} as account_class,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
