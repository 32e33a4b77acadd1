{#- The KPI register (plan/kpis.csv, optional): one row per KPI. Rename and cast only; the
    expressions are read by int_kpi_terms_parsed. -#}

with

source as (

    select * from {{ source('raw', 'kpis') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('kpi_code') }} as kpi_code,
        {{ clean_text('initiative_id') }} as initiative_id,

        -- attributes
        {{ clean_text('name_sv') }} as kpi_name_sv,
        {{ clean_text('name_en') }} as kpi_name_en,
        {{ clean_text('numerator') }} as numerator,
        {{ clean_text('denominator') }} as denominator,
        {{ clean_text('basis') }} as basis,
        {{ clean_text('scope') }} as scope,
        {{ clean_text('unit') }} as unit,
        {{ clean_text('target_direction') }} as target_direction,

        -- measures
        {{ to_decimal('target', 18, 6) }} as target,

        -- dates
        {{ period_to_month('target_from') }} as target_from,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
