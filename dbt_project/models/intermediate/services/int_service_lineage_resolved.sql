{#- Every service mapped to the service(s) it compares with today, for like-for-like
    comparisons across years: one row per service x comparable service, with the share of the
    service's cost that belongs to the comparable service.

    service_lineage gives one hop per row (one year -> a later one): a split (1 -> n, weights sum to 1 per
    predecessor), a merge (n -> 1, weight 1 each), and renames and moves between areas, which
    keep the service id (from = to) and so map a service to itself. Hops are followed until no
    lineage row applies (unrolled, var service_lineage_max_hops, default 3; the test
    assert_service_lineage_fully_resolved fails if a chain is longer), multiplying the weights
    (rounded to 12 decimals per hop). A service without lineage compares with itself.
    relation: the kind of the last change (split, merge, rename, move) or 'same'. -#}

{%- set max_hops = var('service_lineage_max_hops', 3) %}

with

services as (

    select distinct service_id from {{ ref('stg_raw__services') }}

),

service_lineage as (

    select * from {{ ref('stg_raw__service_lineage') }}

),

successions as (

    select from_service_id, to_service_id, relation, weight
    from service_lineage
    where from_service_id <> to_service_id

),

same_id_changes as (

    select
        from_service_id as service_id,
        string_agg(distinct relation, '+' order by relation) as relation
    from service_lineage
    where from_service_id = to_service_id
    group by from_service_id

),

hop_0 as (

    select
        service_id,
        service_id as comparable_service_id,
        cast(1 as decimal(18, 12)) as weight,
        cast(null as varchar) as relation,
        0 as hops
    from services

),

{% for hop in range(1, max_hops + 1) %}
hop_{{ hop }} as (

    select
        previous.service_id,
        coalesce(successions.to_service_id, previous.comparable_service_id)
            as comparable_service_id,
        cast(
            case
                when successions.to_service_id is null then previous.weight
                else round(previous.weight * successions.weight, 12)
            end as decimal(18, 12)
        ) as weight,
        coalesce(successions.relation, previous.relation) as relation,
        previous.hops + case when successions.to_service_id is null then 0 else 1 end as hops
    from hop_{{ hop - 1 }} as previous
    left join successions
        on successions.from_service_id = previous.comparable_service_id

),

{% endfor %}
resolved as (

    select
        service_id,
        comparable_service_id,
        sum(weight) as weight,
        any_value(relation) as relation,
        max(hops) as hops
    from hop_{{ max_hops }}
    group by service_id, comparable_service_id

),

final as (

    select
        -- ids
        resolved.service_id,
        resolved.comparable_service_id,

        -- attributes
        coalesce(resolved.relation, same_id_changes.relation, 'same') as relation,
        resolved.hops,

        -- measures
        cast(resolved.weight as decimal(18, 12)) as weight,
        cast(resolved.weight * 1000000000000 as hugeint) as weight_units

    from resolved
    left join same_id_changes
        on same_id_changes.service_id = resolved.service_id

)

select * from final
