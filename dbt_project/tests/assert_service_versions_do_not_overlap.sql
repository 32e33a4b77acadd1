-- dim_service is SCD2: two versions of one service never cover the same day, so a lookup by
-- month finds at most one version.

with

services as (

    select * from {{ ref('dim_service') }}

),

final as (

    select
        earlier.service_id,
        earlier.service_version_key as earlier_version,
        later.service_version_key as later_version
    from services as earlier
    inner join services as later
        on later.service_id = earlier.service_id
        and later.valid_from > earlier.valid_from
        and {{ is_valid_version('earlier', on='later.valid_from') }}

)

select * from final
