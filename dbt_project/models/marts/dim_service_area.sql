with

service_areas as (

    select * from {{ ref('stg_raw__service_areas') }}

),

final as (

    select
        -- ids
        service_area_code,

        -- attributes
        name_sv,
        name_en

    from service_areas

)

select * from final
