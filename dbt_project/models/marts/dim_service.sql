{#- SCD2: one row per service version as the catalogue states it (a move between areas or a
    rename closes one version and opens the next with the same service_id).
    is_support: one of Intraservice's internal support services (premises, management,
    internal IT, internal HR) that are charged on to other services in the outcome, i.e. a
    support service of plan/support_allocations.csv or a service with a step_down or
    reciprocal rule. -#}

with

services as (

    select * from {{ ref('stg_raw__services') }}

),

support_allocations as (

    select * from {{ ref('stg_raw__support_allocations') }}

),

service_methods as (

    select * from {{ ref('stg_raw__service_methods') }}

),

support_services as (

    select support_service_id as service_id from support_allocations
    union
    select service_id from service_methods
    where allocation_method in ('step_down', 'reciprocal')

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
        support_services.service_id is not null as is_support,

        -- dates
        services.valid_from,
        services.valid_to

    from services
    left join support_services
        on support_services.service_id = services.service_id

)

select * from final
