with

source as (

    select * from {{ source('raw', 'ledger') }}

),

renamed as (

    select
        -- ids
        {{ clean_text('voucher_series') }} as voucher_series,
        {{ clean_text('voucher_number') }} as voucher_number,
        {{ clean_text('account') }} as account,
        {{ clean_text('cost_centre_code') }} as cost_centre_code,
        {{ clean_text('activity_code') }} as activity_code,
        {{ clean_text('project_code') }} as project_code,
        {{ clean_text('counterparty') }} as counterparty,

        -- dates
        {{ to_date('voucher_date') }} as voucher_date,
        {{ period_to_month('period') }} as period_month,

        -- measures (debit positive, credit negative)
        {{ to_amount_sek('amount_sek') }} as amount_sek,

        -- attributes
        {{ clean_text('text') }} as text,

        -- metadata
        _source_file,
        _source_row,
        _file_hash,
        _loaded_at

    from source

)

select * from renamed
