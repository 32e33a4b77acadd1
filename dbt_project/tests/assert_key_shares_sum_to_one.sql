-- The shares of one key set and service (per validity version) sum to exactly 1.

with

allocation_keys as (

    select * from {{ ref('stg_raw__allocation_keys') }}

),

final as (

    select
        key_set,
        service_id,
        valid_from,
        valid_to,
        sum(share) as share_total
    from allocation_keys
    group by key_set, service_id, valid_from, valid_to
    having sum(share) <> 1

)

select * from final
