-- Every comparable service of int_service_lineage_resolved is final: no lineage row moves it
-- on to another service (a chain longer than var service_lineage_max_hops, default 3, would
-- leave one), and no service maps to a service missing from the catalogue.

with

resolved as (

    select * from {{ ref('int_service_lineage_resolved') }}

),

service_lineage as (

    select * from {{ ref('stg_raw__service_lineage') }}
    where from_service_id <> to_service_id

),

services as (

    select distinct service_id from {{ ref('stg_raw__services') }}

),

final as (

    select resolved.*, 'lineage goes on' as problem
    from resolved
    inner join service_lineage
        on service_lineage.from_service_id = resolved.comparable_service_id
    union all
    select resolved.*, 'unknown comparable service' as problem
    from resolved
    left join services
        on services.service_id = resolved.comparable_service_id
    where services.service_id is null

)

select * from final
