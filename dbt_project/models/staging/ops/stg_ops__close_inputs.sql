with

source as (

    select * from {{ source('ops', 'close_inputs') }}

),

renamed as (

    select
        -- ids
        close_id,
        table_name,
        logical_key,
        file_hash,

        -- attributes
        relative_path,
        partition_key,
        rows_staged

    from source

)

select * from renamed
