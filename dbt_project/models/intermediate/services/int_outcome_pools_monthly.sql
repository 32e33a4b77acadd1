{#- Outcome cost pools: mapped ledger rows summed per month x service x cost type, in öre.
    The unallocated pool (service_id 'UNALLOCATED') is kept as its own rows. -#}

with

mapped_costs as (

    select * from {{ ref('int_costs_mapped_to_services') }}

),

final as (

    select
        -- ids
        fiscal_year,
        'outcome' as scenario,
        service_id,
        cost_type,

        -- dates
        period_month,

        -- measures
        {{ sek_to_ore('sum(amount_sek)') }} as pool_ore,
        count(*) as ledger_rows,

        -- flags
        is_unallocated

    from mapped_costs
    group by fiscal_year, service_id, cost_type, period_month, is_unallocated

)

select * from final
