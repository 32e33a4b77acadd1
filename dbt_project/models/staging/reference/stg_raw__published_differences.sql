{#- The reference pack's named differences (reference/published_differences.csv, optional):
    one row per known inconsistency of the printed figures and the range it explains. Rename
    and cast only. -#}

with

source as (

    select * from {{ source('raw', 'published_differences') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('plan_version') }} as plan_version,
        {{ clean_text('source') }} as source,
        {{ clean_text('level') }} as level,
        {{ clean_text('code') }} as code,
        {{ clean_text('cost_type') }} as cost_type,
        {{ clean_text('difference_code') }} as difference_code,

        -- attributes
        {{ clean_text('description_sv') }} as description_sv,
        {{ clean_text('description_en') }} as description_en,

        -- measures
        cast(nullif(trim(min_difference_tkr), '') as bigint) as min_difference_tkr,
        cast(nullif(trim(max_difference_tkr), '') as bigint) as max_difference_tkr,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
