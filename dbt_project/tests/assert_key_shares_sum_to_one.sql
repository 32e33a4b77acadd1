-- The shares of a key set and service used as a key (a fixed_key or direct rule), valid in the
-- rule's year, sum to exactly 1 (one version of a key per fiscal year), as the configuration
-- check key_set_not_summing_to_one refuses at ingest. A key set used only as the population of
-- a driver_share / price_list rule needs no sum: only who has a share > 0 counts there.

with

allocation_keys as (

    select * from {{ ref('stg_raw__allocation_keys') }}

),

service_methods as (

    select * from {{ ref('stg_raw__service_methods') }}

),

used_as_keys as (

    select distinct fiscal_year, key_set, service_id
    from service_methods
    where key_set is not null
        and allocation_method in ('fixed_key', 'direct')

),

final as (

    select
        used_as_keys.fiscal_year,
        used_as_keys.key_set,
        used_as_keys.service_id,
        sum(allocation_keys.share) as share_total
    from used_as_keys
    inner join allocation_keys
        on allocation_keys.key_set = used_as_keys.key_set
        and allocation_keys.service_id = used_as_keys.service_id
        and {{ is_valid_version('allocation_keys', fiscal_year='used_as_keys.fiscal_year') }}
    group by used_as_keys.fiscal_year, used_as_keys.key_set, used_as_keys.service_id
    having sum(allocation_keys.share) <> 1

)

select * from final
