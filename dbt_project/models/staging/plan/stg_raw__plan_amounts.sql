with

source as (

    select * from {{ source('raw', 'plan_amounts') }}

),

renamed as (

    select
        -- ids
        {{ to_integer('fiscal_year') }} as fiscal_year,
        {{ clean_text('scenario') }} as scenario,
        {{ clean_text('plan_version') }} as plan_version,
        {{ clean_text('service_id') }} as service_id,

        -- attributes
        {{ clean_text('cost_type') }} as cost_type,

        -- measures
        {{ to_amount_sek('amount_sek') }} as amount_sek,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
