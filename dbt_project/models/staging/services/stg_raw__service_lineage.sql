with

source as (

    select * from {{ source('raw', 'service_lineage') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('from_service_id') }} as from_service_id,
        {{ clean_text('to_service_id') }} as to_service_id,

        -- attributes
        {{ clean_text('relation') }} as relation,

        -- dates
        {{ to_date('effective_date') }} as effective_date,

        -- measures
        {{ to_decimal('weight', 18, 12) }} as weight,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
