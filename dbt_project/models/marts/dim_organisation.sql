with

organisations as (

    select * from {{ ref('stg_raw__organisations') }}

),

versions as (

    select
        *,
        row_number() over (partition by org_code order by valid_from desc) as version_rank,
        min(valid_from) over (partition by org_code) as first_valid_from
    from organisations

),

final as (

    select
        -- ids
        org_code,

        -- attributes
        org_name,
        org_group,
        cast(
            case org_group
                when 'Stadsdelsförvaltningar' then 1
                when 'Fackförvaltningar' then 2
                when 'Bolag' then 3
                when 'Kommunalförbund' then 4
            end as integer
        ) as org_group_sort,

        -- dates
        first_valid_from as valid_from,
        valid_to

    from versions
    where version_rank = 1

)

select * from final
