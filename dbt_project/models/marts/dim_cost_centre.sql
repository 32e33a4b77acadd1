with

cost_centres as (

    select * from {{ ref('stg_raw__cost_centres') }}

),

versions as (

    select
        *,
        row_number() over (partition by cost_centre_code order by valid_from desc) as version_rank,
        min(valid_from) over (partition by cost_centre_code) as first_valid_from
    from cost_centres

),

final as (

    select
        -- ids
        cost_centre_code,
        org_code,

        -- attributes
        cost_centre_name,

        -- flags
        is_default,

        -- dates
        first_valid_from as valid_from,
        valid_to

    from versions
    where version_rank = 1

)

select * from final
