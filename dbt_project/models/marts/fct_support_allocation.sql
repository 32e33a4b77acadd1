{#- Support costs charged on between services in the outcome: one row per month x support
    service x receiving service (int_support_costs_allocated): the step-down and reciprocal
    flows, with the support service's rule and the support_allocations row behind the share.
    For each support service and month the flows out sum to its passed_on_sek in
    fct_service_cost, and each receiving service's flows in to its received columns. -#}

with

support_flows as (

    select * from {{ ref('int_support_costs_allocated') }}

),

final as (

    select
        -- ids
        period_month,
        fiscal_year,
        'outcome' as scenario,
        support_service_id,
        receiving_service_id,
        rule_id,

        -- attributes
        allocation_method,
        step_order,
        basis,

        -- measures
        cast(share as decimal(18, 12)) as share,
        {{ ore_to_sek('amount_ore') }} as amount_sek,

        -- flags
        is_within_group,

        -- metadata
        share_source_file,
        cast(share_source_row as bigint) as share_source_row

    from support_flows

)

select * from final
