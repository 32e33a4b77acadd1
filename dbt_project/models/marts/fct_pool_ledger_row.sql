{#- The ledger rows behind the outcome pools: one row per ledger row on a cost or revenue
    account (int_costs_mapped_to_services), with the service and the versioned mapping rule
    that took it there, the initiative a development row belongs to, and the landed file and
    row it came from. Rows no rule maps are here too, with service_id 'UNALLOCATED'. A
    service's direct_cost_sek in fct_service_cost for a month is the sum of its rows here. -#}

with

mapped_costs as (

    select * from {{ ref('int_costs_mapped_to_services') }}

),

final as (

    select
        -- ids
        _source_file as source_file,
        cast(_source_row as bigint) as source_row,
        service_id,
        mapping_rule_id,
        voucher_series,
        voucher_number,
        account,
        cost_centre_code,
        activity_code,
        project_code,
        initiative_id,
        counterparty,

        -- dates
        period_month,
        fiscal_year,
        voucher_date,

        -- attributes
        cost_type,
        account_class,
        text,

        -- measures
        amount_sek,

        -- flags
        is_unallocated,

        -- metadata
        _file_hash as file_hash

    from mapped_costs

)

select * from final
