{#- The city's organisations with their group's names and place in the city's order. Groups are
    data: the optional register org_groups gives names and sort_order; without it every group
    is named as the organisations write it and groups are listed by name. -#}

with

organisations as (

    select * from {{ ref('stg_raw__organisations') }}

),

org_groups as (

    select * from {{ ref('stg_raw__org_groups') }}

),

versions as (

    select
        *,
        row_number() over (partition by org_code order by valid_from desc) as version_rank,
        min(valid_from) over (partition by org_code) as first_valid_from
    from organisations

),

latest as (

    select * from versions
    where version_rank = 1

),

groups as (

    select
        named.org_group,
        coalesce(org_groups.name_sv, named.org_group) as org_group_name_sv,
        coalesce(org_groups.name_en, named.org_group) as org_group_name_en,
        cast(
            dense_rank() over (
                order by
                    org_groups.sort_order nulls last,
                    coalesce(org_groups.name_sv, named.org_group),
                    named.org_group
            ) as integer
        ) as org_group_sort
    from (select distinct org_group from latest) as named
    left join org_groups
        on org_groups.org_group = named.org_group

),

final as (

    select
        -- ids
        latest.org_code,

        -- attributes
        latest.org_name,
        latest.org_group,
        groups.org_group_name_sv,
        groups.org_group_name_en,
        groups.org_group_sort,

        -- dates
        latest.first_valid_from as valid_from,
        latest.valid_to,

        -- flags
        latest.is_producer

    from latest
    inner join groups
        on groups.org_group = latest.org_group

)

select * from final
