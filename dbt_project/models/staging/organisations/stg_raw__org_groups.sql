with

source as (

    select * from {{ source('raw', 'org_groups') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('org_group') }} as org_group,

        -- attributes
        {{ clean_text('name_sv') }} as name_sv,
        {{ clean_text('name_en') }} as name_en,
        {{ to_integer('sort_order') }} as sort_order,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
