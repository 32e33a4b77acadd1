{#- SCD2: one row per service version as the catalogue states it (a move between areas or a
    rename closes one version and opens the next with the same service_id).
    is_support: the catalogue's services.is_support, the producer's internal support pools
    (premises, management, internal IT, internal HR) that are charged on to other services in
    the outcome through plan/support_allocations.csv (only they may give there, checked at
    ingest). -#}

with

services as (

    select * from {{ ref('stg_raw__services') }}

),

final as (

    select
        -- ids
        services.service_id || '@' || strftime(services.valid_from, '%Y-%m-%d')
            as service_version_key,
        services.service_id,
        services.service_area_code,

        -- attributes
        services.service_name_sv,
        services.former_name_sv,
        services.cost_type,
        services.comment_sv,

        -- flags
        services.is_adjustment,
        services.valid_to is null as is_current,
        services.is_support,

        -- dates
        services.valid_from,
        services.valid_to

    from services

)

select * from final
