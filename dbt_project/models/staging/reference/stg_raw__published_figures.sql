{#- The reference pack's printed figures (reference/published_figures.csv, optional): one row
    per printed figure, whole tkr. Rename and cast only. -#}

with

source as (

    select * from {{ source('raw', 'published_figures') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('plan_version') }} as plan_version,
        {{ clean_text('source') }} as source,
        {{ clean_text('level') }} as level,
        {{ clean_text('service_area_code') }} as service_area_code,
        {{ clean_text('code') }} as code,
        {{ clean_text('cost_type') }} as cost_type,

        -- attributes
        {{ clean_text('label_sv') }} as label_sv,
        {{ to_integer('line_order') }} as line_order,

        -- measures
        cast(nullif(trim(amount_tkr), '') as bigint) as published_tkr,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
