with

source as (

    select * from {{ source('raw', 'initiative_plan') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('initiative_id') }} as initiative_id,
        {{ to_integer('fiscal_year') }} as fiscal_year,

        -- measures
        {{ to_amount_sek('amount_sek') }} as amount_sek,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
