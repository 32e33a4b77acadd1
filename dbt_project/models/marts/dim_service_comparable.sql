{#- Bridge for like-for-like comparisons across years: one row per service x the current
    service it compares with (int_service_lineage_resolved), with the share of its cost that
    belongs there. A service split into several maps to its successors by the split weights;
    services merged into one map to it with weight 1; renamed and moved services map to
    themselves. The comparable service is named as in its latest version. -#}

with

resolved as (

    select * from {{ ref('int_service_lineage_resolved') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

latest_versions as (

    select *
    from services
    qualify row_number() over (partition by service_id order by valid_from desc) = 1

),

final as (

    select
        -- ids
        resolved.service_id,
        resolved.comparable_service_id,
        latest_versions.service_area_code as comparable_service_area_code,

        -- attributes
        latest_versions.service_name_sv as comparable_service_name_sv,
        resolved.relation,
        resolved.hops,

        -- measures
        resolved.weight

    from resolved
    left join latest_versions
        on latest_versions.service_id = resolved.comparable_service_id

)

select * from final
