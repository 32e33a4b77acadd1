{#- Decided allocation keys (fördelningsnycklar) and driver populations as landed
    (plan/allocation_keys.csv): one row per key set x service x organisation x validity, with
    the file and row. A fixed_key row of fct_allocation takes its share from here; a
    driver_share rule with a key set only lets organisations with share > 0 take part. -#}

with

allocation_keys as (

    select * from {{ ref('stg_raw__allocation_keys') }}

),

final as (

    select
        -- ids
        key_set,
        service_id,
        org_code,

        -- dates
        valid_from,
        valid_to,

        -- measures
        share,

        -- metadata
        _source_file as source_file,
        cast(_source_row as bigint) as source_row

    from allocation_keys

)

select * from final
