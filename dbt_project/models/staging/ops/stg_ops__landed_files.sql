with

source as (

    select * from {{ source('ops', 'landed_files') }}

),

renamed as (

    select
        -- ids
        file_hash,
        table_name,
        logical_key,

        -- attributes
        relative_path,
        partition_key,
        status,
        superseded_by,

        -- metadata
        loaded_at

    from source

)

select * from renamed
