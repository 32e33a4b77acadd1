{#- SCD2: one row per service version as the catalogue states it (a move between areas or a
    rename closes one version and opens the next with the same service_id). -#}

with

services as (

    select * from {{ ref('stg_raw__services') }}

),

final as (

    select
        -- ids
        service_id || '@' || strftime(valid_from, '%Y-%m-%d') as service_version_key,
        service_id,
        service_area_code,

        -- attributes
        service_name_sv,
        former_name_sv,
        cost_type,
        comment_sv,

        -- flags
        is_adjustment,
        valid_to is null as is_current,

        -- dates
        valid_from,
        valid_to

    from services

)

select * from final
